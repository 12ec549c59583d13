import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SchemaSourceError } from '../../errors.js';
import { isHarmlessDumpError, isSkippedDumpStatement } from '../dump.js';
import { loadIntoPglite, type PgliteLoad, type RawSchema } from '../embedded.js';
import { loadSqlScanner, splitStatements } from '../split.js';
import { commandEnv } from './run-command.js';
import { spawnCommand } from './spawn.js';

/** A generated schema is read whole; anything this large is not a schema. */
const MAX_SQL_BYTES = 64 * 1024 * 1024;
const TAIL_LINES = 20;

/**
 * The SQL that creates a Prisma schema from nothing, from the project's own Prisma CLI
 * (`prisma migrate diff --from-empty --to-schema FILE --script`). No database is involved:
 * the schema engine diffs two datamodels. Prisma 7 renamed `--to-schema-datamodel` (5, 6) to
 * `--to-schema`, so the flag follows the installed version. Throws SchemaSourceError naming
 * the install command when the CLI is missing.
 */
export async function prismaSchemaSql(schemaFile: string, projectDir: string, timeoutMs: number): Promise<string> {
  const file = path.resolve(projectDir, schemaFile);
  const bin = findBin(projectDir, 'prisma');
  const flag = prismaMajor(bin) >= 7 ? '--to-schema' : '--to-schema-datamodel';
  const args = ['migrate', 'diff', '--from-empty', flag, file, '--script'];
  if (bin === undefined) {
    throw new SchemaSourceError(`cannot turn ${shown(file)} into SQL: the Prisma CLI is not installed (no node_modules/.bin/prisma in ${shown(projectDir)} or above)`, {
      hint: `install it with \`npm i -D prisma\`; dead-schema then runs \`prisma ${args.join(' ')}\``,
    });
  }
  const sql = await generate(bin, args, projectDir, timeoutMs, 'prisma migrate diff');
  // Prisma 6 announces where it found .env files on stdout, before the script.
  return sql.replace(/^(?:(?:Environment variables loaded from|Prisma schema loaded from|Loaded Prisma config from)[^\n]*\n)+/, '');
}

/**
 * The SQL that creates a Drizzle schema from nothing (`drizzle-kit export`). `source` is a
 * drizzle config file (`drizzle.config.ts`) or a schema file or folder, which is then read as
 * PostgreSQL. drizzle-kit imports the schema modules, so this runs project code.
 */
export async function drizzleExportSql(source: string, projectDir: string, timeoutMs: number): Promise<string> {
  const file = path.resolve(projectDir, source);
  const isConfig = /^drizzle\.config\.[cm]?[jt]s$|^drizzle\.config\.json$/.test(path.basename(file));
  const args = ['export', '--sql', ...(isConfig ? ['--config', file] : ['--dialect', 'postgresql', '--schema', file])];
  const bin = findBin(projectDir, 'drizzle-kit');
  if (bin === undefined) {
    throw new SchemaSourceError(`cannot turn ${shown(file)} into SQL: drizzle-kit is not installed (no node_modules/.bin/drizzle-kit in ${shown(projectDir)} or above)`, {
      hint: `install it with \`npm i -D drizzle-kit\`; dead-schema then runs \`drizzle-kit ${args.join(' ')}\``,
    });
  }
  return generate(bin, args, projectDir, timeoutMs, 'drizzle-kit export');
}

async function generate(bin: string, args: string[], projectDir: string, timeoutMs: number, what: string): Promise<string> {
  // Nothing here needs a server; whatever the tool's config reads is pointed at a closed port, never a real database.
  const env = commandEnv(process.env, 1);
  const result = await spawnCommand({ file: bin, args }, { cwd: projectDir, env, timeoutMs, maxOutputBytes: MAX_SQL_BYTES });
  const tail = result.stderr.lastLines(TAIL_LINES);
  const reason = tail.length > 0 ? `its last output:\n${tail.join('\n')}` : 'it printed nothing';
  if (result.timedOut) throw new SchemaSourceError(`${what} took over ${timeoutMs / 1000} s and was stopped`, { reason });
  if (result.exitCode !== 0) {
    throw new SchemaSourceError(`${what} failed with exit code ${result.exitCode ?? result.signal ?? 'unknown'}`, {
      reason,
      hint: `run it yourself to see the whole output: ${path.relative(projectDir, bin)} ${args.join(' ')}`,
    });
  }
  if (result.stdout.dropped > 0) throw new SchemaSourceError(`${what} printed more than ${MAX_SQL_BYTES / 1024 / 1024} MB of SQL; save it to a file and pass it with --schema`);
  return result.stdout.text();
}

/** The project's own install of a CLI: the nearest node_modules/.bin up from the project, as npm run would find it. */
function findBin(projectDir: string, name: string): string | undefined {
  const names = process.platform === 'win32' ? [`${name}.cmd`, name] : [name];
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    for (const candidate of names) {
      const file = path.join(dir, 'node_modules', '.bin', candidate);
      if (existsSync(file)) return file;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The major version of the Prisma package next to its bin: 0 when unreadable (the older flag), 7 when not installed (what `npm i` gets). */
function prismaMajor(bin: string | undefined): number {
  if (bin === undefined) return 7;
  try {
    const pkg = JSON.parse(readFileSync(path.join(path.dirname(bin), '..', 'prisma', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? Number.parseInt(pkg.version, 10) || 0 : 0;
  } catch {
    return 0;
  }
}

function shown(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

export type GeneratedLoad = Pick<PgliteLoad, 'cacheDir' | 'onProgress' | 'limits'>;

/**
 * Generated SQL applied like a schema file: its statements are attributed to the file it was
 * generated from (`schema.prisma`), which is also what the cache is keyed on besides the SQL.
 */
export async function loadGeneratedSql(sql: string, generatedFrom: string, load: GeneratedLoad): Promise<RawSchema> {
  const file = path.resolve(generatedFrom);
  await loadSqlScanner();
  return loadIntoPglite({
    root: path.dirname(file),
    source: { kind: 'schema-file', location: shown(file) },
    units: [{ file, statements: splitStatements(sql) }],
    keyFiles: [{ relativePath: `${path.basename(file)}.sql`, content: sql }],
    migrationFiles: [file],
    ...load,
    apply: { eventKind: 'schema-statement-failed', skip: isSkippedDumpStatement, isHarmless: isHarmlessDumpError },
  });
}
