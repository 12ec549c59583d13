import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog.js';
import { createSchemaLookup } from '../../src/match/lookup.js';

/** Just what name resolution reads from a catalog. */
function catalog(relations: { schema: string; name: string }[], searchPath = ['public']): Catalog {
  return {
    relations: relations.map((r) => ({ id: `${r.schema}.${r.name}`, schema: r.schema, name: r.name, columns: [{ name: 'id' }] })),
    functions: [{ id: 'storage.search(text)', schema: 'storage', name: 'search', argCount: 1 }],
    types: [],
    sequences: [],
    searchPath,
  } as unknown as Catalog;
}

describe('schema lookup: unqualified names', () => {
  const lookup = createSchemaLookup(
    catalog([
      { schema: 'public', name: 'accounts' },
      { schema: 'storage', name: 'accounts' },
      { schema: 'storage', name: 'buckets' },
      { schema: 'tenant_a', name: 'settings' },
      { schema: 'tenant_b', name: 'settings' },
    ]),
  );

  it('follow the search path first', () => {
    expect(lookup.resolveRelation(undefined, 'accounts')?.id).toBe('public.accounts');
  });

  it('resolve to the only schema that has the name when the path has none (the app sets its own search_path)', () => {
    expect(lookup.resolveRelation(undefined, 'buckets')?.id).toBe('storage.buckets');
    expect(lookup.resolveFunction(undefined, 'search', 1)).toEqual(['storage.search(text)']);
  });

  it('stay unknown when several schemas off the path have the name', () => {
    expect(lookup.resolveRelation(undefined, 'settings')).toBeUndefined();
  });

  it('never move a qualified name', () => {
    expect(lookup.resolveRelation('public', 'buckets')).toBeUndefined();
  });
});
