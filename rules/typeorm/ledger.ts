import { type ConfiguredLedger, jsonObjectsWithKeys, jsonString, ledger, ledgerRefs, ledgersFromOptions } from '../../src/rules/ledgers.js';
import type { RuleFileContext, RuleMatch, RuleRef } from '../../src/rules/types.js';
import { MIGRATION_LEDGERS } from '../../src/schema/ledger.js';

const { ledger: LEDGER, metadata: METADATA } = MIGRATION_LEDGERS.typeorm;
const KEYS = ['migrationsTableName', 'metadataTableName'];
const OWNED_LEDGER = 'TypeORM migrations ledger';
const OWNED_METADATA = 'TypeORM metadata table';

/**
 * TypeORM's migrations ledger and metadata table under the names the app configures (typeorm
 * 1.1.0, src/data-source/BaseDataSourceOptions.ts): `migrationsTableName` and `metadataTableName`
 * in the data source options (`new DataSource({...})`, an ormconfig.js, a Nest `TypeOrmModule`
 * config), in the options' `schema`. A name only known at run time is not seen; a default name is
 * left to the catalog's ledger removal.
 */
export function configuredLedgers(ctx: RuleFileContext): RuleMatch | undefined {
  return ledgersFromOptions(ctx, {
    schemaKey: 'schema',
    tables: [
      { key: 'migrationsTableName', table: LEDGER, owned: OWNED_LEDGER },
      { key: 'metadataTableName', table: METADATA, owned: OWNED_METADATA },
    ],
  });
}

/** The same options in an ormconfig.json (a connection object or a list of them). */
export function ormconfigLedgers(_file: string, text: string): RuleRef[] {
  const found: ConfiguredLedger[] = [];
  for (const { value, positionOf } of jsonObjectsWithKeys(text, KEYS)) {
    const schema = jsonString(value, 'schema');
    const table = jsonString(value, 'migrationsTableName');
    const metadata = jsonString(value, 'metadataTableName');
    if (table !== undefined) found.push(ledger(LEDGER, table, schema, OWNED_LEDGER, positionOf('migrationsTableName')));
    if (metadata !== undefined) found.push(ledger(METADATA, metadata, schema, OWNED_METADATA, positionOf('metadataTableName')));
  }
  return ledgerRefs(found);
}
