import path from 'node:path';
import { ts } from 'ts-morph';
import { unwrap } from '../../src/rules/helpers.js';
import { type ConfiguredLedger, keyPosition, ledger, ledgerRefs, objectsWithKeys, ownProperty, ownString, parentObjectOf, wholeFileContext } from '../../src/rules/ledgers.js';
import type { RuleFileContext, RuleMatch } from '../../src/rules/types.js';
import { MIGRATION_LEDGERS } from '../../src/schema/ledger.js';

const { ledger: LEDGER, lock: LOCK } = MIGRATION_LEDGERS.knex;

/**
 * knex's migration ledger and lock under the names the app configures (knex 3.3.0,
 * lib/migrations/migrate/migrator-configuration-merger.js and table-resolver.js): `tableName`
 * (the lock is `<tableName>_lock`) and `schemaName`, read from `migrations: { tableName }` in a
 * knex config (an object with `client` or `connection`, or any object of a knexfile) and from the
 * options of `knex.migrate.latest/up/down/rollback/...({ tableName })`. A name only known at run
 * time is not seen; a default name is left to the catalog's ledger removal.
 */
export function configuredLedgers(ctx: RuleFileContext): RuleMatch | undefined {
  if (!ctx.sourceFile.text.includes('migrat')) return undefined;
  const whole = wholeFileContext(ctx);
  const found: ConfiguredLedger[] = [];
  for (const options of objectsWithKeys(ctx.sourceFile, ['tableName'])) {
    if (!isMigratorConfig(options, ctx)) continue;
    const table = ownString(options, 'tableName', whole);
    const schema = ownString(options, 'schemaName', whole);
    if (typeof table !== 'string') continue;
    const position = keyPosition(options, 'tableName', ctx);
    found.push(ledger(LEDGER, table, schema, 'knex migrations ledger', position));
    found.push(ledger(LOCK, `${table}_lock`, schema, 'knex migrations lock', position));
  }
  const refs = ledgerRefs(found);
  return refs.length > 0 ? { refs } : undefined;
}

/** `{ client, migrations: options }` (or any `migrations: options` in a knexfile), or `x.migrate.latest(options)`. */
function isMigratorConfig(options: ts.ObjectLiteralExpression, ctx: RuleFileContext): boolean {
  const config = parentObjectOf(options, 'migrations');
  if (config !== undefined) {
    return ownProperty(config, 'client') !== undefined || ownProperty(config, 'connection') !== undefined || path.basename(ctx.file).startsWith('knexfile');
  }
  let node: ts.Node = options;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent)) node = node.parent;
  const call = node.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== node) return false;
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const owner = unwrap(callee.expression);
  return ts.isPropertyAccessExpression(owner) && owner.name.text === 'migrate';
}
