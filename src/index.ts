export { audit } from './run.js';
export type { AuditOptions, AuditReport, AuditStats } from './run.js';
export type { Finding, Evidence, EvidenceKind, EvidenceRole, Verdict, Confidence, Reason } from './match/types.js';
export type * from './catalog.js';
export { DeadSchemaError } from './errors.js';
// Not config/index.js: its type is inferred from the zod schema, and zod's declarations would come with it.
export { defineConfig, type DeadSchemaConfig } from './define-config.js';
export { runAudit } from './run.js';
export { checkDrops, formatCheckDrops, isSafe, readDropScript } from './check-drops/index.js';
export type { CheckDropsReport } from './check-drops/index.js';
export { formatExplanation, matchIds } from './explain/index.js';
// Reporters: the built-in formatters by name, and the type a reporter module's default export has.
export { reporters, type Reporter } from './report/index.js';
export { formatSarif } from './report/sarif.js';
