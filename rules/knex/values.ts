import { ts } from 'ts-morph';
import { unwrap } from '../../src/rules/helpers.js';

/** What happens to a finished chain: awaited/returned/passed on, stored in a variable, or a bare statement. */
export type Fate = { kind: 'runs' } | { kind: 'bare' } | { kind: 'stored'; name: string; after: number };

export function fateOf(top: ts.Node): Fate {
  let node = top;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent) || ts.isSatisfiesExpression(node.parent)) {
    node = node.parent;
  }
  const parent = node.parent;
  // A knex builder runs when awaited or `then`-ed; a bare `q.where(...)` statement only adds to `q`.
  if (ts.isExpressionStatement(parent)) return { kind: 'bare' };
  if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name)) {
    return { kind: 'stored', name: parent.name.text, after: parent.end };
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node && ts.isIdentifier(parent.left)) {
    return { kind: 'stored', name: parent.left.text, after: parent.end };
  }
  return { kind: 'runs' };
}

/**
 * How a builder kept in `name` is used later in its function: whether something runs it as is
 * (`await q`, `return q`, `f(q)`), and whether a bare `q.select(...)` statement gives it a projection.
 * Chains continuing it (`await q.first('a')`) decide for themselves.
 */
export function laterUses(name: string, from: ts.Node, after: number, projects: (chainTop: ts.CallExpression) => boolean): { runs: boolean; projected: boolean } {
  const result = { runs: false, projected: false };
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name && node.getStart() >= after) {
      const parent = node.parent;
      if (ts.isBinaryExpression(parent) && parent.left === node) return;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === node && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
        const top = chainTopOf(parent.parent);
        if (fateOf(top).kind === 'bare' && projects(top)) result.projected = true;
        return;
      }
      if (ts.isPropertyAccessExpression(parent) && parent.name === node) return;
      result.runs = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(enclosingBody(from));
  return result;
}

/** Bare `name.select(...)` statements anywhere in the function that give a stored builder a projection. */
export function mutationsProject(name: string, from: ts.Node, projects: (chainTop: ts.CallExpression) => boolean): boolean {
  return laterUses(name, from, 0, projects).projected;
}

function chainTopOf(call: ts.CallExpression): ts.CallExpression {
  let node: ts.CallExpression = call;
  for (;;) {
    const parent = node.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
      node = parent.parent;
    } else return node;
  }
}

function enclosingBody(node: ts.Node): ts.Node {
  for (let current: ts.Node | undefined = node.parent; current !== undefined; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isSourceFile(current)) return current;
  }
  return node.getSourceFile();
}
