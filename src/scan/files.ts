import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

export const DEFAULT_INCLUDE = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}', '**/*.sql'];
export const DEFAULT_EXCLUDE = [
  '**/node_modules/**',
  '**/dist/**',
  '**/build/**',
  '**/coverage/**',
  '**/.git/**',
  '**/*.d.ts',
  '**/*.d.mts',
  '**/*.d.cts',
  '**/*.min.js',
  // Migrations are never readers, whichever schema source is used (INCIDENT.md: a backup
  // table only a migration fills is dead); the --migrations dir is excluded wherever it is.
  '**/migrations/**',
  '**/migration/**',
  '**/db/migrate/**',
];
export const DEFAULT_TEST_GLOBS = [
  '**/*.{test,spec}.{ts,tsx,mts,cts,js,jsx,mjs,cjs}',
  '**/__tests__/**',
  '**/__mocks__/**',
  'test/**',
  'tests/**',
  '**/test/**',
  '**/tests/**',
  '**/e2e/**',
  '**/fixtures/**',
];

export interface DiscoverOptions {
  root: string;
  include?: string[];
  exclude?: string[];
  /** Absolute paths (files or directories) that are not application code, e.g. the migrations. */
  excludePaths?: string[];
}

/** Source files under root, relative paths, sorted; .gitignore files are honoured. */
export async function discoverFiles(options: DiscoverOptions): Promise<string[]> {
  const root = path.resolve(options.root);
  const excludedPrefixes = (options.excludePaths ?? [])
    .map((p) => path.relative(root, path.resolve(p)))
    .filter((rel) => rel !== '' && !rel.startsWith('..'))
    .map((rel) => rel.split(path.sep).join('/'));
  const ignoreFiles = await fg('**/.gitignore', {
    cwd: root,
    ignore: ['**/node_modules/**', '**/.git/**'],
    dot: true,
  });
  const gitignores = await Promise.all(ignoreFiles.map(async (file) => loadGitignore(root, file)));
  const files = await fg(options.include ?? DEFAULT_INCLUDE, {
    cwd: root,
    ignore: [...DEFAULT_EXCLUDE, ...(options.exclude ?? [])],
    dot: false,
    onlyFiles: true,
    followSymbolicLinks: false,
  });
  return files
    .filter((file) => !excludedPrefixes.some((prefix) => file === prefix || file.startsWith(`${prefix}/`)))
    .filter((file) => !gitignores.some((gi) => gi.ignores(file)))
    .sort();
}

interface ScopedIgnore {
  ignores(file: string): boolean;
}

async function loadGitignore(root: string, file: string): Promise<ScopedIgnore> {
  const dir = path.posix.dirname(file);
  const matcher: Ignore = ignore().add(await readFile(path.join(root, file), 'utf8'));
  return {
    ignores(candidate: string): boolean {
      if (dir === '.') return matcher.ignores(candidate);
      if (!candidate.startsWith(`${dir}/`)) return false;
      return matcher.ignores(candidate.slice(dir.length + 1));
    },
  };
}

/** Test files count as evidence of a kind but never make an object alive. */
export function makeTestMatcher(globs: string[] = DEFAULT_TEST_GLOBS): (file: string) => boolean {
  return picomatch(globs, { dot: true });
}
