import { ts } from 'ts-morph';
import { callChain, objectEntries, propertyNameText, unwrap } from '../../src/rules/helpers.js';

/** What one file declares, read once per file: tables, relations and how names are imported. */
export interface FileInfo {
  /** Local import names → exported names (`import { users as u }` → u → users). */
  imports: Map<string, string>;
  /** `import * as schema` names: `schema.users` is table `users`. */
  namespaces: Set<string>;
  /** Table (or view) variables declared here. */
  tables: Map<string, TableDecl>;
  /** `const parent = alias(users, 'parent')` → parent → users. */
  aliases: Map<string, string>;
  /** `relations(users, ...)` per source table variable. */
  relations: Map<string, RelationDecl[]>;
  /** Other top-level consts (shared column objects, pgSchema, pgTableCreator). */
  consts: Map<string, ts.Expression>;
}

export interface ColumnDecl {
  key: string;
  keyNode: ts.Node;
  /** The name the builder gives (`text('db_col')`); undefined when derived from the key. */
  column?: string;
}

export interface TableDecl {
  variable: string;
  name: string;
  schema?: string;
  columns: ColumnDecl[];
  /** Some columns come from where this file cannot see (a spread of an imported object). */
  open: boolean;
  nameNode: ts.Node;
  call: ts.CallExpression;
}

export interface RelationDecl {
  name: string;
  keyNode: ts.Node;
  kind: 'one' | 'many';
  target: string;
  /** Keys of the source table holding the foreign key (`fields: [posts.authorId]`). */
  fields: string[];
  relationName?: string;
}

const TABLE_FUNCTIONS = new Set(['pgTable', 'pgTableWithSchema']);
const VIEW_FUNCTIONS = new Set(['pgView', 'pgMaterializedView']);
const SCHEMA_TABLE_METHODS = new Set(['table', 'view', 'materializedView']);

const cache = new WeakMap<ts.SourceFile, FileInfo>();

export function fileInfo(sourceFile: ts.SourceFile): FileInfo {
  const cached = cache.get(sourceFile);
  if (cached !== undefined) return cached;
  const info: FileInfo = { imports: new Map(), namespaces: new Set(), tables: new Map(), aliases: new Map(), relations: new Map(), consts: new Map() };
  cache.set(sourceFile, info);
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) info.imports.set(clause.name.text, clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) info.namespaces.add(bindings.name.text);
      else if (bindings) for (const element of bindings.elements) info.imports.set(element.name.text, (element.propertyName ?? element.name).text);
      continue;
    }
    if (!ts.isVariableStatement(statement)) continue;
    for (const decl of statement.declarationList.declarations) {
      if (ts.isIdentifier(decl.name) && decl.initializer !== undefined) info.consts.set(decl.name.text, decl.initializer);
    }
  }
  for (const [variable, initializer] of info.consts) {
    const call = declarationCall(initializer);
    if (call === undefined) continue;
    const table = tableDeclaration(call, info);
    if (table !== undefined) {
      info.tables.set(variable, { ...table, variable });
      continue;
    }
    const callee = unwrap(call.expression);
    const first = call.arguments[0] !== undefined ? unwrap(call.arguments[0]) : undefined;
    if (ts.isIdentifier(callee) && callee.text === 'alias' && first !== undefined) {
      const target = tableName(first, info);
      if (target !== undefined) info.aliases.set(variable, target);
    } else if (ts.isIdentifier(callee) && callee.text === 'relations' && first !== undefined && ts.isIdentifier(first)) {
      info.relations.set(first.text, relationDeclarations(call));
    }
  }
  return info;
}

/** The declaring call under `.enableRLS()`-style modifiers. */
function declarationCall(initializer: ts.Expression): ts.CallExpression | undefined {
  let expr = unwrap(initializer);
  while (ts.isCallExpression(expr)) {
    const callee = unwrap(expr.expression);
    if (ts.isPropertyAccessExpression(callee) && ts.isCallExpression(unwrap(callee.expression)) && !SCHEMA_TABLE_METHODS.has(callee.name.text)) {
      expr = unwrap(callee.expression);
      continue;
    }
    return expr;
  }
  return undefined;
}

