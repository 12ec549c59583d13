import { ts } from 'ts-morph';
import type { ParsedScript, UpFunction } from './types.js';
import { unwrap as unwrapSyntax } from '../../scan/templates.js';

/** Parses a migration script without type information: only its syntax is needed. */
export function parseScript(file: string, relativePath: string, text: string): ParsedScript {
  const kind = /\.[mc]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  return { file, relativePath, text, sourceFile, imports: importsOf(sourceFile, text), ups: upFunctionsOf(sourceFile) };
}

function importsOf(sourceFile: ts.SourceFile, text: string): Set<string> {
  const out = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) out.add(node.moduleSpecifier.text);
    else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) out.add(node.expression.text);
    else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
      const [arg] = node.arguments;
      if (arg !== undefined && ts.isStringLiteral(arg)) out.add(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  // JS migrations type their exports in JSDoc (`@type {import('sequelize-cli').Migration}`), which is a comment to the parser.
  for (const match of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) if (match[1] !== undefined) out.add(match[1]);
  return out;
}

/**
 * Every shape the tools accept for the forward migration: `export [async] function up`,
 * `export const up = ...`, `exports.up = ...`, `module.exports = { up }` / `{ up() {} }`,
 * `export default { ... }`, `export = { ... }`, and an `up` method of a class.
 */
function upFunctionsOf(sourceFile: ts.SourceFile): UpFunction[] {
  const found = new Set<ts.FunctionLikeDeclaration>();
  const byName = topLevelFunctions(sourceFile);
  const resolve = (expr: ts.Expression | undefined): void => {
    const target = expr === undefined ? undefined : unwrap(expr);
    if (target === undefined) return;
    if (isFunctionLike(target)) found.add(target);
    else if (ts.isIdentifier(target)) {
      const fn = byName.get(target.text);
      if (fn !== undefined) found.add(fn);
    } else if (ts.isObjectLiteralExpression(target)) {
      for (const prop of target.properties) {
        if (propertyName(prop) !== 'up') continue;
        if (ts.isMethodDeclaration(prop)) found.add(prop);
        else if (ts.isPropertyAssignment(prop)) resolve(prop.initializer);
        else if (ts.isShorthandPropertyAssignment(prop)) resolve(prop.name);
      }
    }
  };
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === 'up') found.add(statement);
    else if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) {
        if (ts.isIdentifier(decl.name) && decl.name.text === 'up') resolve(decl.initializer);
      }
    } else if (ts.isClassDeclaration(statement)) {
      for (const member of statement.members) {
        if (propertyName(member) !== 'up') continue;
        if (ts.isMethodDeclaration(member)) found.add(member);
        else if (ts.isPropertyDeclaration(member)) resolve(member.initializer);
      }
    } else if (ts.isExportAssignment(statement)) resolve(statement.expression);
    else if (ts.isExpressionStatement(statement)) resolveAssignment(statement.expression, resolve);
  }
  return [...found].map((node) => {
    const isMethod = ts.isMethodDeclaration(node) && ts.isClassLike(node.parent);
    return { node, isMethod, runner: runnerOf(node) ?? (isMethod ? 'this' : undefined) };
  });
}

function resolveAssignment(expr: ts.Expression, resolve: (e: ts.Expression) => void): void {
  if (!ts.isBinaryExpression(expr) || expr.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
  const left = expr.left.getText();
  if (left === 'exports.up' || left === 'module.exports.up') resolve(expr.right);
  else if (left === 'module.exports') resolve(expr.right);
}

function topLevelFunctions(sourceFile: ts.SourceFile): Map<string, ts.FunctionLikeDeclaration> {
  const out = new Map<string, ts.FunctionLikeDeclaration>();
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) out.set(statement.name.text, statement);
    if (!ts.isVariableStatement(statement)) continue;
    for (const decl of statement.declarationList.declarations) {
      const init = decl.initializer === undefined ? undefined : unwrap(decl.initializer);
      if (ts.isIdentifier(decl.name) && init !== undefined && isFunctionLike(init)) out.set(decl.name.text, init);
    }
  }
  return out;
}

/** The name `up` binds its first parameter to; umzug passes `{ context }`, so `{ context: queryInterface }` counts. */
function runnerOf(fn: ts.FunctionLikeDeclaration): string | undefined {
  const first = fn.parameters[0]?.name;
  if (first === undefined) return undefined;
  if (ts.isIdentifier(first)) return first.text;
  if (ts.isObjectBindingPattern(first)) {
    for (const element of first.elements) {
      const key = element.propertyName?.getText() ?? element.name.getText();
      if (key === 'context' && ts.isIdentifier(element.name)) return element.name.text;
    }
  }
  return undefined;
}

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node);
}

function propertyName(node: ts.ObjectLiteralElementLike | ts.ClassElement): string | undefined {
  const name = node.name;
  if (name === undefined) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

/** Looks through parentheses, type assertions and `await`, which change nothing about which call it is. */
export function unwrap(expr: ts.Expression): ts.Expression {
  let current = unwrapSyntax(expr);
  while (ts.isAwaitExpression(current)) current = unwrapSyntax(current.expression);
  return current;
}

/** `a.b(x).c` → root `a`, names `['b', 'c']`; `this.addSql` → root `this`. The root is undefined for anything else. */
export interface Chain {
  root: string | undefined;
  names: string[];
}

export function chainOf(expr: ts.Expression): Chain {
  const names: string[] = [];
  let current = unwrap(expr);
  for (;;) {
    if (ts.isPropertyAccessExpression(current)) {
      names.unshift(current.name.text);
      current = unwrap(current.expression);
    } else if (ts.isElementAccessExpression(current) && ts.isStringLiteral(current.argumentExpression)) {
      names.unshift(current.argumentExpression.text);
      current = unwrap(current.expression);
    } else if (ts.isCallExpression(current)) {
      current = unwrap(current.expression);
    } else break;
  }
  if (ts.isIdentifier(current)) return { root: current.text, names };
  if (current.kind === ts.SyntaxKind.ThisKeyword) return { root: 'this', names };
  return { root: undefined, names };
}

/** 1-based line of a node's first character. */
export function lineOf(node: ts.Node, sourceFile: ts.SourceFile): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}

/** A call on the `up` function's runner (`knex.raw(...)`, `queryRunner.query(...)`): its chain of names, joined too. */
export function runnerCall(call: ts.CallExpression, up: { runner?: string }): { root: string; names: string[]; joined: string } | undefined {
  const { root, names } = chainOf(call.expression);
  if (root === undefined || root !== up.runner) return undefined;
  return { root, names, joined: names.join('.') };
}
