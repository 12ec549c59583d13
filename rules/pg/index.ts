import { ts } from 'ts-morph';
import { resolveObject, unwrap } from '../../src/rules/helpers.js';
import type { RuleFileContext, RuleMatch, Rule } from '../../src/rules/types.js';
import { isPgReceiver, pgClassOf, pgFile, QUERY_CLASSES } from './receivers.js';

/**
 * pg (node-postgres) sends the text it is given, so this rule only says where query text is:
 * the first argument of `.query()` on a pool or client (a string, a same-file constant, or a
 * `{ text, values, name }` config held inline or in a same-file constant, spreads included),
 * and the first argument of `new Query()`, `new pg.Query()`, `new Cursor()` (pg-cursor) and
 * `new QueryStream()` (pg-query-stream). The core parses that SQL; it already finds SQL-looking
 * text on its own, and this rule adds the text it cannot tell from prose (an English comment
 * inside a query). Result rows (`rows[0].loyalty_tier`) are read by the core's name matching.
 */
const rule: Rule = {
  name: 'pg',
  enablers: ['pg', 'pg-cursor', 'pg-query-stream', 'pg-pool'],
  meta: {
    docs: 'https://node-postgres.com/apis/client#clientquery',
    upstream: 'https://github.com/brianc/node-postgres',
    sees: '`.query(text | { text })` on pools/clients, `new Query`/`Cursor`/`QueryStream`, config objects in same-file consts',
    defaultConfidence: 'high',
  },
  visitors: {
    // pool.query(text, values) / client.query({ text, values, name }) / client.query(CONFIG)
    CallExpression(node, ctx) {
      const callee = unwrap(node.expression);
      const argument = node.arguments[0];
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'query' || argument === undefined) return undefined;
      if (!isPgReceiver(callee.expression, pgFile(ctx.sourceFile))) return undefined;
      return queryTextMatch(argument, ctx);
    },
    // new Query(text, values) / new pg.Query({ text }) / new Cursor(text, values)
    NewExpression(node, ctx) {
      const argument = node.arguments?.[0];
      if (argument === undefined || !QUERY_CLASSES.has(pgClassOf(node.expression, pgFile(ctx.sourceFile)) ?? '')) return undefined;
      return queryTextMatch(argument, ctx);
    },
  },
};

/** The SQL site of a query argument: text itself, or the `text` of a config object. */
function queryTextMatch(argument: ts.Expression, ctx: RuleFileContext): RuleMatch | undefined {
  const expr = unwrap(argument);
  if (ts.isStringLiteralLike(expr) || ts.isTemplateExpression(expr) || ts.isBinaryExpression(expr)) {
    return { sql: [{ expression: argument, fragment: false }] };
  }
  const config = resolveObject(expr, ctx);
  if (config !== undefined) {
    const text = configText(config, ctx, 0);
    // The config's keys (`name`, `text`, `values`, `rowMode`) are pg's, never column names.
    return text === undefined ? { covers: config } : { sql: [{ expression: text, fragment: false }], covers: config };
  }
  if (ts.isIdentifier(expr)) {
    const value = ctx.valueOf(expr.text, expr.getStart(ctx.sourceFile));
    const target = value === undefined ? undefined : unwrap(value);
    if (target !== undefined && (ts.isStringLiteralLike(target) || ts.isTemplateExpression(target) || ts.isBinaryExpression(target))) {
      return { sql: [{ expression: argument, fragment: false }] };
    }
  }
  return undefined;
}

const MAX_SPREAD_DEPTH = 4;

/** `{ text }`, `{ text: SQL }`, or `{ ...NAMED_QUERY, values }` where the spread constant holds the text. */
function configText(config: ts.ObjectLiteralExpression, ctx: RuleFileContext, depth: number): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  for (const prop of config.properties) {
    if (ts.isPropertyAssignment(prop) && ts.isIdentifier(prop.name) && prop.name.text === 'text') found = prop.initializer;
    else if (ts.isShorthandPropertyAssignment(prop) && prop.name.text === 'text') found = prop.name;
    else if (ts.isSpreadAssignment(prop) && depth < MAX_SPREAD_DEPTH) {
      const spread = resolveObject(prop.expression, ctx);
      const inner = spread === undefined ? undefined : configText(spread, ctx, depth + 1);
      // A later key wins, as in the object JavaScript builds.
      if (inner !== undefined) found = inner;
    }
  }
  return found;
}

export default rule;
