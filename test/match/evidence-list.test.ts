import { describe, expect, it } from 'vitest';
import { countByKind, keptEvidence } from '../../src/match/evidence-list.js';
import type { Evidence } from '../../src/match/types.js';

const item = (kind: Evidence['kind'], line: number): Evidence => ({ file: 'src/a.ts', line, column: 1, kind, role: kind === 'wildcard' ? 'read' : 'mention' });

describe('the evidence a finding keeps', () => {
  // Strength order, as the verdict step sorts it: name matches before wildcards before comments.
  const sorted = [
    ...Array.from({ length: 40 }, (_, i) => item('name-match', i + 1)),
    item('wildcard', 100),
    item('wildcard', 101),
    ...Array.from({ length: 5 }, (_, i) => item('comment', 200 + i)),
  ];

  it('keeps a few of every kind, so wildcard reads are not hidden behind dozens of name matches', () => {
    const kept = keptEvidence(sorted);
    expect(kept).toHaveLength(25);
    expect(kept.filter((e) => e.kind === 'wildcard').map((e) => e.line)).toEqual([100, 101]);
    expect(kept.filter((e) => e.kind === 'comment')).toHaveLength(3);
    // The rest are the strongest others, still in strength order.
    expect(kept.filter((e) => e.kind === 'name-match').map((e) => e.line)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(kept.map((e) => e.kind)).toEqual([...Array(20).fill('name-match'), 'wildcard', 'wildcard', 'comment', 'comment', 'comment']);
  });

  it('keeps everything when there is little', () => {
    expect(keptEvidence(sorted.slice(38, 44))).toHaveLength(6);
  });

  it('counts every piece by kind, kept or not', () => {
    expect(countByKind(sorted)).toEqual({ 'name-match': 40, wildcard: 2, comment: 5 });
  });
});
