import leven from 'leven';
import type { Catalog } from '../catalog.js';
import { tableCandidates } from '../names/case.js';
import type { UnresolvedModel } from './library.js';
import type { Evidence } from './types.js';

/**
 * A model whose table the schema lacks (a Sequelize model pluralised another way, a Prisma
 * `@@map` typo) most likely means a table named almost like it: its calls may be that table's.
 * Such a table gets `unresolved-model` evidence, which never makes it alive but keeps a dead
 * verdict at `medium` until someone checks the mapping (issue 10, §6).
 */
export function nearModelEvidence(catalog: Catalog, unresolved: readonly UnresolvedModel[]): Map<string, Evidence[]> {
  const out = new Map<string, Evidence[]>();
  if (unresolved.length === 0) return out;
  const tables = catalog.relations.filter((r) => r.kind !== 'view' && r.kind !== 'materializedView' && r.partitionOf === null);
  for (const model of unresolved) {
    const wanted = new Set([...model.tables, ...tableCandidates(model.model)].map(normalized));
    for (const table of tables) {
      const name = normalized(table.name);
      if (![...wanted].some((candidate) => isNear(candidate, name))) continue;
      const evidence: Evidence = { file: model.file, line: model.line, column: 1, kind: 'unresolved-model', role: 'mention', via: `${model.rule} model ${model.model}` };
      out.set(table.id, [...(out.get(table.id) ?? []), evidence]);
    }
  }
  return out;
}

/** Case and underscores aside: `Quizzes`, `quizzes`, `quiz_zes` compare alike. */
function normalized(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

/**
 * Within two edits for names of five letters or more, one added letter for shorter ones, all near the end
 * (pluralising changes the ending: `quizzes`/`quizs`, not `posts`/`hosts`); not equal, since an
 * equal name would have resolved.
 */
function isNear(a: string, b: string): boolean {
  if (a === b) return false;
  const shorter = Math.min(a.length, b.length);
  // A short name differs only by a letter added at the end (`tag`/`tags`), else `tap` is `tag`.
  if (shorter < 5) return Math.abs(a.length - b.length) === 1 && commonPrefix(a, b) === shorter;
  const allowed = 2;
  if (Math.abs(a.length - b.length) > allowed || commonPrefix(a, b) < shorter - 2) return false;
  // Capped one above the limit: leven stops counting there.
  return leven(a, b, { maxDistance: allowed + 1 }) <= allowed;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
