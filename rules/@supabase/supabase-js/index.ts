import { queryChainHook } from '../../../src/rules/query-builder.js';
import type { Rule } from '../../../src/rules/types.js';
import { otherServiceHook } from './clients.js';
import { readQuery } from './query.js';

/**
 * supabase-js (postgrest-js underneath): `<client>.from('t')` (also after `.schema('s')`) followed
 * by select/insert/upsert/update/delete starts a query on a table, whatever the client is called
 * (`createClient`, `@supabase/ssr`'s `createServerClient`, the auth-helpers' clients, a
 * `SupabaseClient` parameter), since only a PostgREST builder has that shape. Select lists are
 * parsed with PostgREST's syntax (aliases, casts, JSON paths, aggregates, embedded resources with
 * `!hint`/`!inner`, spreads); filters, `or()` trees, `match()` and `order()` read columns of the
 * table or of the embed their path or `referencedTable` names; insert/upsert/update payload keys
 * are written. `.rpc('fn', args)` calls a database function. `storage.from(bucket)` is not a table.
 */
const readChain = queryChainHook(readQuery);

const rule: Rule = {
  name: '@supabase/supabase-js',
  enablers: ['@supabase/supabase-js', '@supabase/ssr', '@supabase/auth-helpers-nextjs', '@supabase/auth-helpers-sveltekit', '@supabase/auth-helpers-remix', '@supabase/postgrest-js'],
  // Other builders have `.from('t').select(` too (knex): only the conventional client name is distinctive.
  callShape: /\bsupabase\w*(?:\s*\.\s*schema\([^)]*\))?\s*\.\s*(?:from|rpc)\(\s*['"`]\w/i,
  meta: {
    docs: 'https://supabase.com/docs/reference/javascript/select',
    upstream: 'https://github.com/supabase/supabase-js',
    sees: "`.from('t')` queries on any client: PostgREST select lists (aliases, casts, JSON paths, aggregates, embeds with hints), filters, `or()` strings, `match`, `order` (also on embeds), insert/upsert/update payload keys and `onConflict`, delete; `.rpc('fn')` function calls; not `storage.from(bucket)`",
    defaultConfidence: 'high',
  },
  visitors: {
    // A query is read once, from its last call; storage and edge-function calls name no schema object.
    CallExpression: (node, ctx) => otherServiceHook(node, ctx) ?? readChain(node, ctx),
  },
};

export default rule;
