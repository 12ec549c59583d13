import { keyPosition, ledger, ledgerRefs, objectsWithKeys, ownProperty, ownString, parentObjectOf, wholeFileContext, type ConfiguredLedger } from '../../src/rules/ledgers.js';
import type { Rule, RuleFileContext, RuleMatch } from '../../src/rules/types.js';
import { MIGRATION_LEDGERS } from '../../src/schema/ledger.js';

const { ledger: LEDGER } = MIGRATION_LEDGERS.mikroOrm;

/**
 * @mikro-orm/migrations keeps the migrations it ran in a ledger it creates, reads and writes itself
 * from node_modules. Under its default name (`mikro_orm_migrations`) the table never reaches the
 * audit; this rule sees the name the app configures instead. From mikro-orm's source at tag
 * v7.1.13: packages/core/src/utils/Configuration.ts (`migrations: { tableName }`, default
 * 'mikro_orm_migrations') and packages/migrations/src/MigrationStorage.ts (`tableName` may be
 * `schema.table`, else `migrations.schema` or the config's `schema`; columns id, name,
 * executed_at). It reads `migrations: { tableName }` in any MikroORM options object
 * (`defineConfig({...})`, `MikroORM.init({...})`, mikro-orm.config.ts; an object with knex's
 * `client` is knex's) and reports the table and its columns as library-owned reads and writes.
 * A name only known at run time is not seen.
 */
const rule: Rule = {
  name: '@mikro-orm/migrations',
  enablers: ['@mikro-orm/migrations'],
  meta: {
    docs: 'https://mikro-orm.io/docs/migrations',
    upstream: 'https://github.com/mikro-orm/mikro-orm',
    sees: 'the migrations ledger it owns under a configured name (`migrations: { tableName }` in the ORM options)',
    defaultConfidence: 'high',
  },
  visitors: {
    SourceFile: (_node, ctx) => configuredLedgers(ctx),
  },
};

export default rule;

function configuredLedgers(ctx: RuleFileContext): RuleMatch | undefined {
  if (!ctx.sourceFile.text.includes('migrations')) return undefined;
  const whole = wholeFileContext(ctx);
  const found: ConfiguredLedger[] = [];
  for (const options of objectsWithKeys(ctx.sourceFile, ['tableName'])) {
    const config = parentObjectOf(options, 'migrations');
    if (config === undefined || ownProperty(config, 'client') !== undefined) continue;
    const name = ownString(options, 'tableName', whole);
    if (typeof name !== 'string') continue;
    // MigrationStorage.resolveTableName: `migrations.schema`, else the `schema.` prefix, else the config's `schema`.
    const parts = name.split('.');
    const table = parts.length > 1 ? parts[1]! : name;
    const own = ownString(options, 'schema', whole);
    const schema = own !== undefined ? own : parts.length > 1 ? parts[0] : ownString(config, 'schema', whole);
    found.push(ledger(LEDGER, table, schema, 'MikroORM migrations ledger', keyPosition(options, 'tableName', ctx)));
  }
  const refs = ledgerRefs(found);
  return refs.length > 0 ? { refs } : undefined;
}
