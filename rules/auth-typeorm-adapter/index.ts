import { ts } from 'ts-morph';
import { objectEntries, objectProperty, resolveObject, unwrap } from '../../src/rules/helpers.js';
import type { Rule, RuleFileContext, RuleMatch } from '../../src/rules/types.js';
import { TYPEORM_ADAPTER } from '../_shared/authjs.js';
import { calleeModule, mentionsModule } from '../_shared/imports.js';
import { exportedName, isNamespaceImport, typeormEntities } from '../_shared/orm-models.js';
import { ownedRefs, READ_WRITE_DELETE, type OwnedTable } from '../_shared/owned.js';

/**
 * @auth/typeorm-adapter (and @next-auth/typeorm-legacy-adapter's `TypeORMLegacyAdapter`) opens
 * its own DataSource and calls the EntityManager on the Auth.js entities from node_modules.
 * Read from github.com/nextauthjs/next-auth at tag `@auth/typeorm-adapter@2.11.3`:
 * packages/adapter-typeorm/src/index.ts (every manager call) and src/entities.ts (the default
 * entities); `@next-auth/typeorm-legacy-adapter@2.0.2` has the same entities and calls in
 * packages/adapter-typeorm-legacy/src/. The lists are in rules/_shared/authjs.ts.
 *
 * At `TypeORMAdapter(dataSource, { entities })` each entity the app passes (`UserEntity`,
 * `AccountEntity`, `SessionEntity`, `VerificationTokenEntity`: a class, an imported class, or
 * `import * as entities` whose exports carry those names) is named by its class, the model the
 * typeorm rule declares for `@Entity`; this rule borrows those declarations
 * (rules/_shared/orm-models.ts). The Auth.js properties are read, written and deleted by the
 * library (`library-owned`), and `findOne` without `select` reads every other column of a
 * custom entity (wildcard). An entity not passed is the default one: `users`, `accounts`,
 * `sessions`, `verification_tokens`.
 */
const LIBRARIES = [
  { module: '@auth/typeorm-adapter', exported: 'TypeORMAdapter' },
  { module: '@next-auth/typeorm-legacy-adapter', exported: 'TypeORMLegacyAdapter' },
] as const;
const MODULES = LIBRARIES.map((l) => l.module);

const rule: Rule = {
  name: '@auth/typeorm-adapter',
  enablers: MODULES,
  meta: {
    docs: 'https://authjs.dev/getting-started/adapters/typeorm',
    upstream: 'https://github.com/nextauthjs/next-auth/tree/main/packages/adapter-typeorm',
    sees: 'the Auth.js entities at `TypeORMAdapter(dataSource, { entities })`: the app\'s @Entity classes (borrowed typeorm declarations), else `users`/`accounts`/`sessions`/`verification_tokens`',
    defaultConfidence: 'high',
  },
  visitors: {
    CallExpression(node, ctx) {
      if (!mentionsModule(ctx.sourceFile, MODULES)) return undefined;
      for (const { module, exported } of LIBRARIES) {
        if (calleeModule(node.expression, ctx.sourceFile, [module], exported) !== undefined) return adapterTables(node, module, ctx);
      }
      return undefined;
    },
    ClassDeclaration: (node, ctx) => typeormEntities(node, ctx),
    NewExpression: (node, ctx) => typeormEntities(node, ctx),
  },
};

export default rule;

function adapterTables(call: ts.CallExpression, module: string, ctx: RuleFileContext): RuleMatch {
  const entitiesArg = objectProperty(call.arguments[1], 'entities', ctx);
  const entities = entitiesArg === undefined ? undefined : unwrap(entitiesArg);
  // `import * as entities from './entities'`: the adapter reads the exports by their default names.
  const namespace = entities !== undefined && ts.isIdentifier(entities) && isNamespaceImport(entities.text, ctx.sourceFile);
  const given = new Map(objectEntries(entities === undefined || namespace ? undefined : resolveObject(entities, ctx), ctx).map((e) => [e.key, e.value]));
  const tables: OwnedTable[] = TYPEORM_ADAPTER.map(({ entity, table, columns }) => {
    const model = namespace ? entity : exportedName(given.get(entity), ctx.sourceFile);
    return model === undefined
      ? { relations: [{ table }], columns, roles: READ_WRITE_DELETE }
      : { relations: [{ model }], columns, roles: READ_WRITE_DELETE, wildcard: true };
  });
  return { refs: ownedRefs(tables, module, call.getStart(ctx.sourceFile)) };
}
