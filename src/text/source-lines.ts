import path from 'node:path';
import { readDecodedSync } from './decode.js';

/** A line of a file under `root` (1-based), each file read once; undefined when it cannot be read. */
export type SourceLine = (file: string, line: number) => string | undefined;

export function sourceLines(root: string): SourceLine {
  const cache = new Map<string, string[] | undefined>();
  return (file, line) => {
    if (!cache.has(file)) {
      try {
        // Decoded as the scan decoded it, so a Latin-1 line shows the same text its evidence came from.
        cache.set(file, readDecodedSync(path.resolve(root, file)).text.split(/\r?\n/));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file)?.[line - 1];
  };
}
