/**
 * Offsets where each line starts, for a string (UTF-16 indexes) or UTF-8 bytes (byte offsets,
 * which is what libpg-query's scanner reports).
 */
export function lineStarts(text: string | Uint8Array): number[] {
  const starts = [0];
  if (typeof text === 'string') {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  } else {
    for (let i = 0; i < text.length; i++) if (text[i] === 0x0a) starts.push(i + 1);
  }
  return starts;
}

/** 1-based line and column of an offset, by binary search over `lineStarts` output. */
export function lineAndColumn(starts: number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
}
