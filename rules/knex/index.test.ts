import { describe, expect, it } from 'vitest';
import { scanTypeScript } from '../../src/scan/typescript.js';
import type { RelationRef } from '../../src/rules/types.js';
import rule from './index.js';

/** The rule's references for a snippet, one compact line each: `read customers.loyalty_tier`, `wildcard customers`. */
function refsOf(body: string, names: string[] = []): { refs: string[]; sql: string[]; mentions: string[] } {
  const text = `import knex from 'knex';\nconst db = knex({ client: 'pg' });\n${body}\n`;
  const scan = scanTypeScript('src/x.ts', text, false, { interestingNames: new Set(names), rules: [rule], packages: new Set(['knex']) });
  const rel = (r: RelationRef): string => ('model' in r ? `model:${r.model}` : `${r.schema ? `${r.schema}.` : ''}${r.table}`);
  const refs = scan.libraryRefs.map(({ ref }) => {
    if (ref.kind === 'wildcard') return `wildcard ${rel(ref.relation)}`;
    if (ref.kind === 'use') return `${ref.role} ${ref.relations.map(rel).join('|')}${ref.name === undefined ? '' : `.${ref.name}`}`;
    return ref.kind;
  });
  const sql = scan.sqlSites.map((site) => site.template.chunks.map((chunk) => chunk.text).join('?'));
  return { refs, sql, mentions: scan.mentions.filter((m) => m.coveredBy === undefined).map((m) => `${m.kind}:${m.name}`) };
}

