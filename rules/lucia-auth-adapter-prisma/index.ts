import { ts } from 'ts-morph';
import { unwrap } from '../../src/rules/helpers.js';
import type { Rule, RuleFileContext } from '../../src/rules/types.js';
import { calleeModule } from '../_shared/imports.js';
import { FIELD_SESSION_COLUMNS, luciaAdapterVisitor, type LuciaAdapterTables } from '../_shared/lucia.js';
import { prismaModels } from '../_shared/orm-models.js';

/**
 * @lucia-auth/adapter-prisma (Lucia v3) calls the Prisma delegates it is given. Read from
 * github.com/lucia-auth/lucia, branch `v3` at commit fc016ca8 (package version 4.0.1; the
 * repository has no tags): packages/adapter-prisma/src/index.ts; the lists are in
 * rules/_shared/lucia.ts.
 *
 * At `new PrismaAdapter(client.session, client.user)` the models are the delegates' names
 * (`client.authSession` is model `AuthSession`). The session fields `id`, `userId`, `expiresAt`
 * are read, written and deleted and the user's `id` is read by the library (`library-owned`);
 * no call has a `select` (the user comes through `include`), so every scalar field of both
 * models is read. Models resolve to tables through schema.prisma (`@@map`, `@map`): the core
 * resolves a model only against the rule's own declarations, so this rule declares the schema's
 * models itself with the prisma rule's schema reader. In `new Lucia(adapter, {
 * getUserAttributes, getSessionAttributes })` each `attributes.x` reads field `x` of the user or
 * session model.
 */
const MODULES = ['@lucia-auth/adapter-prisma'] as const;

const rule: Rule = {
  name: '@lucia-auth/adapter-prisma',
  enablers: [...MODULES],
  meta: {
    docs: 'https://v3.lucia-auth.com/database/prisma',
    upstream: 'https://github.com/lucia-auth/lucia/tree/v3/packages/adapter-prisma',
    sees: 'the session and user models given to `new PrismaAdapter(client.session, client.user)`, mapped by schema.prisma `@@map`/`@map`',
    defaultConfidence: 'high',
  },
  projectFiles: {
    patterns: ['**/*.prisma'],
    scan: (_file, text) => prismaModels(text),
  },
  visitors: {
    NewExpression: luciaAdapterVisitor({ modules: MODULES, adapterModule, adapterTables, sessionColumns: FIELD_SESSION_COLUMNS }),
  },
};

export default rule;

function adapterModule(node: ts.NewExpression, ctx: RuleFileContext): string | undefined {
  return calleeModule(node.expression, ctx.sourceFile, MODULES, 'PrismaAdapter');
}

/** `(client.session, client.user)`: the delegates' models. */
function adapterTables(node: ts.NewExpression, ctx: RuleFileContext): LuciaAdapterTables {
  const [sessionArg, userArg] = node.arguments ?? [];
  const session = delegateModel(sessionArg, ctx);
  const user = delegateModel(userArg, ctx);
  return { ...(session !== undefined ? { session: { model: session } } : {}), ...(user !== undefined ? { user: { model: user } } : {}) };
}

/** `client.session`, `prisma['session']`, or a same-file const holding one: the model (first letter as written; the core ignores its case). */
function delegateModel(expression: ts.Expression | undefined, ctx: RuleFileContext, depth = 0): string | undefined {
  if (expression === undefined || depth > 3) return undefined;
  const expr = unwrap(expression);
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  if (ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression)) return expr.argumentExpression.text;
  if (ts.isIdentifier(expr)) {
    const value = ctx.valueOf(expr.text, expr.getStart(ctx.sourceFile));
    return value === undefined || unwrap(value) === expr ? undefined : delegateModel(value, ctx, depth + 1);
  }
  return undefined;
}
