import { describe, expect, it } from 'vitest';
import { scanTypeScript } from '../../src/scan/typescript.js';
import type { RelationRef } from '../../src/rules/types.js';
import rule from './index.js';

/** The rule's references for a snippet, one compact line each: `read guests.loyalty_tier`, `wildcard guests`. */
function refsOf(body: string, names: string[] = []): { refs: string[]; mentions: string[] } {
  const text = `import { Kysely, sql } from 'kysely';\ndeclare const db: Kysely<DB>;\n${body}\n`;
  const scan = scanTypeScript('src/x.ts', text, false, { interestingNames: new Set(names), rules: [rule], packages: new Set(['kysely']) });
  const rel = (r: RelationRef): string => ('model' in r ? `model:${r.model}` : `${r.schema ? `${r.schema}.` : ''}${r.table}`);
  const refs = scan.libraryRefs.map(({ ref }) => {
    if (ref.kind === 'wildcard') return `wildcard ${rel(ref.relation)}`;
    if (ref.kind === 'use') return `${ref.role} ${ref.relations.map(rel).join('|')}${ref.name === undefined ? '' : `.${ref.name}`}`;
    return ref.kind;
  });
  return { refs, mentions: scan.mentions.filter((m) => m.coveredBy === undefined).map((m) => `${m.kind}:${m.name}`) };
}

