import { ts } from 'ts-morph';
import { accessPath, bareName, callChain, isChainTop, unwrap } from '../../../src/rules/helpers.js';
import type { HookResult, RuleFileContext } from '../../../src/rules/types.js';

/**
 * Which chains start on a Supabase client. `from` is also storage's bucket call
 * (`supabase.storage.from('avatars')`) and `Array.from`, so a table query needs a PostgREST
 * method right after it (query.ts); this module says which roots are never tables.
 */

/** Client members that are not the database: storage buckets, edge functions, auth, realtime. */
const NOT_DATABASE = new Set(['storage', 'functions', 'auth', 'realtime', 'channel']);

/** Names a storage handle goes by when it is kept in a variable (`const bucket = supabase.storage.from('x')`). */
const STORAGE_NAME = /^(?:storage|bucket|buckets|files?)$|(?:Storage|Bucket)$/;

const MAX_DEPTH = 4;

/**
 * Whether the chain's root is a storage, functions or auth handle: `supabase.storage`,
 * `this.client.storage`, a variable holding one, or a name only a storage handle goes by.
 */
export function isOtherService(root: ts.Expression, ctx: RuleFileContext, depth = 0): boolean {
  const path = accessPath(root);
  if (path === undefined) {
    const expr = unwrap(root);
    // `getStorage().from(...)`: the callee says what it returns.
    return ts.isCallExpression(expr) && depth < MAX_DEPTH && isOtherService(expr.expression, ctx, depth + 1);
  }
  if (path.slice(1).some((part) => NOT_DATABASE.has(part))) return true;
  const last = bareName(path[path.length - 1]!);
  if (STORAGE_NAME.test(last)) return true;
  const expr = unwrap(root);
  if (ts.isIdentifier(expr) && depth < MAX_DEPTH) {
    const value = ctx.valueOf(expr.text, expr.getStart(ctx.sourceFile));
    if (value !== undefined && unwrap(value) !== expr) return isOtherService(value, ctx, depth + 1);
  }
  return false;
}

/**
 * `supabase.storage.from('avatars')`, `supabase.functions.invoke('notify')`: bucket, path and edge
 * function names, never schema names, so a table called `avatars` is not kept alive by them.
 */
export function otherServiceHook(node: ts.CallExpression, ctx: RuleFileContext): HookResult {
  if (!isChainTop(node)) return undefined;
  const chain = callChain(node);
  if (!chain.links.some((link) => link.method === 'from' || link.method === 'invoke') || !isOtherService(chain.root, ctx)) return undefined;
  return { declares: node };
}