describe('knex rule', () => {
  it('reads a select chain with aliases, output names and conditions', () => {
    expect(refsOf("await db('customers as c').select('c.loyalty_tier', 'nick as n').where({ archived: false }).orderBy('n');").refs).toEqual([
      'read customers',
      'read customers.loyalty_tier',
      'read customers.nick',
      'read customers.archived',
    ]);
  });

  it('treats a run query without projection as a wildcard, and first(cols) / select().first() as projected', () => {
    expect(refsOf("await db('customers').where('loyalty_tier', 'gold');").refs).toEqual(['read customers', 'read customers.loyalty_tier', 'wildcard customers']);
    expect(refsOf("await db('customers').where({ id: 1 }).first();").refs).toContain('wildcard customers');
    expect(refsOf("await db('customers').first('nick').where({ id: 1 });").refs).not.toContain('wildcard customers');
    expect(refsOf("await db('customers').select('nick').where({ id: 1 }).first();").refs).not.toContain('wildcard customers');
    expect(refsOf("await db('customers').select('*');").refs).toContain('wildcard customers');
  });

  it('lists every joined relation for an unqualified column', () => {
    expect(refsOf("await db('orders').join('customers', 'customers.id', 'orders.customer_id').select('total_cents');").refs).toEqual([
      'read orders',
      'read customers',
      'read customers.id',
      'read orders.customer_id',
      'read orders|customers.total_cents',
    ]);
  });

  it('reads join callbacks, grouped where callbacks and subquery callbacks with the right scope', () => {
    const { refs } = refsOf(`await db('customers as c')
      .leftJoin('orders as o', function () { this.on('o.customer_id', '=', 'c.id').andOnVal('o.state', '=', 'open'); })
      .where((qb) => qb.where('c.tier', 'gold').orWhereNull('c.archived_at'))
      .whereIn('c.id', function () { this.select('customer_id').from('refunds'); })
      .select('c.nick');`);
    expect(refs).toEqual([
      'read customers',
      'read orders',
      'read orders.customer_id',
      'read customers.id',
      'read orders.state',
      'read customers.tier',
      'read customers.archived_at',
      'read customers.id',
      'read refunds',
      'read refunds.customer_id',
      'read customers.nick',
    ]);
  });

  it('does not count what an EXISTS subquery selects', () => {
    const { refs, sql } = refsOf("await db('customers as c').select('id').whereExists(function () { this.select('*').from('orders').whereRaw('orders.customer_id = c.id'); });");
    expect(refs).toEqual(['read customers', 'read customers.id', 'read orders']);
    expect(sql).toEqual(['orders.customer_id = c.id']);
  });

  it('reads writes: insert payloads (arrays, map callbacks, constants), update, increment, merge, returning, delete', () => {
    expect(refsOf("const row = { nick: 'a' };\nawait trx('customers').insert([row, { loyalty_tier: 1 }]).returning(['id']);").refs).toEqual([
      'write customers',
      'write customers.nick',
      'write customers.loyalty_tier',
      'read customers.id',
    ]);
    expect(refsOf("await db('customers').insert(rows.map((r) => ({ loyalty_tier: r.t }))).onConflict('email').merge(['nick']);").refs).toEqual([
      'write customers',
      'write customers.loyalty_tier',
      'read customers.email',
      'write customers.nick',
    ]);
    expect(refsOf("await db('customers').where('id', 1).update({ nick: 'x' }, ['tier']);").refs).toEqual([
      'write customers',
      'read customers.id',
      'write customers.nick',
      'read customers.tier',
    ]);
    expect(refsOf("await db('customers').where('id', 1).increment('visits', 1);").refs).toContain('write customers.visits');
    expect(refsOf("await db('customers').where('id', 1).del();").refs).toEqual(['delete customers', 'read customers.id']);
  });

  it('starts queries from knex handles: trx(), this.knex(), knex.table/from/into, withSchema', () => {
    expect(refsOf("class R { q() { return this.knex('customers').pluck('nick'); } }").refs).toEqual(['read customers', 'read customers.nick']);
    expect(refsOf("await db.select(['a']).from('customers');").refs).toEqual(['read customers', 'read customers.a']);
    expect(refsOf("await db.insert({ a: 1 }).into('customers');").refs).toEqual(['write customers', 'write customers.a']);
    expect(refsOf("await db.withSchema('billing').table('invoices').select('total');").refs).toEqual(['read billing.invoices', 'read billing.invoices.total']);
  });

  it('passes camelCase tables as model names (snake-case mappers)', () => {
    expect(refsOf("await db('giftCards').select('balanceCents');").refs).toEqual(['read model:giftCards', 'read model:giftCards.balanceCents']);
  });

  it('continues builders kept in variables, and runs them as wildcards only when sent as is', () => {
    const extended = refsOf("const q = db('customers').where('a', 1);\nif (x) q.where('b', 2);\nconst rows = await q.select('c');").refs;
    expect(extended).toEqual(['read customers', 'read customers.a', 'read customers.b', 'read customers.c']);
    const sent = refsOf("const q = db('customers').where('a', 1);\nreturn await q;").refs;
    expect(sent).toContain('wildcard customers');
  });

  it('leaves raw SQL, knex config, unrelated chains and result callbacks alone', () => {
    expect(refsOf("await db.raw('select nick from customers');").refs).toEqual([]);
    expect(refsOf("Array.from('nick').join(',');\nconsole.table('nick');", ['nick']).mentions).toEqual(['string:nick', 'string:nick']);
    const then = refsOf("await db('customers').select('nick').then((rows) => rows.filter((r) => r.kind === 'loyalty_tier'));", ['loyalty_tier']);
    expect(then.mentions).toEqual(['value:loyalty_tier']);
    expect(refsOf("const tableName = pick();\nawait db(tableName).select('nick');", ['nick']).mentions).toEqual(['string:nick']);
  });

  it('reads the keys of a same-file filter object as compared columns', () => {
    expect(refsOf("const filters = { loyalty_tier: 'gold' };\nawait db('customers').where(filters).select('nick');").refs).toEqual([
      'read customers',
      'read customers.loyalty_tier',
      'read customers.nick',
    ]);
  });

  it('covers the strings it understood', () => {
    expect(refsOf("await db('customers').where({ loyalty_tier: 'gold' }).select('nick');", ['loyalty_tier', 'nick', 'gold']).mentions).toEqual([]);
  });
});
