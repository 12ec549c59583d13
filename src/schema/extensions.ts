import type { Extension } from '@electric-sql/pglite';
import type { SqlStatement } from './split.js';

export interface ExtensionRequest {
  /** Extension name as Postgres knows it (`uuid-ossp`). */
  name: string;
  /** Absolute path and line of the first statement asking for it. */
  file: string;
  line: number;
}

export interface ResolvedExtensions {
  /** Map to pass to `PGlite.create({ extensions })`. */
  extensions: Record<string, Extension>;
  loaded: string[];
  unavailable: string[];
}

const NAME = String.raw`("(?:[^"]|"")+"|[A-Za-z_][\w$-]*)`;
const TOP_LEVEL = new RegExp(String.raw`^create\s+extension\s+(?:if\s+not\s+exists\s+)?${NAME}`, 'i');
const ANYWHERE = new RegExp(String.raw`\bcreate\s+extension\s+(?:if\s+not\s+exists\s+)?${NAME}`, 'gi');

/** Compiled into PGlite itself: nothing to load. */
const BUILT_IN = new Set(['plpgsql']);
/** `CREATE EXTENSION x CASCADE` pulls these in, so their bundles must be present too. */
const REQUIRES: Record<string, string[]> = { earthdistance: ['cube'] };

/** The extension a top-level `CREATE EXTENSION` statement creates, or undefined for any other statement. */
export function createdExtension(sql: string): string | undefined {
  const match = TOP_LEVEL.exec(sql);
  return match?.[1] === undefined ? undefined : unquote(match[1]);
}

/**
 * Every extension the statements ask for, including `CREATE EXTENSION` inside DO blocks and
 * EXECUTE strings, so the database can boot with them before anything runs.
 */
export function findExtensionRequests(files: { file: string; statements: SqlStatement[]; content?: string }[]): ExtensionRequest[] {
  const seen = new Map<string, ExtensionRequest>();
  for (const unit of files) {
    // A file that never says "extension" requests none: no need to split it (lazily, see
    // migrations.ts) on a run whose schema comes from the cache.
    if (unit.content !== undefined && !/extension/i.test(unit.content)) continue;
    const { file, statements } = unit;
    for (const statement of statements) {
      const text = statement.sql.replace(/--[^\n]*/g, '');
      for (const match of text.matchAll(ANYWHERE)) {
        if (match[1] === undefined) continue;
        const name = unquote(match[1]);
        if (!seen.has(name)) seen.set(name, { name, file, line: statement.line });
      }
    }
  }
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Loads the PGlite build of each requested extension. Ones PGlite does not ship (postgis,
 * pg_cron, timescaledb...) come back as unavailable instead of failing the boot.
 */
export async function resolveExtensions(names: string[]): Promise<ResolvedExtensions> {
  const wanted = new Set<string>();
  for (const name of names) {
    wanted.add(name);
    for (const dependency of REQUIRES[name] ?? []) wanted.add(dependency);
  }
  const extensions: Record<string, Extension> = {};
  const loaded: string[] = [];
  const unavailable: string[] = [];
  for (const name of [...wanted].sort()) {
    if (BUILT_IN.has(name)) continue;
    const extension = await importExtension(name);
    if (extension === undefined) {
      unavailable.push(name);
    } else {
      extensions[moduleName(name)] = extension;
      loaded.push(name);
    }
  }
  return { extensions, loaded, unavailable };
}

async function importExtension(name: string): Promise<Extension | undefined> {
  if (name === 'vector') {
    const mod = await import('@electric-sql/pglite-pgvector');
    return mod.vector;
  }
  const module = moduleName(name);
  // The name comes from user SQL and ends up in a module specifier.
  if (!/^[a-z0-9_]+$/.test(module)) return undefined;
  try {
    const mod = (await import(`@electric-sql/pglite/contrib/${module}`)) as Record<string, unknown>;
    const extension = mod[module];
    return isExtension(extension) ? extension : undefined;
  } catch {
    return undefined;
  }
}

function isExtension(value: unknown): value is Extension {
  return typeof value === 'object' && value !== null && typeof (value as { setup?: unknown }).setup === 'function';
}

function moduleName(name: string): string {
  return name.replace(/-/g, '_');
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase();
}