/** The Postgres schema of `pgSchema('billing')`, directly or through a const. */
function schemaOf(expression: ts.Expression, info: FileInfo): string | undefined {
  let expr = unwrap(expression);
  if (ts.isIdentifier(expr)) {
    const value = info.consts.get(expr.text);
    if (value === undefined) return undefined;
    expr = unwrap(value);
  }
  if (!ts.isCallExpression(expr)) return undefined;
  const callee = unwrap(expr.expression);
  const arg = expr.arguments[0] !== undefined ? unwrap(expr.arguments[0]) : undefined;
  if (!ts.isIdentifier(callee) || callee.text !== 'pgSchema' || arg === undefined || !ts.isStringLiteralLike(arg)) return undefined;
  return arg.text;
}

/** `pgTableCreator((name) => \`app_${name}\`)`: the table name a creator makes of `name`. */
function creatorName(creator: ts.Expression, name: string): string | undefined {
  const expr = unwrap(creator);
  if (!ts.isCallExpression(expr) || !ts.isIdentifier(expr.expression) || expr.expression.text !== 'pgTableCreator') return undefined;
  const fn = expr.arguments[0] !== undefined ? unwrap(expr.arguments[0]) : undefined;
  if (fn === undefined || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  const param = fn.parameters[0]?.name;
  const body = ts.isBlock(fn.body) ? fn.body.statements.find(ts.isReturnStatement)?.expression : fn.body;
  const template = body === undefined ? undefined : unwrap(body);
  if (param === undefined || !ts.isIdentifier(param) || template === undefined || !ts.isTemplateExpression(template)) return undefined;
  let out = template.head.text;
  for (const span of template.templateSpans) {
    if (!ts.isIdentifier(span.expression) || span.expression.text !== param.text) return undefined;
    out += name + span.literal.text;
  }
  return out;
}

/** `pgTable('users', {...})`, `billing.table('invoices', ...)`, `pgView('v', {...})`, a `pgTableCreator` table. */
export function tableDeclaration(call: ts.CallExpression, info: FileInfo): Omit<TableDecl, 'variable'> | undefined {
  const nameArg = call.arguments[0];
  const nameNode = nameArg === undefined ? undefined : unwrap(nameArg);
  if (nameNode === undefined || !ts.isStringLiteralLike(nameNode)) return undefined;
  const callee = unwrap(call.expression);
  let name: string | undefined = nameNode.text;
  let schema: string | undefined;
  let columnsArg = call.arguments[1];
  if (ts.isIdentifier(callee)) {
    if (callee.text === 'pgTableWithSchema') {
      schema = call.arguments[2] !== undefined && ts.isStringLiteralLike(unwrap(call.arguments[2])) ? (unwrap(call.arguments[2]) as ts.StringLiteral).text : undefined;
    } else if (!TABLE_FUNCTIONS.has(callee.text) && !VIEW_FUNCTIONS.has(callee.text)) {
      const creator = info.consts.get(callee.text);
      name = creator === undefined ? undefined : creatorName(creator, nameNode.text);
    }
  } else if (ts.isPropertyAccessExpression(callee) && SCHEMA_TABLE_METHODS.has(callee.name.text)) {
    schema = schemaOf(callee.expression, info);
    if (schema === undefined) return undefined;
  } else return undefined;
  if (name === undefined) return undefined;
  const unseen = { open: false };
  if (columnsArg !== undefined && ts.isCallExpression(unwrap(columnsArg))) {
    columnsArg = undefined;
    unseen.open = true;
  }
  const columns = columnsArg === undefined ? [] : columnDeclarations(columnsArg, info, unseen);
  return { name, ...(schema !== undefined ? { schema } : {}), columns, open: unseen.open, nameNode, call };
}

/** The object a column map is written as: a literal or `(t) => ({ ... })`. */
function columnsObject(expression: ts.Expression): ts.Expression | undefined {
  const expr = unwrap(expression);
  if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) {
    return ts.isBlock(expr.body) ? expr.body.statements.find(ts.isReturnStatement)?.expression : expr.body;
  }
  return expr;
}

