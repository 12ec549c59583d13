import { type ConfiguredLedger, keyPosition, ledger, ledgerRefs, objectsWithKeys, ownString, wholeFileContext } from '../../src/rules/ledgers.js';
import type { RuleFileContext, RuleMatch } from '../../src/rules/types.js';
import { MIGRATION_LEDGERS } from '../../src/schema/ledger.js';

const { ledger: LEDGER, lock: LOCK } = MIGRATION_LEDGERS.kysely;
const KEYS = ['migrationTableName', 'migrationLockTableName', 'migrationTableSchema'];

/**
 * Kysely's migration ledger and lock under the names the app configures (kysely v0.29.5,
 * src/migration/migrator.ts `MigratorProps`): `migrationTableName`, `migrationLockTableName`
 * and `migrationTableSchema` (both tables' schema), read from any object that spells one of them
 * (`new Migrator({ db, provider, migrationTableName })`, a kysely-ctl config's `migrations`).
 * A name only known at run time is not seen; a default name is left to the catalog's ledger removal.
 */
export function configuredLedgers(ctx: RuleFileContext): RuleMatch | undefined {
  const objects = objectsWithKeys(ctx.sourceFile, KEYS);
  if (objects.length === 0) return undefined;
  const whole = wholeFileContext(ctx);
  const found: ConfiguredLedger[] = [];
  for (const options of objects) {
    const schema = ownString(options, 'migrationTableSchema', whole);
    const table = ownString(options, 'migrationTableName', whole);
    const lock = ownString(options, 'migrationLockTableName', whole);
    if (table !== null) found.push(ledger(LEDGER, table, schema, 'Kysely migrations ledger', keyPosition(options, 'migrationTableName', ctx)));
    if (lock !== null) found.push(ledger(LOCK, lock, schema, 'Kysely migrations lock', keyPosition(options, 'migrationLockTableName', ctx)));
  }
  const refs = ledgerRefs(found);
  return refs.length > 0 ? { refs } : undefined;
}
