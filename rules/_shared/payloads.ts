import { ts } from 'ts-morph';
import { unwrap } from '../../src/rules/helpers.js';
import { isCallback, returnedExpressions } from '../../src/rules/query-builder.js';
import type { RuleFileContext } from '../../src/rules/types.js';

/** Insert/update payloads as query builders take them (knex, supabase-js): the row objects whose keys are written. */

const MAX_DEPTH = 4;

/**
 * The row objects an insert/update payload is made of: literals, same-file constants, arrays of
 * them, `rows.map((r) => ({ ... }))` and spreads of those.
 */
export function payloadObjects(arg: ts.Expression, ctx: RuleFileContext, depth = 0): ts.ObjectLiteralExpression[] {
  if (depth > MAX_DEPTH) return [];
  const expr = unwrap(arg);
  if (ts.isObjectLiteralExpression(expr)) {
    const spreads = expr.properties.filter(ts.isSpreadAssignment).flatMap((spread) => payloadObjects(spread.expression, ctx, depth + 1));
    return [expr, ...spreads];
  }
  if (ts.isArrayLiteralExpression(expr)) {
    return expr.elements.flatMap((element) => (ts.isSpreadElement(element) ? payloadObjects(element.expression, ctx, depth + 1) : payloadObjects(element, ctx, depth + 1)));
  }
  if (ts.isConditionalExpression(expr)) return [...payloadObjects(expr.whenTrue, ctx, depth + 1), ...payloadObjects(expr.whenFalse, ctx, depth + 1)];
  if (ts.isIdentifier(expr)) {
    const value = ctx.valueOf(expr.text, expr.getStart(ctx.sourceFile));
    return value === undefined || unwrap(value) === expr ? [] : payloadObjects(value, ctx, depth + 1);
  }
  if (ts.isCallExpression(expr)) {
    const callee = unwrap(expr.expression);
    const fn = expr.arguments[0] === undefined ? undefined : unwrap(expr.arguments[0]);
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'map' || callee.name.text === 'flatMap') && fn !== undefined && isCallback(fn)) {
      return returnedExpressions(fn).flatMap((returned) => payloadObjects(returned, ctx, depth + 1));
    }
  }
  return [];
}

