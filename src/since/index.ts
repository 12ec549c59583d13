import { createHash } from 'node:crypto';
import type { Catalog, MigrationsLayout } from '../catalog.js';
import { DefinitionIndex } from '../schema/defined-at.js';
import { isScriptMigrationTool, scriptStatements } from '../schema/js-migrations/index.js';
import { dbmateUpSection, readMigrations } from '../schema/migrations.js';
import { splitStatements, type SqlStatement } from '../schema/split.js';
import { listTree, locateInRepo, readBlob, resolveCommit, type GitLocation, type TreeEntry } from './git.js';

export interface SinceMigration {
  /** Absolute path in the working tree. */
  file: string;
  /** Path relative to the migrations directory. */
  relativePath: string;
  status: 'added' | 'changed';
  /** The statements the ref does not have: all of an added file, the new or edited ones of a changed file. */
  statements: SqlStatement[];
}

export interface SinceScope {
  ref: string;
  commit: string;
  /** Applied migrations added or changed since the ref, in apply order. */
  migrations: SinceMigration[];
  /**
   * Ids of the objects those statements create, add, extend or rename to (tables with their
   * columns, added columns, views, functions, triggers, types, sequences). Needs the catalog
   * because an unqualified name lands in a schema only once the migrations have run.
   */
  objectIds(catalog: Catalog): Set<string>;
}

/**
 * Compares the migrations directory at `ref` with the working tree. Only paths and blobs of
 * that one commit are read, so a shallow clone that fetched the ref is enough.
 */
export async function migrationsSince(ref: string, migrationsDir: string, layout?: MigrationsLayout): Promise<SinceScope> {
  // Read the working tree first: a missing or empty folder gets the migrations loader's own error.
  const current = await readMigrations(migrationsDir, layout);
  const location = await locateInRepo(migrationsDir);
  const commit = await resolveCommit(location.toplevel, ref);
  const before = await listTree(location, commit);

  const migrations: SinceMigration[] = [];
  for (const file of current.files) {
    const old = before.get(file.relativePath);
    if (old === undefined) {
      migrations.push({ file: file.file, relativePath: file.relativePath, status: 'added', statements: file.statements });
      continue;
    }
    if (sameBlob(old, file.content)) continue;
    const fresh = await newStatements(location, old, file.statements, current.layout);
    if (fresh.length > 0) migrations.push({ file: file.file, relativePath: file.relativePath, status: 'changed', statements: fresh });
  }

  return {
    ref,
    commit,
    migrations,
    objectIds(catalog) {
      const index = new DefinitionIndex();
      for (const migration of migrations) index.addFile(migration.file, migration.statements);
      return new Set(Object.keys(index.resolve(catalog)));
    },
  };
}

/** Git's object id of the text, so unchanged files cost no git call; sha256 repositories have 64-hex ids. */
function sameBlob(entry: TreeEntry, content: string): boolean {
  const bytes = Buffer.from(content, 'utf8');
  const hash = createHash(entry.blob.length === 64 ? 'sha256' : 'sha1');
  hash.update(`blob ${bytes.length}\0`);
  hash.update(bytes);
  return hash.digest('hex') === entry.blob;
}

/**
 * Statements of an edited migration that its version at the ref lacks. Comparing whitespace-
 * normalised text keeps a checkout with CRLF line endings (core.autocrlf) from looking changed.
 */
async function newStatements(
  location: GitLocation,
  old: TreeEntry,
  statements: SqlStatement[],
  layout: MigrationsLayout,
): Promise<SqlStatement[]> {
  const text = await readBlob(location, old.blob);
  const applied = layout === 'dbmate' ? dbmateUpSection(text) : text;
  const before = isScriptMigrationTool(layout)
    ? scriptStatements(old.path, text, layout)
    : splitStatements(applied, { breakpoints: layout === 'drizzle' });
  const known = new Set(before.map((s) => normalize(s.sql)));
  return statements.filter((s) => !known.has(normalize(s.sql)));
}

function normalize(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}
