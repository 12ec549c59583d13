import { ts } from 'ts-morph';
import { unwrap } from '../../src/rules/helpers.js';
import { isSqlTagName } from '../../src/scan/templates.js';

/**
 * postgres.js client names one file introduces beyond the core's conventional tags (`sql`, `tx`,
 * `db`...), each valid where it is in scope:
 * - `const pgc = postgres(url)`, `this.reporting = postgres(url)`, class fields initialised so;
 * - `const r = await sql.reserve()`;
 * - the callback parameter of `client.begin([mode], (t) => ...)` and `t.savepoint([name], (sp) => ...)`;
 * - parameters, fields and variables typed `Sql`, `TransactionSql` or `ReservedSql`.
 */

/** postgres.js type names (and the usual local alias `type Sql = typeof sql`). */
const CLIENT_TYPES = new Set(['Sql', 'TransactionSql', 'ReservedSql']);
/** Methods that call back with a scoped client as the last argument's first parameter. */
const SCOPED_CALLBACK_METHODS = new Set(['begin', 'savepoint']);

export interface LearnedClient {
  name: string;
  /** `this.name` (a class member) rather than a plain identifier. */
  member: boolean;
  /** Where the name is a client: its block, callback or class. */
  scope: ts.Node;
}

/** Every client name the file introduces, with where it holds. */
export function learnedClients(sourceFile: ts.SourceFile): LearnedClient[] {
  const learned: LearnedClient[] = [];
  const factories = postgresFactoryNames(sourceFile);
  const add = (name: string, member: boolean, scope: ts.Node): void => {
    learned.push({ name, member, scope });
  };
  // Conventional names (`sql`, `tx`, `this.sql`) or a name learned earlier in the file, where it holds.
  const isClient = (expression: ts.Expression): boolean => {
    const expr = unwrap(expression);
    const position = expr.getStart(sourceFile);
    const isThisMember = ts.isPropertyAccessExpression(expr) && expr.expression.kind === ts.SyntaxKind.ThisKeyword;
    const name = ts.isIdentifier(expr) ? expr.text : ts.isPropertyAccessExpression(expr) ? expr.name.text : undefined;
    if (name === undefined) return false;
    if (isSqlTagName(name)) return true;
    return learned.some(
      (entry) => entry.name === name && entry.member === isThisMember && position >= entry.scope.getStart(sourceFile) && position < entry.scope.end,
    );
  };
  const makesClient = (init: ts.Expression | undefined): boolean => {
    if (init === undefined) return false;
    let expr = unwrap(init);
    if (ts.isAwaitExpression(expr)) expr = unwrap(expr.expression);
    if (!ts.isCallExpression(expr)) return false;
    const callee = unwrap(expr.expression);
    if (ts.isIdentifier(callee)) return factories.has(callee.text);
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'reserve' && isClient(callee.expression);
  };

  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
      if (makesClient(node.initializer) || isClientType(node.type)) add(node.name.text, false, scopeOf(node));
    } else if (ts.isParameter(node) && ts.isIdentifier(node.name) && isClientType(node.type)) {
      const isProperty = (ts.getModifiers(node)?.length ?? 0) > 0;
      const cls = isProperty ? enclosingClass(node) : undefined;
      if (cls !== undefined) add(node.name.text, true, cls);
      add(node.name.text, false, node.parent);
    } else if (ts.isPropertyDeclaration(node) && ts.isIdentifier(node.name) && (isClientType(node.type) || makesClient(node.initializer))) {
      const cls = enclosingClass(node);
      if (cls !== undefined) add(node.name.text, true, cls);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && makesClient(node.right)) {
      const left = unwrap(node.left);
      if (ts.isIdentifier(left)) add(left.text, false, sourceFile);
      else if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword) {
        const cls = enclosingClass(node);
        if (cls !== undefined) add(left.name.text, true, cls);
      }
    } else if (ts.isCallExpression(node)) {
      learnCallback(node);
    }
    ts.forEachChild(node, visit);
  };

  // sql.begin('read write', async (t) => ...), t.savepoint(async (sp) => ...)
  const learnCallback = (call: ts.CallExpression): void => {
    const callee = unwrap(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || !SCOPED_CALLBACK_METHODS.has(callee.name.text)) return;
    if (!isClient(callee.expression)) return;
    const last = call.arguments[call.arguments.length - 1];
    const fn = last === undefined ? undefined : unwrap(last);
    if (fn === undefined || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return;
    const param = fn.parameters[0];
    if (param !== undefined && ts.isIdentifier(param.name)) add(param.name.text, false, fn);
  };

  visit(sourceFile);
  return learned;
}

/** Local names of postgres.js's default export (`import postgres from 'postgres'`, `require('postgres')`). */
function postgresFactoryNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === 'postgres') {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const named = clause?.namedBindings;
      if (named && ts.isNamedImports(named)) {
        for (const element of named.elements) if ((element.propertyName ?? element.name).text === 'default') names.add(element.name.text);
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) {
        const init = decl.initializer === undefined ? undefined : unwrap(decl.initializer);
        if (
          ts.isIdentifier(decl.name) &&
          init !== undefined &&
          ts.isCallExpression(init) &&
          ts.isIdentifier(init.expression) &&
          init.expression.text === 'require' &&
          init.arguments[0] !== undefined &&
          ts.isStringLiteralLike(init.arguments[0]) &&
          init.arguments[0].text === 'postgres'
        ) {
          names.add(decl.name.text);
        }
      }
    }
  }
  return names;
}

function isClientType(type: ts.TypeNode | undefined): boolean {
  if (type === undefined || !ts.isTypeReferenceNode(type)) return false;
  const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
  return CLIENT_TYPES.has(name);
}

/** The block (or file, or loop) a `const`/`let` is visible in. */
function scopeOf(node: ts.Node): ts.Node {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (
      ts.isBlock(current) ||
      ts.isSourceFile(current) ||
      ts.isModuleBlock(current) ||
      ts.isCaseClause(current) ||
      ts.isDefaultClause(current) ||
      ts.isForStatement(current) ||
      ts.isForOfStatement(current) ||
      ts.isForInStatement(current)
    ) {
      return current;
    }
  }
  return node.getSourceFile();
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (ts.isClassDeclaration(current) || ts.isClassExpression(current)) return current;
  }
  return undefined;
}
