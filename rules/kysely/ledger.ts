import { ledgersFromOptions } from '../../src/rules/ledgers.js';
import type { RuleFileContext, RuleMatch } from '../../src/rules/types.js';
import { MIGRATION_LEDGERS } from '../../src/schema/ledger.js';

const { ledger: LEDGER, lock: LOCK } = MIGRATION_LEDGERS.kysely;

/**
 * Kysely's migration ledger and lock under the names the app configures (kysely v0.29.5,
 * src/migration/migrator.ts `MigratorProps`): `migrationTableName`, `migrationLockTableName`
 * and `migrationTableSchema` (both tables' schema), read from any object that spells one of them
 * (`new Migrator({ db, provider, migrationTableName })`, a kysely-ctl config's `migrations`).
 * A name only known at run time is not seen; a default name is left to the catalog's ledger removal.
 */
export function configuredLedgers(ctx: RuleFileContext): RuleMatch | undefined {
  return ledgersFromOptions(ctx, {
    schemaKey: 'migrationTableSchema',
    tables: [
      { key: 'migrationTableName', table: LEDGER, owned: 'Kysely migrations ledger' },
      { key: 'migrationLockTableName', table: LOCK, owned: 'Kysely migrations lock' },
    ],
  });
}
