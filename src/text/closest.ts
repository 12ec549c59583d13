import leven from 'leven';

/** The known key a typo most likely meant: close in edit distance, or the same ignoring case and separators. */
export function closest(key: string, known: readonly string[]): string | undefined {
  const squash = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    if (squash(candidate) === squash(key)) return candidate;
    const distance = leven(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}
