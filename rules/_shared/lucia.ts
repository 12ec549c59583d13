/**
 * The columns Lucia v3's database adapters read and write from node_modules. Read from
 * github.com/lucia-auth/lucia on branch `v3` at commit fc016ca8deb62b1925298ac2625254afa5ae1531
 * (the mirror has no tags; the packages there are @lucia-auth/adapter-postgresql 3.1.2,
 * @lucia-auth/adapter-drizzle 1.1.0 and @lucia-auth/adapter-prisma 4.0.1, released with lucia
 * 3.2.2):
 * - packages/adapter-postgresql/src/base.ts (`PostgreSQLAdapter`: its SQL on `tableNames.session`
 *   and `tableNames.user`) and src/drivers/{node-postgres,postgresjs,neon-http}.ts
 * - packages/adapter-drizzle/src/drivers/postgresql.ts (`DrizzlePostgreSQLAdapter`)
 * - packages/adapter-prisma/src/index.ts (`PrismaAdapter` on the session and user delegates)
 * - packages/lucia/src/core.ts (the `Lucia` constructor's `getUserAttributes` and
 *   `getSessionAttributes`, which receive those rows' other columns)
 * Every adapter reads whole session and user rows (`SELECT *`, `"user".*`, Drizzle `select()` of
 * the table objects, Prisma reads without `select`): the extra columns are the `attributes` the
 * app's `getUserAttributes`/`getSessionAttributes` pick by name.
 */
import { ts } from 'ts-morph';
import { objectProperty, unwrap } from '../../src/rules/helpers.js';
import type { HookResult, RelationRef, RuleFileContext, RuleRef } from '../../src/rules/types.js';
import { calleeModule, mentionsModule } from './imports.js';
import type { OwnedTable } from './owned.js';
import { ownedRefs, READ, READ_WRITE_DELETE } from './owned.js';

/** SQL column names (adapter-postgresql). */
export const SQL_SESSION_COLUMNS = ['id', 'user_id', 'expires_at'] as const;
/** Drizzle keys and Prisma fields (adapter-drizzle, adapter-prisma). */
export const FIELD_SESSION_COLUMNS = ['id', 'userId', 'expiresAt'] as const;

/** The session table is read, written and deleted; the user table is only read (its `id`, and whole rows). */
export function luciaTables(session: RelationRef | undefined, user: RelationRef | undefined, sessionColumns: readonly string[]): OwnedTable[] {
  const out: OwnedTable[] = [];
  if (session !== undefined) out.push({ relations: [session], columns: sessionColumns, roles: READ_WRITE_DELETE, wildcard: true });
  if (user !== undefined) out.push({ relations: [user], columns: ['id'], roles: READ, wildcard: true });
  return out;
}

/** The tables an adapter expression stands for, as the pack resolved them. */
export interface LuciaAdapterTables {
  session?: RelationRef;
  user?: RelationRef;
}

/** How one Lucia adapter package is read: its modules, its construction, the tables it is given. */
export interface LuciaAdapterPack {
  modules: readonly string[];
  /** The adapter module a `new X(...)` constructs from, or undefined when it is not this adapter. */
  adapterModule: (node: ts.NewExpression, ctx: RuleFileContext) => string | undefined;
  adapterTables: (node: ts.NewExpression, ctx: RuleFileContext) => LuciaAdapterTables;
  /** The session columns as this adapter names them (SQL columns or ORM fields). */
  sessionColumns: readonly string[];
}

/**
 * The `NewExpression` visitor every Lucia adapter pack shares: at the adapter's construction its
 * tables are library-owned; at `new Lucia(adapter, {...})` the attribute callbacks read columns.
 */
export function luciaAdapterVisitor(pack: LuciaAdapterPack): (node: ts.NewExpression, ctx: RuleFileContext) => HookResult {
  return (node, ctx) => {
    if (!mentionsModule(ctx.sourceFile, pack.modules)) return undefined;
    const module = pack.adapterModule(node, ctx);
    if (module === undefined) {
      const refs = luciaAttributeReads(node, ctx, (adapter) => (pack.adapterModule(adapter, ctx) === undefined ? undefined : pack.adapterTables(adapter, ctx)));
      return refs.length > 0 ? { refs } : undefined;
    }
    const { session, user } = pack.adapterTables(node, ctx);
    return { refs: ownedRefs(luciaTables(session, user, pack.sessionColumns), module, node.getStart(ctx.sourceFile)) };
  };
}

/**
 * `new Lucia(adapter, { getUserAttributes: (attributes) => ({ username: attributes.username }),
 * getSessionAttributes })` (lucia@3.2.2 packages/lucia/src/core.ts): Lucia hands the rows'
 * other columns to these callbacks, so each `attributes.x` (or destructured `{ x }`) is the app
 * reading column `x` of the user or session table. `adapterOf` is the pack's reading of an
 * adapter construction; `adapter` may be a same-file const holding it.
 */
export function luciaAttributeReads(
  node: ts.NewExpression,
  ctx: RuleFileContext,
  adapterOf: (adapter: ts.NewExpression) => LuciaAdapterTables | undefined,
): RuleRef[] {
  if (calleeModule(node.expression, ctx.sourceFile, ['lucia'], 'Lucia') === undefined) return [];
  const [adapterArg, options] = node.arguments ?? [];
  const adapter = adapterExpression(adapterArg, ctx);
  const tables = adapter === undefined ? undefined : adapterOf(adapter);
  if (tables === undefined) return [];
  const refs: RuleRef[] = [];
  for (const [key, relation] of [['getUserAttributes', tables.user], ['getSessionAttributes', tables.session]] as const) {
    if (relation === undefined) continue;
    const callback = objectProperty(options, key, ctx);
    for (const name of attributeNames(callback === undefined ? undefined : unwrap(callback))) {
      refs.push({ kind: 'use', relations: [relation], name: name.text, role: 'read', position: name.node.getStart(ctx.sourceFile) });
    }
  }
  return refs;
}

function adapterExpression(expression: ts.Expression | undefined, ctx: RuleFileContext, depth = 0): ts.NewExpression | undefined {
  if (expression === undefined || depth > 3) return undefined;
  const expr = unwrap(expression);
  if (ts.isNewExpression(expr)) return expr;
  if (!ts.isIdentifier(expr)) return undefined;
  const value = ctx.valueOf(expr.text, expr.getStart(ctx.sourceFile));
  return value === undefined || unwrap(value) === expr ? undefined : adapterExpression(value, ctx, depth + 1);
}

/** `(attributes) => ... attributes.x ...`, `({ x, y: z }) => ...`, `getUserAttributes(attributes) { ... }`. */
function attributeNames(callback: ts.Node | undefined): { text: string; node: ts.Node }[] {
  if (callback === undefined || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback) || ts.isMethodDeclaration(callback))) return [];
  const param = callback.parameters[0]?.name;
  const body = callback.body;
  if (param === undefined || body === undefined) return [];
  const out: { text: string; node: ts.Node }[] = [];
  if (ts.isObjectBindingPattern(param)) {
    for (const element of param.elements) {
      const property = element.propertyName ?? element.name;
      if (ts.isIdentifier(property) || ts.isStringLiteral(property)) out.push({ text: property.text, node: property });
    }
    return out;
  }
  if (!ts.isIdentifier(param)) return [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === param.text) out.push({ text: node.name.text, node: node.name });
    else if (ts.isElementAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === param.text && ts.isStringLiteralLike(node.argumentExpression)) {
      out.push({ text: node.argumentExpression.text, node: node.argumentExpression });
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return out;
}
