import { pluralize } from '../names/case.js';

/**
 * `1 file`, `3 files`, `2 statuses`: a count and its noun, pluralised by the same rules as table
 * names (inflection), so every message agrees and none spells `statuss`.
 */
export function counted(count: number, noun: string): string {
  return `${count} ${nounFor(count, noun)}`;
}

/** The noun alone in the number a count needs (`schema`/`schemas`), for text that puts the count elsewhere. */
export function nounFor(count: number, noun: string): string {
  return count === 1 ? noun : pluralize(noun);
}
