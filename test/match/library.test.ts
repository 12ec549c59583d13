import { describe, expect, it } from 'vitest';
import { collectCodeEvidence } from '../../src/match/collect.js';
import type { RuleRef } from '../../src/rules/types.js';
import type { FileScan } from '../../src/scan/index.js';
import { lineStarts } from '../../src/text/lines.js';
import { createFakeLookup } from '../sql/fake-lookup.js';

const lookup = createFakeLookup({
  relations: [
    { name: 'users', columns: ['id', 'display_name', 'address_line_1', 'loyalty_tier'] },
    { name: 'Posts', columns: ['id', 'author_id', 'body'] },
    { name: 'comments', columns: ['id', 'author_id', 'body'] },
  ],
});

/** One file per ref list; every ref sits on its own line so evidence lines are easy to read. */
function fileWith(file: string, rule: string, refs: RuleRef[], isTest = false): FileScan {
  const text = refs.map((_, index) => `line ${index + 1}`).join('\n');
  const starts = lineStarts(text);
  return {
    file,
    isTest,
    sqlSites: [],
    mentions: [],
    libraryRefs: refs.map((ref, index) => ({ rule, ref: { ...ref, position: starts[index]! } })),
    rules: [rule],
    lineStarts: starts,
    events: [],
  };
}

describe('library references become evidence', () => {
  it('resolves model fields through explicit column names and declarations never count as uses', () => {
    const code = collectCodeEvidence(
      [
        fileWith('src/schema.ts', 'orm', [
          { kind: 'model', model: 'User', tables: ['users'], position: 0 },
          { kind: 'field', model: 'User', field: 'nickname', column: 'display_name', position: 0 },
          { kind: 'field', model: 'User', field: 'loyaltyTier', position: 0 },
        ]),
        fileWith('src/service.ts', 'orm', [
          { kind: 'use', relations: [{ model: 'user' }], name: 'nickname', role: 'read', position: 0 },
          { kind: 'use', relations: [{ model: 'user' }], name: 'addressLine1', role: 'write', position: 0 },
        ]),
      ],
      lookup,
    );
    expect(code.byObject.get('public.users.display_name')).toEqual([
      expect.objectContaining({ file: 'src/schema.ts', line: 2, kind: 'model', role: 'mention' }),
      expect.objectContaining({ file: 'src/service.ts', line: 1, kind: 'library', role: 'read', via: 'orm' }),
    ]);
    expect(code.byObject.get('public.users.loyalty_tier')).toEqual([expect.objectContaining({ kind: 'model' })]);
    // Kysely's underscoreBeforeDigits spelling is tried after the plain snake form.
    expect(code.byObject.get('public.users.address_line_1')).toEqual([expect.objectContaining({ kind: 'library', role: 'write' })]);
    expect(code.libraries.orm).toEqual({ files: 2, refs: 5, unresolved: 0 });
  });

  it('falls back to table-name candidates for undeclared models (Post → "Posts")', () => {
    const code = collectCodeEvidence(
      [fileWith('src/a.ts', 'orm', [{ kind: 'wildcard', relation: { model: 'Post' }, position: 0 }])],
      lookup,
    );
    expect(code.wildcards.get('public.Posts')).toEqual([expect.objectContaining({ kind: 'wildcard', role: 'read' })]);
    expect(code.byObject.get('public.Posts')).toEqual([expect.objectContaining({ kind: 'library', role: 'read' })]);
  });

  it('marks an unqualified name shared by two joined tables as ambiguous, and a unique one as a use', () => {
    const relations = [{ table: 'Posts' }, { table: 'comments' }, { table: 'users' }];
    const code = collectCodeEvidence(
      [
        fileWith('src/a.ts', 'qb', [
          { kind: 'use', relations, name: 'body', role: 'read', position: 0 },
          { kind: 'use', relations, name: 'display_name', role: 'read', position: 0 },
        ]),
      ],
      lookup,
    );
    expect(code.byObject.get('public.Posts.body')).toEqual([expect.objectContaining({ kind: 'sql-ambiguous' })]);
    expect(code.byObject.get('public.comments.body')).toEqual([expect.objectContaining({ kind: 'sql-ambiguous' })]);
    expect(code.byObject.get('public.users.display_name')).toEqual([expect.objectContaining({ kind: 'library', line: 2 })]);
  });

  it('keeps uses in test files as test evidence and counts references that name nothing', () => {
    const code = collectCodeEvidence(
      [
        fileWith(
          'test/a.test.ts',
          'qb',
          [
            { kind: 'use', relations: [{ table: 'users' }], name: 'loyalty_tier', role: 'read', position: 0 },
            { kind: 'use', relations: [{ table: 'users' }], name: 'no_such_column', role: 'read', position: 0 },
            { kind: 'use', relations: [{ table: 'no_such_table' }], role: 'delete', position: 0 },
          ],
          true,
        ),
      ],
      lookup,
    );
    expect(code.byObject.get('public.users.loyalty_tier')).toEqual([expect.objectContaining({ kind: 'test' })]);
    expect(code.libraries.qb).toEqual({ files: 1, refs: 3, unresolved: 2 });
  });

  it('reports a declared model whose table the schema lacks, once', () => {
    const code = collectCodeEvidence(
      [
        fileWith('src/models.ts', 'orm', [
          { kind: 'model', model: 'Invoice', tables: ['invoices'], position: 0 },
          { kind: 'field', model: 'Invoice', field: 'total', position: 0 },
          { kind: 'use', relations: [{ model: 'invoice' }], name: 'total', role: 'read', position: 0 },
        ]),
      ],
      lookup,
    );
    expect(code.events).toEqual([
      expect.objectContaining({ kind: 'library-model-unresolved', file: 'src/models.ts', line: 1 }),
    ]);
    expect(code.libraries.orm?.unresolved).toBe(3);
  });
});

