import { ts } from 'ts-morph';
import { unwrap } from '../../src/rules/helpers.js';
import {
  type ConfiguredLedger,
  jsonObjectsWithKeys,
  jsonString,
  keyPosition,
  ledger,
  ledgerRefs,
  objectsWithKeys,
  ownString,
  ownValue,
  parentObjectOf,
  wholeFileContext,
} from '../../src/rules/ledgers.js';
import type { RuleFileContext, RuleMatch, RuleRef } from '../../src/rules/types.js';
import { MIGRATION_LEDGERS } from '../../src/schema/ledger.js';

const { ledger: LEDGER, seeds: SEEDS } = MIGRATION_LEDGERS.sequelize;
/** sequelize-cli adds these when the table has them or `migrationTimestamps` is set (src/core/migrator.js). */
const TIMESTAMPS = ['createdAt', 'updatedAt'];
const CLI_KEYS = ['migrationStorageTableName', 'seederStorageTableName'];
const OWNED_LEDGER = 'sequelize-cli migrations ledger';
const OWNED_SEEDS = 'sequelize-cli seeders ledger';

/**
 * The migration (and seeder) ledger of sequelize-cli and umzug under the names the app
 * configures. sequelize-cli v6.6.3 (src/helpers/umzug-helper.js) reads `migrationStorageTableName`
 * and `migrationStorageTableSchema` (`seederStorage...` for seeders) from its config file
 * (config/config.json or .js, one object per environment; .sequelizerc only says where that file
 * is). umzug v3.8.3 (src/storage/sequelize.ts) takes `tableName`, `schema` and `columnName` in
 * `new SequelizeStorage({...})`, umzug 2 in `new Umzug({ storage: 'sequelize', storageOptions })`.
 * A name only known at run time is not seen; a default name is left to the catalog's ledger removal.
 */
export function configuredLedgers(ctx: RuleFileContext): RuleMatch | undefined {
  const text = ctx.sourceFile.text;
  if (!/storage/i.test(text)) return undefined;
  const whole = wholeFileContext(ctx);
  const found: ConfiguredLedger[] = [];
  for (const options of objectsWithKeys(ctx.sourceFile, CLI_KEYS)) {
    for (const [kind, table, owned] of [['migration', LEDGER, OWNED_LEDGER], ['seeder', SEEDS, OWNED_SEEDS]] as const) {
      const name = ownString(options, `${kind}StorageTableName`, whole);
      const schema = ownString(options, `${kind}StorageTableSchema`, whole);
      if (typeof name !== 'string') continue;
      found.push(ledger(table, name, schema, owned, keyPosition(options, `${kind}StorageTableName`, ctx), TIMESTAMPS));
    }
  }
  for (const options of objectsWithKeys(ctx.sourceFile, ['tableName'])) {
    if (!isUmzugStorage(options, whole)) continue;
    const name = ownString(options, 'tableName', whole);
    const schema = ownString(options, 'schema', whole);
    const column = ownString(options, 'columnName', whole);
    if (typeof name !== 'string' || column === null) continue;
    const columns = { ...LEDGER, columns: [column ?? LEDGER.columns[0]] };
    found.push(ledger(columns, name, schema, 'umzug migrations ledger', keyPosition(options, 'tableName', ctx), TIMESTAMPS));
  }
  const refs = ledgerRefs(found);
  return refs.length > 0 ? { refs } : undefined;
}

/** `new SequelizeStorage(options)`, or `storageOptions: options` next to `storage: 'sequelize'`. */
function isUmzugStorage(options: ts.ObjectLiteralExpression, ctx: RuleFileContext): boolean {
  const umzug = parentObjectOf(options, 'storageOptions');
  if (umzug !== undefined) return ownString(umzug, 'storage', ctx) === 'sequelize';
  let node: ts.Node = options;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent)) node = node.parent;
  const construct = node.parent;
  if (!ts.isNewExpression(construct) || construct.arguments?.[0] !== node) return false;
  const callee = unwrap(construct.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return name === 'SequelizeStorage' && ownValue(options, 'model') === undefined;
}

/** The same sequelize-cli keys in a JSON config file (each environment's object). */
export function configFileLedgers(_file: string, text: string): RuleRef[] {
  const found: ConfiguredLedger[] = [];
  for (const { value, positionOf } of jsonObjectsWithKeys(text, CLI_KEYS)) {
    for (const [kind, table, owned] of [['migration', LEDGER, OWNED_LEDGER], ['seeder', SEEDS, OWNED_SEEDS]] as const) {
      const name = jsonString(value, `${kind}StorageTableName`);
      if (name === undefined) continue;
      found.push(ledger(table, name, jsonString(value, `${kind}StorageTableSchema`), owned, positionOf(`${kind}StorageTableName`), TIMESTAMPS));
    }
  }
  return ledgerRefs(found);
}
