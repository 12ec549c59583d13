import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/rules/types.js';
import { scanTypeScript } from '../../src/scan/typescript.js';
import { stringValue, textStartOf } from '../../src/rules/helpers.js';

/** A toy library: `store.read('table', 'column')` reads a column; `store.raw(sql)` is SQL; `store.ping()` is not. */
const toyRule: Rule = {
  name: 'toy-store',
  enablers: ['toy-store'],
  meta: { docs: 'https://example.com', upstream: 'https://github.com/example/toy', sees: 'reads through store.read', defaultConfidence: 'high' },
  visitors: {
    CallExpression(node, ctx) {
      const callee = node.expression;
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      if (callee.name.text === 'read') {
        const table = stringValue(node.arguments[0], ctx);
        const column = node.arguments[1];
        const name = stringValue(column, ctx);
        if (table === undefined || name === undefined || column === undefined) return undefined;
        return { refs: [{ kind: 'use', relations: [{ table }], name, role: 'read', position: textStartOf(column, ctx) }], covers: node };
      }
      if (callee.name.text === 'query') return false;
      if (callee.name.text === 'sqlish') return { sql: [{ expression: node.arguments[0]!, fragment: false }] };
      if (callee.name.text === 'explode') throw new Error('boom');
      return undefined;
    },
  },
};

const names = new Set(['users', 'loyalty_tier', 'shipping_notes']);
const scan = (text: string, packages: string[] = []) =>
  scanTypeScript('src/a.ts', text, false, { interestingNames: names, rules: [toyRule], packages: new Set(packages) });

describe('rule dispatch in the TypeScript scan', () => {
  const text = [
    "const TABLE = 'users';",
    "store.read(TABLE, 'loyalty_tier');",
    "store.query('select shipping_notes from users');",
    "store.sqlish(`update users set shipping_notes = ''`);",
    "row.shipping_notes;",
  ].join('\n');

  it('runs only when the package is a dependency or imported', () => {
    expect(scan(text).libraryRefs).toEqual([]);
    expect(scan(text).rules).toEqual([]);
    expect(scan(text, ['toy-store']).rules).toEqual(['toy-store']);
    expect(scanTypeScript('src/a.ts', `import s from 'toy-store';\n${text}`, false, { interestingNames: names, rules: [toyRule] }).rules).toEqual(['toy-store']);
  });

  it('keeps refs, drops covered string mentions, honours false and adds SQL sites', () => {
    const result = scan(text, ['toy-store']);
    expect(result.libraryRefs).toEqual([
      { rule: 'toy-store', ref: { kind: 'use', relations: [{ table: 'users' }], name: 'loyalty_tier', role: 'read', position: text.indexOf("'loyalty_tier'") + 1 }, match: 0 },
    ]);
    // The covered call's 'loyalty_tier' string is held for the match (it counts only if the
    // match's refs name nothing); the property read stays a plain mention.
    expect(result.mentions.map((m) => `${m.kind}:${m.name}${m.coveredBy === undefined ? '' : ` covered by ${m.coveredBy}`}`)).toEqual([
      'string:users',
      'string:loyalty_tier covered by 0',
      'property:shipping_notes',
    ]);
    // `store.sqlish(...)` was handed over as SQL; `store.query(...)` was declared not a SQL call,
    // so only the generic SQL-looking-string heuristic still sees its argument.
    expect(result.sqlSites.map((site) => [site.origin, site.callee])).toEqual([
      ['library-call', 'toy-store'],
      ['string-literal', undefined],
    ]);
    expect(result.sqlSites[0]!.template.chunks[0]!.text).toContain('update users');
  });

  it('turns a throwing hook into an event and keeps scanning', () => {
    const result = scan("store.explode();\nrow.loyalty_tier;", ['toy-store']);
    expect(result.events).toEqual([expect.objectContaining({ kind: 'library-rule-failed', line: 1, message: 'rule toy-store: boom' })]);
    expect(result.mentions.map((m) => m.name)).toEqual(['loyalty_tier']);
  });
});
