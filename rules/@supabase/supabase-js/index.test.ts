import { describe, expect, it } from 'vitest';
import { scanTypeScript } from '../../../src/scan/typescript.js';
import { describeRuleRefAt } from '../../../test/support/rule-refs.js';
import type { RuleRef } from '../../../src/rules/types.js';
import { parseLogicTree, parseSelect, type SelectItem } from './postgrest-syntax.js';
import rule from './index.js';

const HEADER = "import { createClient } from '@supabase/supabase-js';\nconst supabase = createClient(url, key);\n";

function scan(body: string) {
  const text = HEADER + body;
  const result = scanTypeScript('src/x.ts', text, false, { interestingNames: new Set(), rules: [rule], packages: new Set(['@supabase/supabase-js']) });
  return { text, refs: result.libraryRefs.map(({ ref }) => ref) };
}

/** `kind role relation.name`, one per reference, in the order the rule made them (line numbers are the body's). */
function refsOf(body: string): string[] {
  const { text, refs } = scan(body);
  return refs.map((ref) => {
    const [line, ...rest] = describeRuleRefAt(text, ref).split(' ');
    const token = ref.kind === 'use' && ref.orToken === true ? ' (or token)' : '';
    return `${Number(line) - 2} ${rest.join(' ')}${token}`;
  });
}

describe('PostgREST select syntax', () => {
  it('reads aliases, casts, JSON paths, aggregates, stars and nested embeds with hints and spreads', () => {
    const text = 'id, title:name, price::text, data->a->>b, amount.sum(), count(), *, author:users!posts_author_fkey!inner(email, ...teams(*)), "odd name"';
    // Each item with the text at its offset, so evidence can point inside the string.
    const show = (items: SelectItem[]): unknown[] =>
      items.map((item) =>
        item.kind === 'embed'
          ? { embed: item.target, alias: item.alias, hints: item.hints, at: text.slice(item.offset, item.offset + item.target.length + 1), items: show(item.items) }
          : `${item.kind === 'star' ? '*' : item.name} @${text.slice(item.offset, item.offset + 6)}`,
      );
    expect(show(parseSelect(text))).toEqual([
      'id @id, ti',
      'name @name, ',
      'price @price:',
      'data @data->',
      'amount @amount',
      '* @*, aut',
      { embed: 'users', alias: 'author', hints: ['posts_author_fkey'], at: 'users!', items: ['email @email,', { embed: 'teams', alias: undefined, hints: [], at: 'teams(', items: ['* @*)), "'] }] },
      'odd name @"odd n',
    ]);
  });

  it('reads the leading column of each condition of an or() tree, through and()/not. groups and JSON paths', () => {
    const text = 'status.eq.open,and(total.gt.10,region.in.(eu,us)),not.closed_at.is.null,data->>tier.eq.gold';
    expect(parseLogicTree(text).map((c) => [c.name, text.slice(c.offset, c.offset + c.name.length)])).toEqual([
      ['status', 'status'],
      ['total', 'total'],
      ['region', 'region'],
      ['closed_at', 'closed_at'],
      ['data', 'data'],
    ]);
  });
});

