import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A line of a file under `root` (1-based), each file read once; undefined when it cannot be read. */
export type SourceLine = (file: string, line: number) => string | undefined;

export function sourceLines(root: string): SourceLine {
  const cache = new Map<string, string[] | undefined>();
  return (file, line) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(path.resolve(root, file), 'utf8').split(/\r?\n/));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file)?.[line - 1];
  };
}
