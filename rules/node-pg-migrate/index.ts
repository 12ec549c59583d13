import { ts } from 'ts-morph';
import { stringValue, unwrap } from '../../src/rules/helpers.js';
import {
  type ConfiguredLedger,
  flagValue,
  jsonObjectsWithKeys,
  jsonString,
  keyPosition,
  ledger,
  ledgerRefs,
  objectsWithKeys,
  ownString,
  ownValue,
  scriptRuns,
  wholeFileContext,
} from '../../src/rules/ledgers.js';
import type { Rule, RuleFileContext, RuleMatch, RuleRef } from '../../src/rules/types.js';
import { MIGRATION_LEDGERS } from '../../src/schema/ledger.js';

const { ledger: LEDGER } = MIGRATION_LEDGERS.nodePgMigrate;
const COMMAND = 'node-pg-migrate';

/**
 * node-pg-migrate keeps the migrations it ran in a ledger it creates, reads and writes itself from
 * node_modules. Under its default name (`pgmigrations`) the table never reaches the audit; this
 * rule sees the name the app configures instead. From node-pg-migrate's source at tag v8.0.4:
 * bin/node-pg-migrate.ts (`--migrations-table`/`-t`, default 'pgmigrations'; `--migrations-schema`,
 * else the first `--schema`/`-s`; the same dashed keys in the `db` section of a `config` package
 * file or a `--config-file` JSON) and src/runner.ts (`migrationsTable`, `migrationsSchema`,
 * `schema` of the programmatic `runner({...})`; the table's columns id, name, run_on). It reads
 * package.json scripts that run the command, JSON files under config/, and any options object
 * that spells `migrationsTable`, and reports the table and its columns as library-owned reads,
 * writes and deletes. A name only known at run time (`-t $TABLE`) is not seen.
 */
const rule: Rule = {
  name: COMMAND,
  enablers: [COMMAND],
  meta: {
    docs: 'https://salsita.github.io/node-pg-migrate/cli',
    upstream: 'https://github.com/salsita/node-pg-migrate',
    sees: 'the migrations ledger it owns under a configured name (`--migrations-table`/`-t` in package.json scripts, `migrations-table` in config JSON, `runner({ migrationsTable })`)',
    defaultConfidence: 'high',
  },
  projectFiles: {
    patterns: ['**/package.json', '**/config/*.json'],
    scan: (file, text) => (file === 'package.json' || file.endsWith('/package.json') ? scriptLedgers(text) : configLedgers(text)),
  },
  visitors: {
    SourceFile: (_node, ctx) => runnerLedgers(ctx),
  },
};

export default rule;

const OWNED = 'node-pg-migrate migrations ledger';

/** `runner({ migrationsTable, migrationsSchema, schema, ... })` or any options object naming `migrationsTable`. */
function runnerLedgers(ctx: RuleFileContext): RuleMatch | undefined {
  const objects = objectsWithKeys(ctx.sourceFile, ['migrationsTable']);
  if (objects.length === 0) return undefined;
  const whole = wholeFileContext(ctx);
  const found: ConfiguredLedger[] = [];
  for (const options of objects) {
    const table = ownString(options, 'migrationsTable', whole);
    if (typeof table !== 'string') continue;
    const migrationsSchema = ownString(options, 'migrationsSchema', whole);
    const schema = migrationsSchema !== undefined ? migrationsSchema : firstSchema(ownValue(options, 'schema'), whole);
    found.push(ledger(LEDGER, table, schema, OWNED, keyPosition(options, 'migrationsTable', ctx)));
  }
  const refs = ledgerRefs(found);
  return refs.length > 0 ? { refs } : undefined;
}

/** `schema: 'app'` or `schema: ['app', 'public']`: the first is the ledger's (src/utils/getMigrationTableSchema.ts). */
function firstSchema(value: ts.Expression | undefined, ctx: RuleFileContext): string | null | undefined {
  if (value === undefined) return undefined;
  const expr = unwrap(value);
  const first = ts.isArrayLiteralExpression(expr) ? expr.elements[0] : expr;
  return first === undefined || ts.isSpreadElement(first) ? null : (stringValue(first, ctx) ?? null);
}

/** package.json scripts: `node-pg-migrate up -t app_migrations --migrations-schema ops`. */
function scriptLedgers(text: string): RuleRef[] {
  const found: ConfiguredLedger[] = [];
  for (const run of scriptRuns(text, COMMAND)) {
    const table = flagValue(run.args, ['--migrations-table', '-t']);
    if (table === undefined) continue;
    const schema = flagValue(run.args, ['--migrations-schema']) ?? flagValue(run.args, ['--schema', '-s']);
    found.push(ledger(LEDGER, table, schema, `${OWNED} (script ${run.script})`, run.position));
  }
  return ledgerRefs(found);
}

/** The dashed keys in a JSON config (`{ "db": { "migrations-table": "app_migrations" } }`). */
function configLedgers(text: string): RuleRef[] {
  const found: ConfiguredLedger[] = [];
  for (const { value, positionOf } of jsonObjectsWithKeys(text, ['migrations-table'])) {
    const table = jsonString(value, 'migrations-table');
    if (table === undefined) continue;
    const schemas = value.schema;
    const schema = jsonString(value, 'migrations-schema') ?? (Array.isArray(schemas) && typeof schemas[0] === 'string' ? schemas[0] : jsonString(value, 'schema'));
    found.push(ledger(LEDGER, table, schema, OWNED, positionOf('migrations-table')));
  }
  return ledgerRefs(found);
}
