import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** What a folder that may hold migrations actually holds. */
export interface FolderContents {
  /** Migration SQL: top-level `.sql` files, `<name>/migration.sql` (Prisma), `<name>/up.sql` (diesel, golang-migrate). */
  sqlFiles: number;
  /** Per-migration subfolders (`<timestamp>_name/migration.sql`): Prisma's shape. */
  prismaShaped: boolean;
  /** drizzle-kit's `meta/_journal.json`. */
  hasJournal: boolean;
  /** Subfolders holding `.sql` files of their own (`migrations/tenant/*.sql`): each can be a source. */
  sqlSubfolders: { dir: string; sqlFiles: number }[];
  /** Top-level `.ts`/`.js` files shaped like a migration (an `up` export or a TypeORM class). */
  scriptFiles: number;
}

const SCRIPT = /\.(?:[cm]?[jt]s)$/;
const NOT_A_MIGRATION = /\.(?:d|test|spec)\.[cm]?[jt]s$/;
/**
 * An `up` step as the migration tools write it: `export async function up(`, `async function
 * up(knex)` exported later, `exports.up =`, `const up = async`, `up: async (`, `async up(queryRunner`
 * (TypeORM), `implements MigrationInterface`.
 */
const UP_SHAPE = /\b(?:async\s+)?function\s+up\s*\(|\bexports\.up\s*=|\b(?:const|let)\s+up\s*=|\bup\s*:\s*(?:async\b|function\b|\()|\basync\s+up\s*\(|\bimplements\s+MigrationInterface\b|\bextends\s+Migration\b/;
/** Enough to tell a migrations folder from a folder of migration helpers. */
const SCRIPTS_SAMPLED = 3;

export async function folderContents(dir: string): Promise<FolderContents> {
  const contents: FolderContents = { sqlFiles: 0, prismaShaped: false, hasJournal: false, sqlSubfolders: [], scriptFiles: 0 };
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const scripts: string[] = [];
  for (const entry of entries) {
    if (entry.isFile()) {
      if (entry.name.endsWith('.sql')) contents.sqlFiles++;
      else if (SCRIPT.test(entry.name) && !NOT_A_MIGRATION.test(entry.name)) scripts.push(entry.name);
      continue;
    }
    if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const inner = await readdir(path.join(dir, entry.name)).catch(() => [] as string[]);
    if (entry.name === 'meta' && inner.includes('_journal.json')) contents.hasJournal = true;
    if (inner.includes('migration.sql')) {
      contents.sqlFiles++;
      contents.prismaShaped = true;
    } else if (inner.includes('up.sql')) {
      contents.sqlFiles++;
    } else {
      const sqlFiles = inner.filter((name) => name.endsWith('.sql')).length;
      if (sqlFiles > 0) contents.sqlSubfolders.push({ dir: path.join(dir, entry.name), sqlFiles });
    }
  }
  scripts.sort();
  const sampled = await Promise.all(scripts.slice(0, SCRIPTS_SAMPLED).map((name) => readFile(path.join(dir, name), 'utf8').catch(() => '')));
  // Helpers beside real migrations (an index.ts, a utils.ts) do not make the folder a helpers folder.
  if (sampled.some((text) => UP_SHAPE.test(text))) {
    const all = await Promise.all(scripts.map((name) => readFile(path.join(dir, name), 'utf8').catch(() => '')));
    contents.scriptFiles = all.filter((text) => UP_SHAPE.test(text)).length;
  }
  contents.sqlSubfolders.sort((a, b) => b.sqlFiles - a.sqlFiles || (a.dir < b.dir ? -1 : 1));
  return contents;
}
