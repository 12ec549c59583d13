import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import type { AnalysisEvent } from '../catalog.js';
import { followLinks, type LinkFilters } from './links.js';
import { walkTree, type WalkedTree } from './walk.js';

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

export interface DiscoveredFiles {
  /** Relative paths, `/`-separated, sorted; a file reached only through a link is named by the link's path. */
  files: string[];
  /** `symlink-skipped` events: links that point outside the root, are broken, or loop. */
  skipped: AnalysisEvent[];
}

/**
 * Source files under root; .gitignore files are honoured. Symbolic links inside the root are
 * followed (src/scan/links.ts), since the code behind them is as much the project's as any other.
 */
export async function discoverFiles(options: DiscoverOptions, listing?: TreeListing): Promise<DiscoveredFiles> {
  const root = path.resolve(options.root);
  // Globbers read a `!glob` among the patterns as an exclude; so does this.
  const include = (options.include ?? DEFAULT_INCLUDE).filter((p) => !p.startsWith('!')).map((p) => p.replace(/^\.\//, ''));
  const ignorePatterns = [
    ...DEFAULT_EXCLUDE,
    ...(options.exclude ?? []),
    ...(options.include ?? []).filter((p) => p.startsWith('!')).map((p) => p.slice(1)),
  ];
  const excludedPrefixes = (options.excludePaths ?? [])
    .map((p) => path.relative(root, path.resolve(p)))
    .filter((rel) => rel !== '' && !rel.startsWith('..'))
    .map((rel) => rel.split(path.sep).join('/'));
  // One walk lists files and links. A glob names a link only when the link's own name matches
  // a pattern (a linked folder's rarely does), so it lists every entry (`**`) and the include
  // globs are matched here (a second walk for links alone made discovery of a 20,000-file tree
  // ~1.8x slower; this one costs ~10%). `**` skips dot folders (dot: false), so an include that
  // names one (`.storybook/**`) joins the walk.
  const walk = ['**', ...include.filter((p) => p.split('/').some((part) => part.startsWith('.')))];
  const tree = listing ?? new TreeListing(root);
  const [entries, gitignores] = await Promise.all([tree.entries(walk, ignorePatterns), tree.gitignores()]);
  const isExcluded = (file: string): boolean =>
    excludedPrefixes.some((prefix) => file === prefix || file.startsWith(`${prefix}/`)) || gitignores.some((gi) => gi.ignores(file));
  const isIncluded = picomatch(include, { dot: false });
  const files = entries.paths.filter((file) => isIncluded(file) && !isExcluded(file));
  const links = entries.links.filter((link) => !isExcluded(link));
  if (links.length === 0) return { files: files.sort(), skipped: [] };
  const followed = await followLinks(root, links.sort(), files, linkFilters(isIncluded, ignorePatterns, isExcluded));
  return { files: [...files, ...followed.files].sort(), skipped: followed.skipped };
}

/**
 * One run's view of a tree: discoverFiles() for the code, for other languages' files and for a
 * rule's declaration files walk the same folders with the same excludes, so the walk and the
 * .gitignore files are read once per listing instead of once per call. Make a new listing to see
 * changes on disk.
 */
export class TreeListing {
  private readonly walks = new Map<string, Promise<WalkedTree>>();
  private ignores: Promise<ScopedIgnore[]> | undefined;

  constructor(private readonly root: string) {}

  entries(patterns: string[], ignorePatterns: string[]): Promise<WalkedTree> {
    const key = JSON.stringify([patterns, ignorePatterns]);
    let walk = this.walks.get(key);
    if (walk === undefined) {
      walk = walkTree(patterns, { cwd: this.root, ignore: ignorePatterns, dot: false });
      this.walks.set(key, walk);
    }
    return walk;
  }

  gitignores(): Promise<ScopedIgnore[]> {
    this.ignores ??= loadGitignores(this.root);
    return this.ignores;
  }
}

async function loadGitignores(root: string): Promise<ScopedIgnore[]> {
  const ignoreFiles = await glob('**/.gitignore', {
    cwd: root,
    ignore: ['**/node_modules/**', '**/.git/**'],
    dot: true,
    expandDirectories: false,
  });
  return Promise.all(ignoreFiles.map(async (file) => loadGitignore(root, file)));
}

/** The walk's include and exclude rules as predicates on `/`-separated paths, for what links reach. */
function linkFilters(isIncluded: (file: string) => boolean, ignorePatterns: string[], isExcluded: (file: string) => boolean): LinkFilters {
  const isIgnoredGlob = picomatch(ignorePatterns, { dot: true });
  // The walk prunes a folder matched by an exclude that ends in `/**` (`**/node_modules/**`).
  const isPrunedGlob = picomatch(ignorePatterns.filter((p) => p.endsWith('/**')), { dot: true });
  return {
    isIncluded,
    isIgnored: (file) => isIgnoredGlob(file) || isExcluded(file),
    isIgnoredDir: (dir) => isPrunedGlob(dir) || isExcluded(dir) || isExcluded(`${dir}/`),
    unanchoredIgnore: ignorePatterns.filter((p) => p.startsWith('**/')),
  };
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
