import type { Rule } from '../../src/rules/types.js';
import { PG_ADAPTER } from '../_shared/authjs.js';
import { calleeModule, mentionsModule } from '../_shared/imports.js';
import { ownedRefs, READ_WRITE_DELETE, type OwnedTable } from '../_shared/owned.js';

/**
 * @auth/pg-adapter keeps Auth.js users, accounts, sessions and verification tokens in tables
 * its own SQL names, from node_modules. Read from github.com/nextauthjs/next-auth at tag
 * `@auth/pg-adapter@1.11.3`: packages/adapter-pg/src/index.ts (every statement) and
 * packages/adapter-pg/schema.sql; the lists are in rules/_shared/authjs.ts. At the adapter call
 * (`PostgresAdapter(pool)`, the package's default export under any local name) the rule
 * reports `users`, `accounts`, `sessions` and `verification_token` and the columns the
 * adapter names as read, written and deleted by the library (`library-owned`), and `users` and
 * `sessions` as read whole (`select *`), so a column the app added there and never reads is
 * dead at low confidence only. The table names are fixed: the adapter takes no options.
 */
const MODULES = ['@auth/pg-adapter'] as const;

const rule: Rule = {
  name: '@auth/pg-adapter',
  enablers: [...MODULES],
  meta: {
    docs: 'https://authjs.dev/getting-started/adapters/pg',
    upstream: 'https://github.com/nextauthjs/next-auth/tree/main/packages/adapter-pg',
    sees: 'the Auth.js tables its SQL owns (`users`, `accounts`, `sessions`, `verification_token`) at `PostgresAdapter(pool)`',
    defaultConfidence: 'high',
  },
  visitors: {
    CallExpression(node, ctx) {
      if (!mentionsModule(ctx.sourceFile, MODULES)) return undefined;
      const module = calleeModule(node.expression, ctx.sourceFile, MODULES, 'default');
      if (module === undefined) return undefined;
      const tables: OwnedTable[] = Object.values(PG_ADAPTER).map(({ table, columns, wholeRows }) => ({
        relations: [{ table }],
        columns,
        roles: READ_WRITE_DELETE,
        wildcard: wholeRows,
      }));
      return { refs: ownedRefs(tables, module, node.getStart(ctx.sourceFile)) };
    },
  },
};

export default rule;