function columnDeclarations(expression: ts.Expression, info: FileInfo, unseen: { open: boolean }, depth = 0): ColumnDecl[] {
  const object = columnsObject(expression);
  if (object === undefined || !ts.isObjectLiteralExpression(unwrap(object))) {
    unseen.open = true;
    return [];
  }
  const out: ColumnDecl[] = [];
  for (const prop of (unwrap(object) as ts.ObjectLiteralExpression).properties) {
    // `...timestamps`: a shared column object declared in this file.
    if (ts.isSpreadAssignment(prop)) {
      const shared = ts.isIdentifier(prop.expression) && depth < 3 ? info.consts.get(prop.expression.text) : undefined;
      if (shared !== undefined) out.push(...columnDeclarations(shared, info, unseen, depth + 1));
      else unseen.open = true;
      continue;
    }
    if (!ts.isPropertyAssignment(prop)) continue;
    const key = propertyNameText(prop.name);
    if (key === undefined) continue;
    const column = builderColumnName(prop.initializer);
    out.push({ key, keyNode: prop.name, ...(column !== undefined ? { column } : {}) });
  }
  return out;
}

/** `text('db_col').notNull()`, `t.text('db_col')`: the explicit column name, if any. */
function builderColumnName(expression: ts.Expression): string | undefined {
  const chain = callChain(unwrap(expression) as ts.CallExpression);
  const first = chain.links[0];
  const arg = first?.args[0] === undefined ? undefined : unwrap(first.args[0]);
  return arg !== undefined && ts.isStringLiteralLike(arg) ? arg.text : undefined;
}

function relationDeclarations(call: ts.CallExpression): RelationDecl[] {
  const out: RelationDecl[] = [];
  const body = call.arguments[1] === undefined ? undefined : columnsObject(call.arguments[1]);
  for (const entry of objectEntries(body)) {
    const value = unwrap(entry.value);
    if (!ts.isCallExpression(value) || !ts.isIdentifier(value.expression)) continue;
    const kind = value.expression.text;
    const target = value.arguments[0] === undefined ? undefined : unwrap(value.arguments[0]);
    if ((kind !== 'one' && kind !== 'many') || target === undefined || !ts.isIdentifier(target)) continue;
    const config = value.arguments[1];
    const fields = objectEntries(config).find((e) => e.key === 'fields')?.value;
    const relationName = objectEntries(config).find((e) => e.key === 'relationName')?.value;
    const keys: string[] = [];
    if (fields !== undefined && ts.isArrayLiteralExpression(unwrap(fields))) {
      for (const element of (unwrap(fields) as ts.ArrayLiteralExpression).elements) {
        const access = unwrap(element as ts.Expression);
        if (ts.isPropertyAccessExpression(access)) keys.push(access.name.text);
      }
    }
    out.push({
      name: entry.key,
      keyNode: entry.keyNode,
      kind,
      target: target.text,
      fields: keys,
      ...(relationName !== undefined && ts.isStringLiteralLike(unwrap(relationName)) ? { relationName: (unwrap(relationName) as ts.StringLiteral).text } : {}),
    });
  }
  return out;
}

/**
 * The table variable an expression names, as its declaring module exports it: `users`,
 * `u` imported as `users`, `schema.users`, an `alias(users, ...)`. Anything else (a
 * subquery, a local, a parameter) is not a table.
 */
export function tableName(expression: ts.Expression, info: FileInfo): string | undefined {
  const expr = unwrap(expression);
  if (ts.isIdentifier(expr)) {
    const name = expr.text;
    if (info.tables.has(name)) return name;
    if (info.aliases.has(name)) return info.aliases.get(name);
    return info.imports.get(name);
  }
  if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression) && info.namespaces.has(expr.expression.text)) return expr.name.text;
  return undefined;
}