describe('@supabase/supabase-js rule', () => {
  it('reads a select list with embeds, filters on embeds, or() strings and order on a referenced table', () => {
    expect(
      refsOf(`await supabase
  .from('posts')
  .select(\`id, title,
    author:users!inner(email),
    comments(body)\`)
  .eq('author.email', 'a@b.c')
  .or('state.eq.draft,published_at.is.null')
  .order('created_at', { ascending: false })
  .order('posted_at', { referencedTable: 'comments' })
  .limit(10);`),
    ).toEqual([
      '2 read posts',
      '3 read posts.id',
      '3 read posts.title',
      '4 read users',
      '4 read posts.users',
      '4 read users.post_id',
      '4 read posts.user_id',
      '4 read users.email (or token)',
      '5 read comments',
      '5 read posts.comments',
      '5 read comments.post_id',
      '5 read posts.comment_id',
      '5 read comments.body (or token)',
      '6 read users.email',
      '7 read posts.state',
      '7 read posts.published_at',
      '8 read posts.created_at',
      '9 read comments.posted_at',
    ]);
  });

  it('treats select() and select("*") as wildcards, and a head count as no column read', () => {
    expect(refsOf("await supabase.from('posts').select();")).toEqual(['1 read posts', '1 wildcard posts']);
    expect(refsOf("await supabase.from('posts').select('*, users(*)');")).toEqual([
      '1 read posts',
      '1 wildcard posts',
      '1 read users',
      '1 read posts.users',
      '1 read users.post_id',
      '1 read posts.user_id',
      '1 wildcard users',
    ]);
    expect(refsOf("await supabase.from('posts').select('*', { count: 'exact', head: true }).eq('state', 'open');")).toEqual(['1 read posts', '1 read posts.state']);
  });

  it('reads a foreign-key hint on either side, and a column-named embed as the parent column', () => {
    expect(refsOf("await supabase.from('messages').select('content, from:sender_id(name)');")).toEqual([
      '1 read messages',
      '1 read messages.content',
      '1 read sender_id',
      '1 read messages.sender_id',
      '1 read sender_id.name (or token)',
    ]);
    expect(refsOf("await supabase.from('messages').select('to:users!receiver_id(name)');")).toContain('1 read messages|users.receiver_id');
    // A constraint under Postgres's default name joins on the column inside it.
    expect(refsOf("await supabase.from('messages').select('to:users!messages_receiver_id_fkey(name)');")).toContain('1 read messages|users.receiver_id');
  });

  it('writes payload keys of insert (rows, arrays, constants), upsert with onConflict, update, and deletes', () => {
    const body = `const row = { title: 't', body: 'b' };
await supabase.from('posts').insert([row, { slug: 's' }]).select('id');
await supabase.from('tags').upsert({ post_id: 1, label: 'x' }, { onConflict: 'post_id, label' });
await supabase.from('posts').update({ state: 'archived' }).lt('published_at', cutoff);
await supabase.from('sessions').delete().match({ user_id: id, device: d });`;
    expect(refsOf(body)).toEqual([
      '2 write posts',
      '1 write posts.title',
      '1 write posts.body',
      '2 write posts.slug',
      '2 read posts.id',
      '3 write tags',
      '3 write tags.post_id',
      '3 write tags.label',
      '3 read tags.post_id',
      '3 read tags.label',
      '4 write posts',
      '4 write posts.state',
      '4 read posts.published_at',
      '5 delete sessions',
      '5 read sessions.user_id',
      '5 read sessions.device',
    ]);
  });

  it('reads every filter family, not() and filter() by their column', () => {
    const body = `await supabase.from('orders').select('id')
  .neq('a', 1).gte('b', 1).ilike('c', '%x%').is('d', null).in('e', [1]).contains('f', ['x'])
  .rangeGt('g', '[1,2)').overlaps('h', []).textSearch('i', 'q').not('j', 'is', null).filter('k', 'in', '(1,2)')
  .eq('meta->>source', 'web').containedBy('tags::text[]', []);`;
    expect(refsOf(body).map((r) => r.replace(/^\d+ /, ''))).toEqual(['read orders', 'read orders.id', ...'abcdefghijk'.split('').map((c) => `read orders.${c}`), 'read orders.meta', 'read orders.tags']);
  });

  it('follows .schema() to the table and to rpc, and counts rpc arguments to pick overloads', () => {
    expect(refsOf("await supabase.schema('billing').from('invoices').select('total');")).toEqual(['1 read invoices', '1 read invoices.total']);
    const { refs } = scan(`await supabase.rpc('archive_post', { post_id: 1, reason: 'spam' });
await supabase.schema('billing').rpc('close_month');
await supabase.rpc('search_posts', args).select('id');`);
    const calls = refs.filter((ref): ref is Extract<RuleRef, { kind: 'call' }> => ref.kind === 'call');
    expect(calls.map(({ function: name, schema, argCount }) => ({ name, schema, argCount }))).toEqual([
      { name: 'archive_post', schema: undefined, argCount: 2 },
      { name: 'close_month', schema: 'billing', argCount: 0 },
      { name: 'search_posts', schema: undefined, argCount: undefined },
    ]);
    // What an rpc's result is filtered or selected by are the function's columns, not a table's.
    expect(refs.filter((ref) => ref.kind !== 'call')).toEqual([]);
    expect(scan("await supabase.schema('billing').from('invoices').select('total');").refs[0]).toMatchObject({ relations: [{ table: 'invoices', schema: 'billing' }] });
  });

  it('does not read storage buckets, edge functions or other from() calls as tables', () => {
    const body = `await supabase.storage.from('avatars').upload('a.png', file);
await supabase.storage.from('avatars').update('a.png', file);
const bucket = supabase.storage.from('docs');
await bucket.remove(['x']);
await supabase.functions.invoke('notify', { body: { id: 1 } });
const letters = Array.from('abc').filter(Boolean);
await supabase.from(tableName).select('id');`;
    expect(refsOf(body)).toEqual([]);
    // Their bucket and function names are not name matches either.
    const text = HEADER + "await supabase.storage.from('avatars').upload('a.png', file);\nawait supabase.functions.invoke('notify');\n";
    const result = scanTypeScript('src/x.ts', text, false, { interestingNames: new Set(['avatars', 'notify']), rules: [rule], packages: new Set(['@supabase/supabase-js']) });
    expect(result.mentions.map((m) => m.name)).toEqual([]);
  });

  it('continues a query kept in a variable, with the embeds it selected', () => {
    const body = `let q = supabase.from('posts').select('id, author:users(email)');
if (mine) q = q.eq('author.id', me);
if (open) q = q.is('closed_at', null);
const base = supabase.from('tags');
await base.insert({ label: 'x' });
const { data } = await q;`;
    expect(refsOf(body)).toEqual([
      '1 read posts',
      '1 read posts.id',
      '1 read users',
      '1 read posts.users',
      '1 read users.post_id',
      '1 read posts.user_id',
      '1 read users.email (or token)',
      '2 read users.id',
      '3 read posts.closed_at',
      '5 write tags',
      '5 write tags.label',
    ]);
  });

  it('reads queries on clients from @supabase/ssr, a SupabaseClient parameter and a class field', () => {
    const body = `import { createServerClient } from '@supabase/ssr';
export async function load(client: SupabaseClient<Database>) {
  const sb = createServerClient(url, key, { cookies });
  await sb.from('profiles').select('handle');
  await client.from('profiles').update({ bio: '' }).eq('id', 1);
}
class Repo { constructor(private readonly db: SupabaseClient) {} find() { return this.db.from('profiles').select('avatar_url').single(); } }`;
    expect(refsOf(body)).toEqual([
      '4 read profiles',
      '4 read profiles.handle',
      '5 write profiles',
      '5 write profiles.bio',
      '5 read profiles.id',
      '7 read profiles',
      '7 read profiles.avatar_url',
    ]);
  });

  it('covers the strings it understood, so they are not also name matches', () => {
    const text = HEADER + "await supabase.from('posts').select('title');\nconst label = 'title';\n";
    const result = scanTypeScript('src/x.ts', text, false, { interestingNames: new Set(['title', 'posts']), rules: [rule], packages: new Set(['@supabase/supabase-js']) });
    expect(result.mentions.filter((m) => m.coveredBy === undefined).map((m) => m.name)).toEqual(['title']);
  });
});
