import { ts } from 'ts-morph';
import type { ExportedValue } from './imported-constants.js';

// Apart from imported-constants.ts, which must stay free of the TypeScript compiler: a warm run
// checks what modules export (to trust cached scans) without parsing any code.

/**
 * Synthesized literals standing for imported values in a file's constants: a string literal,
 * or an object literal of string members for an enum or `as const` object. Their text range is
 * the import specifier's, so positions taken from them point into the importing file.
 */
const synthesized = new WeakSet<ts.Node>();

export function literalValueNode(value: ExportedValue, at: ts.Node): ts.Expression {
  const node =
    typeof value === 'string'
      ? ts.factory.createStringLiteral(value)
      : ts.factory.createObjectLiteralExpression(
          [...value].map(([key, text]) => ts.setTextRange(ts.factory.createPropertyAssignment(ts.factory.createStringLiteral(key), stringAt(text, at)), at)),
        );
  ts.setTextRange(node, at);
  // Rules walk up from values they are given (`isChainTop`): the stand-in hangs off the import.
  (node as unknown as { parent: ts.Node }).parent = at;
  synthesized.add(node);
  return node;
}

function stringAt(text: string, at: ts.Node): ts.StringLiteral {
  const literal = ts.setTextRange(ts.factory.createStringLiteral(text), at);
  synthesized.add(literal);
  return literal;
}

/** True for a value that came from another file: where it is used is the position to report. */
export function isLiteralStandIn(node: ts.Node): boolean {
  return synthesized.has(node);
}
