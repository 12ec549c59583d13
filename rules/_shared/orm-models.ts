import { ts } from 'ts-morph';
import type { HookResult, RuleFileContext, RuleRef } from '../../src/rules/types.js';
import { tableDeclarationHook } from '../drizzle-orm/declarations.js';
import { fileInfo, tableName } from '../drizzle-orm/file-info.js';
import { isRelationField, parsePrismaSchema } from '../prisma/schema.js';
import { defineCall, initCall, tableClass } from '../sequelize/models.js';
import { entityClass, entitySchema } from '../typeorm/entities.js';

/**
 * Model declarations an adapter pack borrows from the ORM rule it sits on. The core resolves a
 * `{ model }` relation against the models the *same* rule declared (src/match/library.ts keys
 * models by rule), so an adapter that is handed the app's own Drizzle table, TypeORM entity,
 * Sequelize model or Prisma model re-declares them under its own name with the ORM rule's own
 * readers: only `model` and `field` references, never uses, covers or declared ranges (the ORM
 * rule still reports those). The core deduplicates the evidence (same file, place and kind).
 */
function declarationsOnly(result: HookResult): HookResult {
  if (result === undefined || result === false) return undefined;
  const refs = (result.refs ?? []).filter((ref) => ref.kind === 'model' || ref.kind === 'field');
  return refs.length > 0 ? { refs } : undefined;
}

/** `export const users = pgTable('auth_user', {...})`: model `users` (the variable). */
export function drizzleTables(node: ts.CallExpression, ctx: RuleFileContext): HookResult {
  return declarationsOnly(tableDeclarationHook(node, ctx));
}

/**
 * The model a Drizzle table expression names, the way the drizzle-orm rule names it: a
 * same-file table variable, an imported one (by its exported name), `schema.users`.
 */
export function drizzleModel(expression: ts.Expression | undefined, ctx: RuleFileContext): string | undefined {
  return expression === undefined ? undefined : tableName(expression, fileInfo(ctx.sourceFile));
}

/** `@Entity()` classes and `new EntitySchema({...})`: model = class (or schema) name. */
export function typeormEntities(node: ts.ClassDeclaration | ts.NewExpression, ctx: RuleFileContext): HookResult {
  return declarationsOnly(ts.isClassDeclaration(node) ? entityClass(node, ctx) : entitySchema(node, ctx));
}

/** `Model.init`, `sequelize.define` (model = define name and const) and sequelize-typescript `@Table` classes. */
export function sequelizeModels(node: ts.CallExpression | ts.ClassDeclaration, ctx: RuleFileContext): HookResult {
  if (ts.isClassDeclaration(node)) return declarationsOnly(tableClass(node, ctx));
  return declarationsOnly(initCall(node, ctx) ?? defineCall(node, ctx));
}

/**
 * schema.prisma models (`@@map`, `@@schema`) and their scalar fields (`@map`), or only the
 * models named in `only`. Relation fields and relation paths are the prisma rule's business.
 */
export function prismaModels(text: string, only?: ReadonlySet<string>): RuleRef[] {
  const schema = parsePrismaSchema(text);
  const refs: RuleRef[] = [];
  for (const model of schema.models.values()) {
    if (only !== undefined && !only.has(model.name)) continue;
    refs.push({ kind: 'model', model: model.name, tables: [model.table], ...(model.schema ? { schema: model.schema } : {}), position: model.position });
    for (const field of model.fields) {
      if (!isRelationField(field, schema)) refs.push({ kind: 'field', model: model.name, field: field.name, column: field.column, position: field.position });
    }
  }
  return refs;
}

/**
 * The class or model an expression names as its declaring module exports it: `User`, `U`
 * imported as `User`, `entities.User`. Anything else (a call, a local) is undefined.
 */
export function exportedName(expression: ts.Expression | undefined, sourceFile: ts.SourceFile): string | undefined {
  if (expression === undefined) return undefined;
  const expr = ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression) ? expression.expression : expression;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  if (!ts.isIdentifier(expr)) return undefined;
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings === undefined || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) if (element.name.text === expr.text) return (element.propertyName ?? element.name).text;
  }
  return expr.text;
}

/** `import * as entities from './entities'`: true when `name` is such a namespace. */
export function isNamespaceImport(name: string, sourceFile: ts.SourceFile): boolean {
  return sourceFile.statements.some((statement) => {
    const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
    return bindings !== undefined && ts.isNamespaceImport(bindings) && bindings.name.text === name;
  });
}
