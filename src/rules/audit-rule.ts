/**
 * A library rule as `audit({ rules })` takes it: only what names it. The whole contract (`Rule`,
 * exported as `dead-schema/rules`) types its hooks with TypeScript compiler nodes; naming it in
 * AuditOptions would load the compiler's declarations into the type-check of every project that
 * imports the package (issue 13). Every Rule is one, since Rule extends it.
 */
export interface AuditRule {
  /** The npm package name; the rule's folder is named after it. */
  name: string;
  /** Packages whose presence (dependency or import) enables the rule. */
  enablers: string[];
}
