import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UsageError, messageOf } from '../errors.js';
import { CONFIDENCE_RANK, type Confidence } from '../match/types.js';
import { loadReporter } from '../report/index.js';
import { audit, type AuditOptions } from '../run.js';
import type { MigrationsLayout } from '../catalog.js';

const HELP = `dead-schema: find the dead parts of a PostgreSQL schema in a TypeScript/JavaScript codebase

Usage: dead-schema audit [root] [options]

Schema source (one of; DATABASE_URL is used when none is given):
  --migrations DIR          apply migrations in an embedded Postgres (PGlite)
  --migrations-layout L     dbmate | flyway | prisma | drizzle | plain (default: detected)
  --schema FILE             a pg_dump --schema-only file
  --db URL                  a live database (read-only session)
  --schemas a,b             schemas to audit (default: all non-system)
  --no-cache                do not reuse or write the migrated-schema cache

Output:
  --format NAME             table (default) | json | path to a reporter module
  --all                     include alive objects
  --min-confidence LEVEL    low (default) | medium | high
  --fail-on LEVEL           exit 1 when a finding at or above LEVEL exists (default: never)
  --include GLOB            files to scan (repeatable)
  --exclude GLOB            files to skip (repeatable)
  --quiet                   no progress on stderr
  --debug                   show stack traces
  -h, --help                this help
  -v, --version             the version

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 error.`;

const LEVELS = ['low', 'medium', 'high'] as const;
const LAYOUTS = ['dbmate', 'flyway', 'prisma', 'drizzle', 'plain'] as const;

function level(name: string, value: string | undefined): Confidence | undefined {
  if (value === undefined) return undefined;
  if (!(LEVELS as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${LEVELS.join(', ')}, got "${value}"`);
  return value as Confidence;
}

/** Where the CLI writes; tests pass their own. `write` resolves once the text is handed on. */
export interface CliIo {
  stdout(text: string): Promise<void>;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  stderrIsTTY: boolean;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        migrations: { type: 'string' },
        'migrations-layout': { type: 'string' },
        schema: { type: 'string' },
        db: { type: 'string' },
        schemas: { type: 'string' },
        'no-cache': { type: 'boolean' },
        format: { type: 'string', default: 'table' },
        all: { type: 'boolean' },
        'min-confidence': { type: 'string' },
        'fail-on': { type: 'string' },
        include: { type: 'string', multiple: true },
        exclude: { type: 'string', multiple: true },
        quiet: { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError(messageOf(error).split('\n')[0] ?? 'bad arguments', { hint: 'run dead-schema --help' });
  }
  const { values, positionals } = parsed;
  if (values.help) {
    await io.stdout(`${HELP}\n`);
    return 0;
  }
  if (values.version) {
    await io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  const [command = 'audit', root = '.', ...extra] = positionals;
  if (command !== 'audit') throw new UsageError(`unknown command "${command}"`, { hint: 'run dead-schema --help' });
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`, { hint: 'give one root directory' });
  const layout = values['migrations-layout'];
  if (layout !== undefined && !(LAYOUTS as readonly string[]).includes(layout)) {
    throw new UsageError(`--migrations-layout must be one of ${LAYOUTS.join(', ')}, got "${layout}"`);
  }
  const reporter = await loadReporter(values.format ?? 'table');
  const minConfidence = level('min-confidence', values['min-confidence']);
  const failOn = level('fail-on', values['fail-on']);
  const databaseUrl =
    values.db ?? (values.migrations === undefined && values.schema === undefined ? io.env.DATABASE_URL : undefined);
  const showProgress = !values.quiet && io.stderrIsTTY && !io.env.CI;
  const progress = (step: string, done: number, total: number): void => io.stderr(`\r\x1b[K${step} ${done}/${total}`);
  const options: AuditOptions = {
    root,
    ...(values.migrations !== undefined ? { migrations: values.migrations } : {}),
    ...(layout !== undefined ? { layout: layout as MigrationsLayout } : {}),
    ...(values.schema !== undefined ? { schemaFile: values.schema } : {}),
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    ...(values.schemas !== undefined ? { schemas: values.schemas.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
    ...(values['no-cache'] ? { cacheDir: false as const } : {}),
    ...(values.include ? { include: values.include } : {}),
    ...(values.exclude ? { exclude: values.exclude } : {}),
    ...(values.all ? { all: true } : {}),
    ...(minConfidence ? { minConfidence } : {}),
    ...(showProgress ? { onProgress: progress } : {}),
  };
  const report = await audit(options);
  if (showProgress) io.stderr('\r\x1b[K');
  await io.stdout(reporter(report));
  if (failOn === undefined) return 0;
  return report.findings.some(
    (f) => f.verdict !== 'alive' && f.confidence !== null && CONFIDENCE_RANK[f.confidence] >= CONFIDENCE_RANK[failOn],
  )
    ? 1
    : 0;
}

/** The version in this package's own package.json (dist/src/cli or src/cli sit at different depths). */
function packageVersion(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'dead-schema' && pkg.version !== undefined) return pkg.version;
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
