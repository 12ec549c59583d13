import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AnalysisEvent, MigrationsLayout } from '../catalog.js';
import { SchemaSourceError, messageOf } from '../errors.js';
import { loadSqlScanner, splitStatements, type SqlStatement } from './split.js';
import { readText } from '../text/decode.js';
import { isScriptMigrationTool } from './js-migrations/tool-names.js';
import type { ScriptMigrationSet } from './js-migrations/index.js';
import { nounFor } from '../text/count.js';

/** The script readers load the TypeScript compiler: only a folder of scripts pays for it. */
const scriptReaders = (): Promise<typeof import('./js-migrations/index.js')> => import('./js-migrations/index.js');

export interface MigrationFile {
  /** Absolute path. */
  file: string;
  /** Path relative to the migrations directory, `/`-separated: stable across checkouts, used in the cache key. */
  relativePath: string;
  content: string;
  statements: SqlStatement[];
}

export interface MigrationSet {
  layout: MigrationsLayout;
  /** Files to apply, in order. */
  files: MigrationFile[];
  /**
   * Every `.sql` file under the directory, applied or not (down/undo files too), and for JS/TS
   * migrations every script in it, for the code scanner to skip.
   */
  allSqlFiles: string[];
  /** What the layout names but the folder lacks (a drizzle journal entry without its file); paths absolute. */
  events: AnalysisEvent[];
}

const BREAKPOINT_MARKER = '--> statement-breakpoint';
const DBMATE_UP = /^--\s*migrate:up\b.*$/m;
const DBMATE_DOWN = /^--\s*migrate:down\b.*$/m;
const FLYWAY_VERSIONED = /^V(\d+(?:[._]\d+)*)__.*\.sql$/i;
const FLYWAY_REPEATABLE = /^R__.*\.sql$/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export async function readMigrations(dir: string, forcedLayout?: MigrationsLayout): Promise<MigrationSet> {
  const root = path.resolve(dir);
  const info = await stat(root).catch((error: unknown) => {
    throw new SchemaSourceError(`cannot read migrations directory ${dir}: ${errorCode(error)}`, { path: root, cause: error });
  });
  if (!info.isDirectory()) throw new SchemaSourceError(`migrations path ${dir} is not a directory`, { path: root });
  if (isScriptMigrationTool(forcedLayout)) {
    const { readScriptMigrations, migrateCommandOf } = await scriptReaders();
    const scripts = await readScriptMigrations(root, forcedLayout);
    if (scripts === undefined) throw new SchemaSourceError(`no ${forcedLayout} migrations found in ${dir}`, { path: root });
    return fromScripts(dir, scripts, [], migrateCommandOf(scripts.tool));
  }

  const relSqlFiles = (await listFiles(root)).filter((f) => f.endsWith('.sql')).sort(naturalCompare);
  const contents = new Map<string, string>();
  const read = async (rel: string): Promise<string> => {
    let text = contents.get(rel);
    if (text === undefined) {
      text = await readText(path.join(root, rel)).catch((error: unknown) => {
        throw new SchemaSourceError(`cannot read migration ${path.join(dir, rel)}: ${errorCode(error)}`, {
          path: path.join(root, rel),
          cause: error,
        });
      });
      contents.set(rel, text);
    }
    return text;
  };

  const layout = forcedLayout ?? (await detectLayout(root, relSqlFiles, read));
  const events: AnalysisEvent[] = [];
  const ordered = await orderFiles(layout, root, relSqlFiles, read, events);
  if (ordered.length === 0 && forcedLayout === undefined) {
    // No SQL migration to apply: the folder may hold TypeORM/knex/Kysely/... scripts instead.
    const { readScriptMigrations, migrateCommandOf } = await scriptReaders();
    const scripts = await readScriptMigrations(root);
    if (scripts !== undefined) return fromScripts(dir, scripts, relSqlFiles.map((f) => path.join(root, f)), migrateCommandOf(scripts.tool));
  }
  if (ordered.length === 0) {
    throw new SchemaSourceError(`no ${layout} migrations found in ${dir}`, {
      path: root,
      hint: 'point --migrations at the folder holding the .sql files, or pass --migrations-layout',
    });
  }

  await loadSqlScanner();
  const files: MigrationFile[] = [];
  for (const rel of ordered) {
    const content = await read(rel);
    const applied = layout === 'dbmate' ? dbmateUpSection(content) : content;
    files.push(withLazyStatements({ file: path.join(root, rel), relativePath: rel, content }, () => splitStatements(applied, { breakpoints: layout === 'drizzle' })));
  }
  const appliedSet = new Set(ordered);
  const allSqlFiles = [...ordered, ...relSqlFiles.filter((f) => !appliedSet.has(f))].map((f) => path.join(root, f));
  return { layout, files, allSqlFiles, events };
}

