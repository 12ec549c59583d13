import type { Rule } from '../../src/rules/types.js';
import { PRISMA_ADAPTER } from '../_shared/authjs.js';
import { calleeModule, mentionsModule } from '../_shared/imports.js';
import { prismaModels } from '../_shared/orm-models.js';
import { ownedRefs, READ_WRITE, READ_WRITE_DELETE, type OwnedTable } from '../_shared/owned.js';

/**
 * @auth/prisma-adapter (and its predecessor @next-auth/prisma-adapter) calls the app's Prisma
 * client on the Auth.js models from node_modules. Read from github.com/nextauthjs/next-auth at
 * tag `@auth/prisma-adapter@2.11.3`: packages/adapter-prisma/src/index.ts (every delegate call)
 * and packages/adapter-prisma/prisma/schema.prisma; at `@next-auth/prisma-adapter@1.0.7` the
 * same file has the same calls without `authenticator`. The lists are in rules/_shared/authjs.ts.
 *
 * At `PrismaAdapter(prisma)` the rule reports the models `User`, `Account`, `Session`,
 * `VerificationToken` and `Authenticator` and the Auth.js fields as read, written and deleted by
 * the library (`library-owned`), and every scalar field of those models as read (no call has a
 * `select`). Models resolve to tables through the app's schema.prisma (`@@map`, `@map`,
 * `@@schema`): the core resolves a model only against the rule's own declarations, so this rule
 * declares those five models itself with the prisma rule's schema reader.
 */
const MODULES = ['@auth/prisma-adapter', '@next-auth/prisma-adapter'] as const;
const MODELS = new Set(PRISMA_ADAPTER.map((m) => m.prismaModel));

const rule: Rule = {
  name: '@auth/prisma-adapter',
  enablers: [...MODULES],
  meta: {
    docs: 'https://authjs.dev/getting-started/adapters/prisma',
    upstream: 'https://github.com/nextauthjs/next-auth/tree/main/packages/adapter-prisma',
    sees: 'the Auth.js models `User`, `Account`, `Session`, `VerificationToken`, `Authenticator` at `PrismaAdapter(prisma)`, mapped by schema.prisma `@@map`/`@map`',
    defaultConfidence: 'high',
  },
  projectFiles: {
    patterns: ['**/*.prisma'],
    scan: (_file, text) => prismaModels(text, MODELS),
  },
  visitors: {
    CallExpression(node, ctx) {
      if (!mentionsModule(ctx.sourceFile, MODULES)) return undefined;
      const module = calleeModule(node.expression, ctx.sourceFile, MODULES, 'PrismaAdapter');
      if (module === undefined) return undefined;
      const tables: OwnedTable[] = PRISMA_ADAPTER.map(({ prismaModel, columns, deletes, wholeRows }) => ({
        relations: [{ model: prismaModel }],
        columns,
        roles: deletes ? READ_WRITE_DELETE : READ_WRITE,
        wildcard: wholeRows,
      }));
      return { refs: ownedRefs(tables, module, node.getStart(ctx.sourceFile)) };
    },
  },
};

export default rule;
