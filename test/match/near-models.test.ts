import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog.js';
import { nearModelEvidence } from '../../src/match/near-models.js';

function catalog(names: string[]): Catalog {
  return { relations: names.map((name) => ({ id: `public.${name}`, schema: 'public', name, kind: 'table', partitionOf: null, columns: [] })) } as unknown as Catalog;
}

const unresolved = (model: string, tables: string[]) => [{ rule: 'sequelize', model, tables, file: 'src/models.js', line: 3 }];

describe('tables near an unresolved model', () => {
  const tables = catalog(['quizs', 'quiz_answers', 'hosts', 'Categorys', 'tag']);

  it('are the tables a pluralisation or case away from what the model maps to', () => {
    expect([...nearModelEvidence(tables, unresolved('Quiz', ['Quizzes'])).keys()]).toEqual(['public.quizs']);
    expect([...nearModelEvidence(tables, unresolved('Category', ['Categories'])).keys()]).toEqual(['public.Categorys']);
  });

  it('allow one edit only for short names, and never match an unrelated table', () => {
    expect([...nearModelEvidence(tables, unresolved('Post', ['posts'])).keys()]).toEqual([]);
    expect([...nearModelEvidence(tables, unresolved('Tap', ['tap'])).keys()]).toEqual([]);
    expect([...nearModelEvidence(tables, unresolved('Tags', ['tagz'])).keys()]).toEqual(['public.tag']);
  });

  it('say which model they come from, at its declaration', () => {
    const [evidence] = nearModelEvidence(tables, unresolved('Quiz', ['Quizzes'])).get('public.quizs')!;
    expect(evidence).toMatchObject({ kind: 'unresolved-model', role: 'mention', via: 'sequelize model Quiz', file: 'src/models.js', line: 3 });
  });
});
