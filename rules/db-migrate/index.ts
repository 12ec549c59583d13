import {
  type ConfiguredLedger,
  flagValue,
  keyPosition,
  ledger,
  ledgerRefs,
  objectsWithKeys,
  ownObject,
  ownString,
  scriptRuns,
  wholeFileContext,
} from '../../src/rules/ledgers.js';
import type { Rule, RuleFileContext, RuleMatch, RuleRef } from '../../src/rules/types.js';
import { MIGRATION_LEDGERS } from '../../src/schema/ledger.js';

const { ledger: LEDGER, seeds: SEEDS } = MIGRATION_LEDGERS.dbMigrate;
const COMMAND = 'db-migrate';
const OWNED_LEDGER = 'db-migrate migrations ledger';
const OWNED_SEEDS = 'db-migrate seeds ledger';
const TABLE_FLAGS = ['--table', '--migration-table', '-t'];
const SEEDS_FLAGS = ['--seeds-table'];

/**
 * db-migrate keeps the migrations (and version-controlled seeds) it ran in ledgers it creates, reads
 * and writes itself from node_modules. Under their default names (`migrations`, `seeds`, taken as
 * ledgers when they have a ledger's columns) they never reach the audit; this rule sees the names
 * the app configures instead. From db-migrate's source at tag v0.11.14:
 * lib/commands/set-default-argv.js reads `table` (`--table`, `--migration-table`, `-t`; default
 * 'migrations') and `seeds-table` (default 'seeds') from the command line, from an rc file
 * (`.db-migraterc`, through `rc('db-migrate')`) or from `getInstance(isModule, { cmdOptions })`;
 * database.json only holds connections. Columns (id, name, run_on) are from db-migrate-pg v1.5.2
 * and db-migrate-base v2.3.1 `createMigrationsTable`/`createSeedsTable`. The tables and their
 * columns are reported as library-owned reads, writes and deletes. A name only known at run time
 * is not seen.
 */
const rule: Rule = {
  name: COMMAND,
  enablers: [COMMAND],
  meta: {
    docs: 'https://db-migrate.readthedocs.io/en/latest/',
    upstream: 'https://github.com/db-migrate/node-db-migrate',
    sees: 'the migrations and seeds ledgers it owns under configured names (`--table`/`-t`/`--seeds-table` in package.json scripts, `.db-migraterc`, `getInstance(..., { cmdOptions })`)',
    defaultConfidence: 'high',
  },
  projectFiles: {
    patterns: ['**/package.json', '**/.db-migraterc'],
    scan: (file, text) => (file === 'package.json' || file.endsWith('/package.json') ? scriptLedgers(text) : rcLedgers(text)),
  },
  visitors: {
    SourceFile: (_node, ctx) => instanceLedgers(ctx),
  },
};

export default rule;

/** `DBMigrate.getInstance(true, { cmdOptions: { table: 'app_migrations', 'seeds-table': 'app_seeds' } })`. */
function instanceLedgers(ctx: RuleFileContext): RuleMatch | undefined {
  const objects = objectsWithKeys(ctx.sourceFile, ['cmdOptions']);
  if (objects.length === 0) return undefined;
  const whole = wholeFileContext(ctx);
  const found: ConfiguredLedger[] = [];
  for (const options of objects) {
    const cmd = ownObject(options, 'cmdOptions', whole);
    if (cmd === undefined) continue;
    const table = ownString(cmd, 'table', whole);
    const seeds = ownString(cmd, 'seeds-table', whole);
    if (typeof table === 'string') found.push(ledger(LEDGER, table, undefined, OWNED_LEDGER, keyPosition(cmd, 'table', ctx)));
    if (typeof seeds === 'string') found.push(ledger(SEEDS, seeds, undefined, OWNED_SEEDS, keyPosition(cmd, 'seeds-table', ctx)));
  }
  const refs = ledgerRefs(found);
  return refs.length > 0 ? { refs } : undefined;
}

/** package.json scripts: `db-migrate up -t app_migrations`, `db-migrate up:seeds --seeds-table app_seeds`. */
function scriptLedgers(text: string): RuleRef[] {
  const found: ConfiguredLedger[] = [];
  for (const run of scriptRuns(text, COMMAND)) {
    const table = flagValue(run.args, TABLE_FLAGS);
    const seeds = flagValue(run.args, SEEDS_FLAGS);
    if (table !== undefined) found.push(ledger(LEDGER, table, undefined, `${OWNED_LEDGER} (script ${run.script})`, run.position));
    if (seeds !== undefined) found.push(ledger(SEEDS, seeds, undefined, `${OWNED_SEEDS} (script ${run.script})`, run.position));
  }
  return ledgerRefs(found);
}

/** `.db-migraterc`: rc reads it as JSON, else as ini (`table = app_migrations`); its top-level keys are options. */
function rcLedgers(text: string): RuleRef[] {
  const found: ConfiguredLedger[] = [];
  for (const [key, table, owned] of [['table', LEDGER, OWNED_LEDGER], ['seeds-table', SEEDS, OWNED_SEEDS]] as const) {
    const value = rcValue(text, key);
    if (value !== undefined) found.push(ledger(table, value.value, undefined, owned, value.position));
  }
  return ledgerRefs(found);
}

function rcValue(text: string, key: string): { value: string; position: number } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const line = new RegExp(`^[ \\t]*${key}[ \\t]*=[ \\t]*(.+?)[ \\t]*$`, 'm').exec(text);
    const value = line?.[1]?.replace(/^(['"])(.*)\1$/, '$2');
    return line === null || value === undefined || value === '' ? undefined : { value, position: line.index };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const value = (parsed as Record<string, unknown>)[key];
  if (typeof value !== 'string' || value === '') return undefined;
  const at = new RegExp(`"${key}"\\s*:`).exec(text);
  return { value, position: at?.index ?? 0 };
}
