import { z } from 'zod';

/**
 * The shape of a cached catalog JSON, checked before anything trusts it: a truncated write, a
 * disk error or a hand edit must cost a rebuild, not an "unexpected error" deep in matching.
 * Objects are loose (fields added later still pass); what the later stages index into is strict.
 */
const str = z.string();
const strOrNull = z.string().nullable();
const strings = z.array(z.string());

const column = z.looseObject({
  name: str,
  attnum: z.number(),
  type: str,
  notNull: z.boolean(),
  default: strOrNull,
  isPrimaryKey: z.boolean(),
  comment: strOrNull,
});

const named = { oid: z.number(), id: str, schema: str, name: str, extensionOwned: z.boolean() };

const catalog = z.looseObject({
  schemas: strings,
  searchPath: strings,
  relations: z.array(
    z.looseObject({ ...named, kind: str, columns: z.array(column), primaryKey: strings, partitionOf: strOrNull, definition: strOrNull, comment: strOrNull, replication: z.object({ publications: strings, identityFull: z.boolean() }).optional() }),
  ),
  functions: z.array(z.looseObject({ ...named, kind: str, identityArgs: str, argCount: z.number(), language: str, body: strOrNull })),
  triggers: z.array(z.looseObject({ ...named, relationId: str, functionId: str, events: strings, columns: strings, timing: str })),
  types: z.array(z.looseObject({ ...named, kind: str, enumValues: strings })),
  sequences: z.array(z.looseObject({ ...named, ownedBy: strOrNull })),
  dependencies: z.array(z.looseObject({ kind: str, from: str, fromKind: str, to: str, toKind: str })),
  extensions: strings,
  serverVersion: str,
});

const source = z.looseObject({
  kind: z.enum(['migrations', 'schema-file', 'database', 'migrate-command']),
  location: str,
  statementsApplied: z.number().optional(),
  statementsFailed: z.number().optional(),
  extensionsLoaded: strings.optional(),
  extensionsUnavailable: strings.optional(),
});

const event = z.looseObject({ kind: str, message: str, file: str.optional(), line: z.number().optional() });

/** What an entry from older introspection code must still have: the data directory path reuses these. */
const reusable = z.looseObject({ introspectionVersion: z.number(), source, events: z.array(event) });

const current = reusable.extend({
  catalog,
  definedAt: z.record(z.string(), z.looseObject({ file: str, line: z.number() })),
});

/** Why a parsed catalog JSON cannot be used, or undefined when it can. */
export function cachedSchemaProblem(value: unknown, introspectionVersion: number): string | undefined {
  const base = reusable.safeParse(value);
  if (!base.success) return describe(base.error);
  if (base.data.introspectionVersion !== introspectionVersion) return undefined;
  const full = current.safeParse(value);
  return full.success ? undefined : describe(full.error);
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'it has the wrong shape';
  const at = issue.path.length === 0 ? '' : ` at ${issue.path.map(String).join('.')}`;
  return `it has the wrong shape${at}: ${issue.message}`;
}
