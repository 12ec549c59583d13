import { toSnake } from '../../src/names/case.js';
import type { Rule } from '../../src/rules/types.js';
import { KYSELY_ADAPTER } from '../_shared/authjs.js';
import { calleeModule, mentionsModule } from '../_shared/imports.js';
import { ownedRefs, READ_WRITE_DELETE, type OwnedTable } from '../_shared/owned.js';

/**
 * @auth/kysely-adapter runs its own Kysely queries on the Auth.js tables from node_modules.
 * Read from github.com/nextauthjs/next-auth at tag `@auth/kysely-adapter@1.11.3`:
 * packages/adapter-kysely/src/index.ts (every query) and the schema in
 * docs/pages/getting-started/adapters/kysely.mdx; the lists are in rules/_shared/authjs.ts.
 * At `KyselyAdapter(db)` the rule reports `User`, `Account`, `Session` and `VerificationToken`
 * (or `user`, `account`, `session`, `verification_token`, the names Kysely's `CamelCasePlugin`
 * gives them) and the columns the adapter names as read, written and deleted by the library
 * (`library-owned`); `User`, `Session` and `VerificationToken` are also read whole
 * (`selectAll()`, `returningAll()`). The table names are fixed: the adapter takes no options.
 */
const MODULES = ['@auth/kysely-adapter'] as const;

const rule: Rule = {
  name: '@auth/kysely-adapter',
  enablers: [...MODULES],
  meta: {
    docs: 'https://authjs.dev/getting-started/adapters/kysely',
    upstream: 'https://github.com/nextauthjs/next-auth/tree/main/packages/adapter-kysely',
    sees: 'the Auth.js tables its queries own (`User`, `Account`, `Session`, `VerificationToken`, or their CamelCasePlugin snake_case names) at `KyselyAdapter(db)`',
    defaultConfidence: 'high',
  },
  visitors: {
    CallExpression(node, ctx) {
      if (!mentionsModule(ctx.sourceFile, MODULES)) return undefined;
      const module = calleeModule(node.expression, ctx.sourceFile, MODULES, 'KyselyAdapter');
      if (module === undefined) return undefined;
      const tables: OwnedTable[] = KYSELY_ADAPTER.map(({ table, columns, wholeRows }) => ({
        relations: [...new Set([table, toSnake(table)])].map((name) => ({ table: name })),
        columns,
        roles: READ_WRITE_DELETE,
        wildcard: wholeRows,
      }));
      return { refs: ownedRefs(tables, module, node.getStart(ctx.sourceFile)) };
    },
  },
};

export default rule;
