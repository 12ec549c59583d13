import { ts } from 'ts-morph';
import { DATABASE_ROLE_NAME, accessPath, bareName, unwrap } from '../../src/rules/helpers.js';

/**
 * What one file knows about node-postgres: which local names are bound to pg's classes
 * (through imports or require) and which names hold a pool or client.
 */

/** Modules whose exports take query text: pg itself and the cursor/stream add-ons built on its Query API. */
const MODULE_DEFAULTS: Record<string, string> = { 'pg-cursor': 'Cursor', 'pg-query-stream': 'QueryStream', 'pg-pool': 'Pool' };
const PG_MODULES = new Set(['pg', 'pg-cursor', 'pg-query-stream', 'pg-pool']);

/** `new X(textOrConfig, values)`: the first argument is SQL text or a `{ text }` config. */
export const QUERY_CLASSES = new Set(['Query', 'Cursor', 'QueryStream']);
const CLIENT_CLASSES = new Set(['Pool', 'Client']);
/** Type names pg's typings give to things with a `.query()` method. */
const CLIENT_TYPES = new Set(['Pool', 'PoolClient', 'Client', 'ClientBase']);
/** Receivers that conventionally hold a pg pool or client when the file uses pg. */
const CONVENTIONAL_RECEIVER = /^(?:pool|client|db|pg|conn|connection|database|tx|trx)$|(?:Pool|Client|Db|DB|Conn|Connection)$/;

interface Binding {
  module: string;
  /** `default`, `*` (namespace) or the imported export's name. */
  name: string;
}

interface PgFile {
  bindings: Map<string, Binding>;
  /** Identifiers (and `this.x` members, stored as `x`) that hold a pg pool or client. */
  clients: Set<string>;
}

const cache = new WeakMap<ts.SourceFile, PgFile>();

export function pgFile(sourceFile: ts.SourceFile): PgFile {
  let known = cache.get(sourceFile);
  if (known === undefined) {
    known = learn(sourceFile);
    cache.set(sourceFile, known);
  }
  return known;
}

/** The pg class a constructor expression names (`Query`, `pg.Query`, a default-imported `Cursor`), if any. */
export function pgClassOf(expression: ts.Expression, file: PgFile): string | undefined {
  const path = accessPath(expression);
  if (path === undefined) return undefined;
  const [head, ...rest] = path;
  const binding = head === undefined ? undefined : file.bindings.get(head);
  if (binding === undefined) return undefined;
  if (rest.length === 0) return binding.name === 'default' || binding.name === '*' ? MODULE_DEFAULTS[binding.module] : binding.name;
  // `pg.Query`, `pg.native.Pool`: members of pg's default export or namespace.
  return binding.name === 'default' || binding.name === '*' ? rest[rest.length - 1] : undefined;
}

/** True when `.query()` on this receiver is node-postgres: a learned client, a typed one, or a conventional name. */
export function isPgReceiver(expression: ts.Expression, file: PgFile): boolean {
  const expr = unwrap(expression);
  let name: string | undefined;
  if (ts.isCallExpression(expr)) name = accessPath(expr.expression)?.at(-1);
  else name = accessPath(expr)?.at(-1);
  if (name === undefined) return false;
  // `this._pool`, `this.#client`, a repository's `_writer`/`_replica`.
  return file.clients.has(name) || CONVENTIONAL_RECEIVER.test(bareName(name)) || DATABASE_ROLE_NAME.test(bareName(name));
}

function learn(sourceFile: ts.SourceFile): PgFile {
  const file: PgFile = { bindings: new Map(), clients: new Set() };
  const bind = (local: string, module: string, name: string): void => {
    if (PG_MODULES.has(module)) file.bindings.set(local, { module, name });
  };
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const module = statement.moduleSpecifier.text;
    const clause = statement.importClause;
    if (clause?.name) bind(clause.name.text, module, 'default');
    const named = clause?.namedBindings;
    if (named && ts.isNamespaceImport(named)) bind(named.name.text, module, '*');
    if (named && ts.isNamedImports(named)) {
      for (const element of named.elements) bind(element.name.text, module, (element.propertyName ?? element.name).text);
    }
  }

  const holdsClient = (init: ts.Expression | undefined): boolean => {
    if (init === undefined) return false;
    const expr = unwrap(ts.isAwaitExpression(unwrap(init)) ? (unwrap(init) as ts.AwaitExpression).expression : init);
    if (ts.isNewExpression(expr)) return CLIENT_CLASSES.has(pgClassOf(expr.expression, file) ?? '');
    // `await pool.connect()` checks a client out of a pool.
    if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && expr.expression.name.text === 'connect') {
      return isPgReceiver(expr.expression.expression, file);
    }
    return false;
  };
  const isClientType = (type: ts.TypeNode | undefined): boolean => {
    if (type === undefined || !ts.isTypeReferenceNode(type)) return false;
    const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
    return CLIENT_TYPES.has(name);
  };

  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
      const required = requiredModule(node.initializer);
      if (required !== undefined) bind(node.name.text, required, 'default');
      if (holdsClient(node.initializer) || isClientType(node.type)) file.clients.add(node.name.text);
    } else if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name)) {
      // const { Pool, Query } = require('pg')
      const required = requiredModule(node.initializer);
      if (required !== undefined) {
        for (const element of node.name.elements) {
          const imported = element.propertyName ?? element.name;
          if (ts.isIdentifier(element.name) && ts.isIdentifier(imported)) bind(element.name.text, required, imported.text);
        }
      }
    } else if ((ts.isParameter(node) || ts.isPropertyDeclaration(node)) && ts.isIdentifier(node.name)) {
      if (isClientType(node.type) || holdsClient(node.initializer)) file.clients.add(node.name.text);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && holdsClient(node.right)) {
      const target = accessPath(node.left)?.at(-1);
      if (target !== undefined) file.clients.add(target);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return file;
}

/** `require('pg')` → `pg`. */
function requiredModule(init: ts.Expression | undefined): string | undefined {
  if (init === undefined) return undefined;
  const expr = unwrap(init);
  if (!ts.isCallExpression(expr) || !ts.isIdentifier(expr.expression) || expr.expression.text !== 'require') return undefined;
  const arg = expr.arguments[0];
  return arg !== undefined && ts.isStringLiteralLike(arg) ? arg.text : undefined;
}