/**
 * Split on first use: a run whose schema comes from the cache needs only the files' text (the
 * cache key), and splitting every migration cost a tenth of a second on 80 files.
 */
function withLazyStatements(file: Omit<MigrationFile, 'statements'>, split: () => SqlStatement[]): MigrationFile {
  let statements: SqlStatement[] | undefined;
  return Object.defineProperty(file, 'statements', { get: () => (statements ??= split()), enumerable: true }) as MigrationFile;
}

async function detectLayout(
  root: string,
  relSqlFiles: string[],
  read: (rel: string) => Promise<string>,
): Promise<MigrationsLayout> {
  if (relSqlFiles.some((f) => /^[^/]+\/migration\.sql$/.test(f))) return 'prisma';
  if (await exists(path.join(root, 'meta', '_journal.json'))) return 'drizzle';
  const contents = await Promise.all(relSqlFiles.map(read));
  if (contents.some((c) => c.includes(BREAKPOINT_MARKER))) return 'drizzle';
  if (relSqlFiles.some((f) => FLYWAY_VERSIONED.test(path.posix.basename(f)))) return 'flyway';
  if (contents.some((c) => DBMATE_UP.test(c))) return 'dbmate';
  return 'plain';
}

async function orderFiles(
  layout: MigrationsLayout,
  root: string,
  relSqlFiles: string[],
  read: (rel: string) => Promise<string>,
  events: AnalysisEvent[],
): Promise<string[]> {
  switch (layout) {
    case 'prisma':
      return relSqlFiles.filter((f) => /^[^/]+\/migration\.sql$/.test(f));
    case 'drizzle':
      return (await drizzleJournalOrder(root, relSqlFiles, events)) ?? relSqlFiles.filter((f) => !f.includes('/'));
    case 'flyway':
      return flywayOrder(relSqlFiles);
    case 'dbmate': {
      const texts = await Promise.all(relSqlFiles.map(read));
      return relSqlFiles.filter((_, i) => DBMATE_UP.test(texts[i] ?? ''));
    }
    case 'plain':
      return plainOrder(relSqlFiles);
    default:
      // Script layouts never reach here: readMigrations hands them to readScriptMigrations.
      return [];
  }
}

/**
 * A script set is applied only when every schema change in it was read as SQL; otherwise the
 * schema would silently lack what the builder calls create (policy: js-migrations/index.ts).
 */
/**
 * Script migrations that only running them can apply. The loader catches it to run the tool's
 * own command when the user allowed running project code (--run-migrations).
 */
export class ScriptsNeedRunningError extends SchemaSourceError {
  constructor(
    message: string,
    details: ConstructorParameters<typeof SchemaSourceError>[1],
    readonly tool: ScriptMigrationSet['tool'],
    /** Every migration script, absolute: what a run's cache key hashes. */
    readonly scripts: string[],
  ) {
    super(message, details);
  }
}

