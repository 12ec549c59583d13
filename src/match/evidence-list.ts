import type { Evidence } from './types.js';

/** Evidence a finding lists unless all of it is asked for (explain keeps everything). */
export const MAX_EVIDENCE = 25;
/** Kept of every kind before the strongest others fill the list, so no kind hides behind another. */
const EVIDENCE_PER_KIND = 3;

/**
 * The evidence a finding shows (issue 10, section 9): the first few of every kind, then the
 * strongest of the rest, in strength order. Taking only the first 25 of one ordering hid the
 * wildcard reads of a column behind dozens of name matches.
 */
export function keptEvidence(sorted: readonly Evidence[]): Evidence[] {
  if (sorted.length <= MAX_EVIDENCE) return [...sorted];
  const perKind = new Map<string, number>();
  const kept = new Set<Evidence>();
  for (const item of sorted) {
    const count = perKind.get(item.kind) ?? 0;
    if (count < EVIDENCE_PER_KIND) kept.add(item);
    perKind.set(item.kind, count + 1);
  }
  for (const item of sorted) {
    if (kept.size >= MAX_EVIDENCE) break;
    kept.add(item);
  }
  return sorted.filter((item) => kept.has(item));
}

export function countByKind(items: readonly Evidence[]): Partial<Record<Evidence['kind'], number>> {
  const out: Partial<Record<Evidence['kind'], number>> = {};
  for (const item of items) out[item.kind] = (out[item.kind] ?? 0) + 1;
  return out;
}
