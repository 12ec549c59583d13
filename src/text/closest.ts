import leven from 'leven';

/** The known key a typo most likely meant: close in edit distance, or the same ignoring case and separators. */
export function closest(key: string, known: readonly string[]): string | undefined {
  const squash = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    if (squash(candidate) === squash(key)) return candidate;
    // Two swapped neighbours (`audti`) are one slip of the fingers, though two edits to leven.
    const distance = isOneSwap(key.toLowerCase(), candidate.toLowerCase()) ? 1 : leven(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

function isOneSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const differ = [...a].flatMap((ch, index) => (ch === b[index] ? [] : [index]));
  return differ.length === 2 && differ[1] === differ[0]! + 1 && a[differ[0]!] === b[differ[1]!] && a[differ[1]!] === b[differ[0]!];
}