function fromScripts(dir: string, scripts: ScriptMigrationSet, sqlFiles: string[], migrateCommand: string): MigrationSet {
  const [first] = scripts.needsRunning;
  if (first !== undefined) {
    const count = new Set(scripts.needsRunning.map((n) => n.file)).size;
    const where = `${path.relative(process.cwd(), first.file) || first.file}:${first.line}`;
    throw new ScriptsNeedRunningError(
      `${count} of ${scripts.files.length} ${scripts.tool} ${nounFor(scripts.files.length, 'migration')} in ${dir} change the schema through code dead-schema does not run (first: ${where}, ${first.reason})`,
      {
        path: first.file,
        reason: first.reason,
        hint: `let dead-schema run the project's ${scripts.tool} migrations against an embedded database with --run-migrations (or --migrate-command "${migrateCommand}"), or audit a database they were applied to with --db`,
      },
      scripts.tool,
      scripts.allFiles,
    );
  }
  return { layout: scripts.tool, files: scripts.files, allSqlFiles: [...scripts.allFiles, ...sqlFiles], events: scripts.events };
}

/** Drizzle applies exactly the journal's entries, in `idx` order; other files are leftovers. */
async function drizzleJournalOrder(root: string, relSqlFiles: string[], events: AnalysisEvent[]): Promise<string[] | undefined> {
  let journal: unknown;
  try {
    journal = JSON.parse(await readFile(path.join(root, 'meta', '_journal.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const entries = (journal as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) return undefined;
  const available = new Set(relSqlFiles);
  const listed = entries
    .filter((e): e is { idx?: number; tag: string } => typeof (e as { tag?: unknown }).tag === 'string')
    .sort((a, b) => (a.idx ?? 0) - (b.idx ?? 0))
    .map((e) => `${e.tag}.sql`);
  // drizzle-kit would fail on such an entry; applying the rest is still the closest schema.
  for (const missing of listed.filter((f) => !available.has(f))) {
    events.push({
      kind: 'migration-missing',
      file: path.join(root, 'meta', '_journal.json'),
      message: `the journal lists ${missing}, which is not in the folder; the schema is built without it`,
    });
  }
  return listed.filter((f) => available.has(f));
}

/** Versioned files by numeric version (`V1_1__` = 1.1), then repeatable ones by name; undo (`U`) files never run forward. */
function flywayOrder(relSqlFiles: string[]): string[] {
  const versioned: { file: string; version: number[] }[] = [];
  const repeatable: string[] = [];
  for (const file of relSqlFiles) {
    const base = path.posix.basename(file);
    const match = FLYWAY_VERSIONED.exec(base);
    if (match?.[1] !== undefined) versioned.push({ file, version: match[1].split(/[._]/).map(Number) });
    else if (FLYWAY_REPEATABLE.test(base)) repeatable.push(file);
  }
  versioned.sort((a, b) => compareVersions(a.version, b.version) || naturalCompare(a.file, b.file));
  repeatable.sort((a, b) => naturalCompare(path.posix.basename(a), path.posix.basename(b)));
  return [...versioned.map((v) => v.file), ...repeatable];
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * Top-level `.sql` files plus `<dir>/up.sql` (diesel, golang-migrate folders). `.down.sql`
 * and `down.sql` undo a migration and are never applied.
 */
function plainOrder(relSqlFiles: string[]): string[] {
  return relSqlFiles.filter((f) => {
    const base = path.posix.basename(f).toLowerCase();
    if (base.endsWith('.down.sql') || base === 'down.sql') return false;
    const depth = f.split('/').length;
    return depth === 1 || (depth === 2 && base === 'up.sql');
  });
}

/** Keeps only the text between `-- migrate:up` and `-- migrate:down`, blanking the rest so line numbers hold. */
export function dbmateUpSection(content: string): string {
  const lines = content.split('\n');
  let inUp = false;
  return lines
    .map((line) => {
      if (DBMATE_UP.test(line)) {
        inUp = true;
        return '';
      }
      if (DBMATE_DOWN.test(line)) inUp = false;
      return inUp ? line : '';
    })
    .join('\n');
}

/** Orders `2_x` before `10_x`: digit runs compare as numbers, everything else by code point. */
export function naturalCompare(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    const isNum = /^\d/.test(x) && /^\d/.test(y);
    if (isNum) {
      const diff = BigInt(x) - BigInt(y);
      if (diff !== 0n) return diff < 0n ? -1 : 1;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, prefix), { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) out.push(...(await listFiles(root, rel)));
    } else if (entry.isFile()) {
      out.push(rel);
    }
  }
  return out;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : messageOf(error);
}