describe('kysely rule', () => {
  it('reads aliased select lists, conditions and order', () => {
    expect(refsOf("await db.selectFrom('guests as g').select(['g.loyalty_tier', 'nick as n']).where('g.email', '=', 'gold').orderBy('n').execute();").refs).toEqual([
      'read guests',
      'read guests.loyalty_tier',
      'read guests.nick',
      'read guests.email',
    ]);
  });

  it('reads selectAll and returningAll as wildcards, selectAll(alias) for that relation only', () => {
    expect(refsOf("await db.selectFrom('guests').selectAll().execute();").refs).toEqual(['read guests', 'wildcard guests']);
    expect(refsOf("await db.selectFrom('guests as g').innerJoin('stays as s', 's.guest_id', 'g.id').selectAll('g').execute();").refs).toEqual([
      'read guests',
      'read stays',
      'read stays.guest_id',
      'read guests.id',
      'wildcard guests',
    ]);
    expect(refsOf("await db.deleteFrom('guests').where('id', '=', 1).returningAll().execute();").refs).toEqual(['delete guests', 'read guests.id', 'wildcard guests']);
    expect(refsOf("await db.selectFrom('guests').select((eb) => eb.fn.jsonAgg('guests').as('all')).execute();").refs).toContain('wildcard guests');
  });

  it('reads expression-builder callbacks: eb(), eb.ref, eb.fn.*, and/or objects, destructuring', () => {
    expect(refsOf("await db.selectFrom('guests').select((eb) => ['nick', eb.fn.count('visits').as('n'), eb.ref('tier').as('t')]).execute();").refs).toEqual([
      'read guests',
      'read guests.nick',
      'read guests.visits',
      'read guests.tier',
    ]);
    expect(refsOf("await db.selectFrom('guests').select('id').where((eb) => eb.or([eb('nick', '=', 'gold'), eb('tier', 'in', ['a'])])).execute();").refs).toEqual([
      'read guests',
      'read guests.id',
      'read guests.nick',
      'read guests.tier',
    ]);
    expect(refsOf("await db.selectFrom('guests').select('id').where(({ and, ref }) => and({ nick: 'x', visits: ref('tier') })).execute();").refs).toEqual([
      'read guests',
      'read guests.id',
      'read guests.nick',
      'read guests.visits',
      'read guests.tier',
    ]);
  });

  it('reads writes: values, set (object, key/value, callback), columns, onConflict targets and doUpdateSet', () => {
    expect(refsOf("await db.insertInto('guests').values({ nick: 'a', tier }).returning(['id', 'visits']).execute();").refs).toEqual([
      'write guests',
      'write guests.nick',
      'write guests.tier',
      'read guests.id',
      'read guests.visits',
    ]);
    expect(refsOf("await db.updateTable('guests').set((eb) => ({ visits: eb('visits', '+', 1) })).set('nick', 'x').where('id', '=', 1).execute();").refs).toEqual([
      'write guests',
      // SET visits = visits + 1: the old value only feeds the new one (not a read).
      'write guests.visits',
      'write guests.nick',
      'read guests.id',
    ]);
    const upsert = refsOf("await db.insertInto('guests').values({ email: 'e', nick: 'n' }).onConflict((oc) => oc.column('email').doUpdateSet({ nick: (eb) => eb.ref('excluded.nick') })).execute();");
    expect(upsert.refs).toEqual(['write guests', 'write guests.email', 'write guests.nick', 'read guests.email', 'write guests.nick']);
    expect(refsOf("await db.insertInto('guests').columns(['nick']).expression(db.selectFrom('leads').select(['lead_nick'])).execute();").refs).toEqual([
      'write guests',
      'write guests.nick',
      'read leads',
      'read leads.lead_nick',
    ]);
  });

  it('reads join callbacks and correlated subqueries with the enclosing aliases', () => {
    expect(refsOf("await db.selectFrom('stays as s').leftJoin('guests as g', (join) => join.onRef('g.id', '=', 's.guest_id').on('g.tier', '=', 'gold')).select('s.nights').execute();").refs).toEqual([
      'read stays',
      'read guests',
      'read guests.id',
      'read stays.guest_id',
      'read guests.tier',
      'read stays.nights',
    ]);
    expect(refsOf("await db.selectFrom('guests as g').where(({ exists, selectFrom }) => exists(selectFrom('stays').select('stays.id').whereRef('stays.guest_id', '=', 'g.id'))).select('g.nick').execute();").refs).toEqual([
      'read guests',
      'read stays',
      'read stays.id',
      'read stays.guest_id',
      'read guests.id',
      'read guests.nick',
    ]);
  });

  it('continues builders kept in variables and $if callbacks', () => {
    expect(refsOf("let q = db.selectFrom('guests').select(['id']);\nif (x) q = q.where('tier', '=', x);\nawait q.execute();").refs).toEqual([
      'read guests',
      'read guests.id',
      'read guests.tier',
    ]);
    expect(refsOf("await db.selectFrom('guests').select('id').$if(flag, (qb) => qb.where('nick', '=', 'x')).execute();").refs).toContain('read guests.nick');
  });

  it('passes camelCase names as written (CamelCasePlugin)', () => {
    expect(refsOf("await db.selectFrom('guestAddresses as a').select(['a.addressLine1']).execute();").refs).toEqual([
      'read model:guestAddresses',
      'read model:guestAddresses.addressLine1',
    ]);
  });

  it('leaves sql templates, transactions, dynamic tables and result callbacks alone', () => {
    expect(refsOf("await sql`select nick from guests`.execute(db);").refs).toEqual([]);
    expect(refsOf("await db.transaction().execute(async (trx) => trx.deleteFrom('guests').execute());").refs).toEqual(['delete guests']);
    expect(refsOf("await db.selectFrom(tableName).select(['nick']).execute();", ['nick']).mentions).toEqual(['string:nick']);
    expect(refsOf("await db.selectFrom('guests').select('id').then((rows) => rows.filter((r) => r.kind === 'tier'));", ['tier']).mentions).toEqual(['value:tier']);
  });

  it('covers the strings it understood; the DB interface stays a type mention', () => {
    const { mentions } = refsOf("interface Guests { loyalty_tier: string }\nawait db.selectFrom('guests').select('nick').where('tier', '=', 'gold').execute();", ['nick', 'tier', 'gold', 'loyalty_tier']);
    expect(mentions).toEqual(['type:loyalty_tier']);
  });
});
