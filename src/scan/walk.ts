import { readdir, type Dirent } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { glob, type FileSystemAdapter } from 'tinyglobby';

export interface WalkOptions {
  /** Absolute, or relative to the process's working directory. */
  cwd: string;
  ignore?: string[];
  /** Whether `*` and `**` match names that start with a dot; ignore patterns always do. */
  dot: boolean;
  /** How many folders below `cwd` are read: 0 reads `cwd` alone (fast-glob's `deep` was one more). */
  deep?: number;
  /** Also list the folders that match, `/`-terminated. */
  directories?: boolean;
}

export interface WalkedTree {
  /** Matching files (and folders when asked for), relative and `/`-separated, unsorted. */
  paths: string[];
  /** Matching symbolic links, never followed: to a file, a folder or nothing. */
  links: string[];
}

/**
 * A tinyglobby walk that also lists symbolic links without following them, and ignores the way
 * fast-glob did. tinyglobby drops links when it is told not to follow them, and matches ignore
 * patterns with the `dot` setting of the walk, so a `dist` exclude would keep `.storybook/dist/x.ts`;
 * fast-glob matched ignores as if `dot` were on, and the scan relies on both (src/scan/files.ts).
 */
export async function walkTree(patterns: string[], options: WalkOptions): Promise<WalkedTree> {
  const cwd = path.resolve(options.cwd);
  // A `!glob` among the patterns is an exclude, as in tinyglobby.
  const positive = patterns.filter((p) => !p.startsWith('!'));
  const ignore = [...(options.ignore ?? []), ...patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1))];
  const seenLinks: string[] = [];
  // The walk's own readdir results are the cheapest place to see links: no second walk, no lstat.
  // tinyglobby's `fs` option is typed as node:fs's overloaded readdir; fdir calls only this form.
  const spy = ((dir: string, opts: { withFileTypes: true }, callback: (error: NodeJS.ErrnoException | null, entries: Dirent[]) => void) =>
    readdir(dir, opts, (error, entries) => {
      if (error === null) for (const entry of entries) if (entry.isSymbolicLink()) seenLinks.push(toPosix(path.relative(cwd, path.join(dir, entry.name))));
      callback(error, entries);
    })) as unknown as FileSystemAdapter['readdir'];
  const found = await glob(positive, {
    cwd,
    ignore,
    dot: options.dot,
    deep: options.deep,
    onlyFiles: options.directories !== true,
    followSymbolicLinks: false,
    // fast-glob took `migrations/` for the folder itself, not for everything in it.
    expandDirectories: false,
    fs: { readdir: spy },
  });
  // Folders are pruned by the walk as fast-glob pruned them; only the entries need this second look.
  const isIgnored = picomatch(ignore, { dot: true });
  // A `/`-terminated pattern names folders, never a link, as in fast-glob.
  const isMatch = picomatch(positive, { dot: options.dot });
  return {
    paths: options.dot ? found : found.filter((p) => !isIgnored(p)),
    links: seenLinks.filter((link) => isMatch(link) && !isIgnored(link)),
  };
}

function toPosix(rel: string): string {
  return rel.split(path.sep).join('/');
}
