import { readFile } from 'node:fs/promises';
import path from 'node:path';

/*
 * What the project's own tool configs say about where migrations live. Read as text with
 * regular expressions, never imported: importing a drizzle.config.ts or a knexfile runs project
 * code, which discovery must not do. A value that is not a plain string literal (a computed
 * path, an env lookup) is not guessed at: the folder conventions still find the usual places.
 */

/** `out: './drizzle'` in a drizzle.config.*; drizzle-kit's default is `./drizzle`. */
export async function drizzleOut(configFile: string): Promise<{ dir: string; literal: boolean; postgres: boolean }> {
  const text = await readFile(configFile, 'utf8').catch(() => '');
  // `dialect: 'sqlite'` (or the older `driver: 'mysql2'`) is another database's schema.
  const postgres = !/\b(?:dialect|driver)['"]?\s*:\s*['"`](?:sqlite|mysql|mysql2|turso|singlestore|libsql|better-sqlite|d1-http|expo|durable-sqlite)/.test(text);
  const literal = /\bout\s*:\s*(['"`])([^'"`$]+)\1/.exec(text)?.[2] ?? /"out"\s*:\s*"([^"]+)"/.exec(text)?.[1];
  return { dir: path.resolve(path.dirname(configFile), literal ?? './drizzle'), literal: literal !== undefined, postgres };
}

/** `migrations: { directory: './db/migrations' }` in a knexfile; knex's default is `./migrations`. */
export async function knexMigrationsDirs(knexfile: string): Promise<string[]> {
  const text = await readFile(knexfile, 'utf8').catch(() => '');
  const dirs = new Set<string>();
  for (const match of text.matchAll(/\bdirectory\s*:\s*(['"`])([^'"`$]+)\1/g)) {
    if (match[2] !== undefined) dirs.add(path.resolve(path.dirname(knexfile), match[2]));
  }
  if (dirs.size === 0) dirs.add(path.resolve(path.dirname(knexfile), 'migrations'));
  return [...dirs];
}

/** `'migrations-path': path.resolve('db', 'migrations')` or a plain string in a .sequelizerc. */
export async function sequelizeMigrationsDir(rcFile: string): Promise<string | undefined> {
  const text = await readFile(rcFile, 'utf8').catch(() => '');
  const match = /['"]migrations-path['"]\s*:\s*(?:path\.(?:resolve|join)\(\s*((?:['"][^'"]+['"]\s*,?\s*)+)\)|(['"])([^'"]+)\2)/.exec(text);
  if (match === null) return undefined;
  const parts = match[1] !== undefined ? [...match[1].matchAll(/['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '') : [match[3] ?? ''];
  return path.resolve(path.dirname(rcFile), ...parts.filter((p) => p !== '__dirname'));
}

export interface PackageHints {
  /** `"prisma": { "schema": "db/schema.prisma" }`. */
  prismaSchema?: string;
  /** Folders named by `--migrations-dir X` / `-m X` in a script (node-pg-migrate, db-migrate). */
  scriptDirs: { dir: string; script: string }[];
  /** Every dependency name, to tell which migration tool the project uses. */
  dependencies: Set<string>;
}

export async function packageHints(packageFile: string): Promise<PackageHints> {
  const hints: PackageHints = { scriptDirs: [], dependencies: new Set() };
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(await readFile(packageFile, 'utf8')) as Record<string, unknown>;
  } catch {
    return hints;
  }
  if (pkg === null || typeof pkg !== 'object') return hints;
  const dir = path.dirname(packageFile);
  const prisma = pkg.prisma as { schema?: unknown } | undefined;
  if (typeof prisma?.schema === 'string') hints.prismaSchema = path.resolve(dir, prisma.schema);
  for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const deps = pkg[key];
    if (deps !== null && typeof deps === 'object') for (const name of Object.keys(deps)) hints.dependencies.add(name);
  }
  const scripts = pkg.scripts;
  if (scripts !== null && typeof scripts === 'object') {
    for (const [name, command] of Object.entries(scripts as Record<string, unknown>)) {
      if (typeof command !== 'string') continue;
      for (const match of command.matchAll(/(?:--migrations-dir|--migration-dir|(?:^|\s)-m)[=\s]+(['"]?)([^\s'"&;|]+)\1/g)) {
        if (match[2] !== undefined) hints.scriptDirs.push({ dir: path.resolve(dir, match[2]), script: name });
      }
    }
  }
  return hints;
}