describe('library references: candidates, duplicates and declared wildcards', () => {
  it('is not ambiguous when two candidates are the same table, and keeps one evidence per place', () => {
    const code = collectCodeEvidence(
      [
        fileWith('src/schema.ts', 'orm', [{ kind: 'model', model: 'User', tables: ['users'], position: 0 }]),
        fileWith('src/a.ts', 'orm', [
          { kind: 'use', relations: [{ model: 'User' }, { table: 'users' }], name: 'loyaltyTier', role: 'read', position: 0 },
        ]),
        // One declaration reached through two model names (an alias path), at one place.
        {
          ...fileWith('src/b.ts', 'orm', [{ kind: 'field', model: 'User', field: 'loyaltyTier', position: 0 }]),
          libraryRefs: [
            { rule: 'orm', ref: { kind: 'field', model: 'User', field: 'loyaltyTier', position: 0 } },
            { rule: 'orm', ref: { kind: 'field', model: 'user', field: 'loyaltyTier', position: 0 } },
          ],
        },
      ],
      lookup,
    );
    expect(code.byObject.get('public.users.loyalty_tier')).toEqual([
      expect.objectContaining({ file: 'src/a.ts', kind: 'library' }),
      expect.objectContaining({ file: 'src/b.ts', kind: 'model' }),
    ]);
  });

  it('scopes a model wildcard to the columns the model declares', () => {
    const code = collectCodeEvidence(
      [
        fileWith('src/schema.ts', 'orm', [
          { kind: 'model', model: 'User', tables: ['users'], position: 0 },
          { kind: 'field', model: 'User', field: 'displayName', position: 0 },
        ]),
        fileWith('src/a.ts', 'orm', [{ kind: 'wildcard', relation: { model: 'user' }, position: 0 }]),
      ],
      lookup,
    );
    expect(code.wildcards.get('public.users')).toBeUndefined();
    expect(code.byObject.get('public.users.display_name')).toEqual([
      expect.objectContaining({ file: 'src/schema.ts', kind: 'model' }),
      expect.objectContaining({ file: 'src/a.ts', kind: 'wildcard', role: 'read' }),
    ]);
    // The model does not declare loyalty_tier: `findMany()` does not select it.
    expect(code.byObject.get('public.users.loyalty_tier')).toBeUndefined();
  });
});

describe('covered mentions', () => {
  it('counts a covered string as a name match only when the match named nothing in the schema', () => {
    const text = "store.read('users', 'loyalty_tier');\nstore.read('user_archive', 'display_name');";
    const starts = lineStarts(text);
    const at = (needle: string): number => text.indexOf(needle) + 1;
    const scan: FileScan = {
      file: 'src/a.ts',
      isTest: false,
      sqlSites: [],
      mentions: [
        { name: 'loyalty_tier', kind: 'string', position: at("'loyalty_tier'"), coveredBy: 0 },
        { name: 'display_name', kind: 'string', position: at("'display_name'"), coveredBy: 1 },
      ],
      libraryRefs: [
        { rule: 'toy', ref: { kind: 'use', relations: [{ table: 'users' }], name: 'loyalty_tier', role: 'read', position: at("'loyalty_tier'") }, match: 0 },
        // A table the schema does not have: the rule misread the call, so its strings stay evidence.
        { rule: 'toy', ref: { kind: 'use', relations: [{ table: 'user_archive' }], name: 'display_name', role: 'read', position: at("'display_name'") }, match: 1 },
      ],
      rules: ['toy'],
      lineStarts: starts,
      events: [],
    };
    const code = collectCodeEvidence([scan], lookup);
    expect(code.mentions.get('loyalty_tier')).toBeUndefined();
    expect(code.mentions.get('display_name')).toEqual([expect.objectContaining({ evidence: expect.objectContaining({ line: 2, kind: 'name-match' }) })]);
  });
});
