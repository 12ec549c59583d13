import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import { UsageError, messageOf } from '../errors.js';
import { formatSarifFailure } from '../report/sarif.js';
import { toolInfo } from '../report/tool.js';
import { closest } from '../text/closest.js';
import { commands } from './commands/index.js';
import type { CliIo, CliValues, Command } from './context.js';

export type { CliIo } from './context.js';

const HELP = (usages: string[]): string => `dead-schema: find the dead parts of a PostgreSQL schema in a TypeScript/JavaScript codebase

Usage: dead-schema <command> [options]

Commands:
${usages.map((usage) => `  ${usage}`).join('\n')}

Schema source (one of; flags win, then the config file, then what the repository holds
(README "Finding the schema"), then DATABASE_URL or PGHOST/PGDATABASE):
  --migrations DIR          apply migrations in an embedded Postgres (PGlite); SQL, or TS/JS
                            migrations read statically (TypeORM, Kysely, knex, Sequelize...)
  --migrations-layout L     dbmate | flyway | prisma | drizzle | plain | typeorm | kysely | knex |
                            sequelize | node-pg-migrate | mikro-orm | db-migrate (default: detected)
  --run-migrations          allow running project tooling to build the schema: the migration tool
                            for TS/JS migrations, Prisma's CLI for a bare schema.prisma
  --migrate-command CMD     run CMD (e.g. "npx knex migrate:latest") against an embedded database
                            (DATABASE_URL/PG* point at it); runs project code
  --schema FILE             a pg_dump --schema-only file
  --db URL                  a live database (read-only session)
  --connect-timeout SEC     give up connecting to --db after SEC seconds, all hosts together (default 10)
  --allow-cleartext-password  send the password when the server asks for it in clear text (refused by default)
  --schemas a,b             schemas to audit (default: all non-system)
  --no-cache                do not reuse or write the cache (migrated schema and per-file scan results)
  --cache-location DIR      where the cache lives (default: <root>/node_modules/.cache/dead-schema when
                            that node_modules exists, else the OS cache folder)
  --statement-timeout S     stop and skip a migration statement after S seconds (default 15)
  --migrations-timeout S    stop the run (exit 2) when applying migrations takes over S seconds (default 600)
  --config FILE             the config file (default: dead-schema.config.{json,ts,mjs} or package.json
                            "dead-schema" in the code root, else its parents up to the repository top)
  --root DIR                the code root (the same as the root argument of audit, baseline, init)

Output:
  --format NAME             table (default) | json | sarif | markdown | github | path to a reporter module
  --output-file [FMT=]FILE  also write the report in FMT to FILE (repeatable; FMT from the extension
                            when omitted: .sarif, .json, .md), e.g. --output-file report.sarif
  --all                     include alive objects
  --min-confidence LEVEL    low (default) | medium | high
  --fail-on LEVEL           exit 1 when a finding at or above LEVEL exists (default: never)
  --since REF               only objects that migrations added or changed since the git REF define
                            (CI: --since origin/main --fail-on medium; needs --migrations)
  --include GLOB            files to scan (repeatable)
  --exclude GLOB            files to skip (repeatable)
  --shared-with DIR         another repository that uses the same database: its code is scanned too (repeatable)
  --allow-no-code           audit even when no source file is found (every finding low confidence)
  --performance             after the run, print each stage's time, cache use and peak memory to stderr
  --quiet                   no progress line (shown only when stderr is a terminal and CI is unset)
  --debug                   show stack traces
  -h, --help                this help
  -v, --version             the version

Exit codes: 0 clean, 1 findings at or above --fail-on (check-drops: a dropped object is alive), 2 error.`;

/** Flags of every command: parseArgs rejects unknown ones, each command ignores the rest. */
const OPTIONS = {
  migrations: { type: 'string' },
  'migrations-layout': { type: 'string' },
  'run-migrations': { type: 'boolean' },
  'migrate-command': { type: 'string' },
  schema: { type: 'string' },
  db: { type: 'string' },
  'connect-timeout': { type: 'string' },
  'allow-cleartext-password': { type: 'boolean' },
  schemas: { type: 'string' },
  'no-cache': { type: 'boolean' },
  'cache-location': { type: 'string' },
  'statement-timeout': { type: 'string' },
  'migrations-timeout': { type: 'string' },
  config: { type: 'string' },
  root: { type: 'string' },
  format: { type: 'string' },
  all: { type: 'boolean' },
  'min-confidence': { type: 'string' },
  'fail-on': { type: 'string' },
  since: { type: 'string' },
  baseline: { type: 'string' },
  'no-baseline': { type: 'boolean' },
  'output-file': { type: 'string', multiple: true },
  include: { type: 'string', multiple: true },
  'shared-with': { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  'allow-no-code': { type: 'boolean' },
  performance: { type: 'boolean' },
  quiet: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** parseArgs' complaint as one line; an unknown flag gets the flag it most likely meant. */
function argumentError(message: string): UsageError {
  const unknown = /^Unknown option '(-{1,2})([^']+)'/.exec(message);
  if (unknown !== null) {
    const near = closest(unknown[2]!, Object.keys(OPTIONS));
    return new UsageError(`unknown flag ${unknown[1]}${unknown[2]}`, { hint: near !== undefined ? `did you mean --${near}?` : 'run dead-schema --help' });
  }
  return new UsageError(message.split('\n')[0] ?? 'bad arguments', { hint: 'run dead-schema --help' });
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw argumentError(messageOf(error));
  }
  const values = parsed.values as CliValues;
  if (values.help === true) {
    const usages = await Promise.all(Object.values(commands).map(async (load) => (await load()).usage));
    await io.stdout(`${HELP(usages)}\n`);
    return 0;
  }
  if (values.version === true) {
    await io.stdout(`${toolInfo().version}\n`);
    return 0;
  }
  try {
    return await runCommand(parsed.positionals, values, io);
  } catch (error) {
    await writeSarifFailure(values, io, error);
    throw error;
  }
}

/**
 * Under `--format sarif` (or a .sarif `--output-file`) a run that fails still leaves a valid SARIF
 * log saying so, so an upload step with `if: always()` does not fail on an empty file. Best
 * effort: the error itself is what the caller reports.
 */
async function writeSarifFailure(values: CliValues, io: CliIo, error: unknown): Promise<void> {
  const outputs = Array.isArray(values['output-file']) ? values['output-file'] : [];
  const sarifFiles = outputs.filter((spec) => spec.startsWith('sarif=') || (!/^[a-z][a-z-]*=/.test(spec) && spec.toLowerCase().endsWith('.sarif')));
  if (values.format !== 'sarif' && sarifFiles.length === 0) return;
  const log = formatSarifFailure(messageOf(error));
  if (values.format === 'sarif') await io.stdout(log).catch(() => undefined);
  for (const spec of sarifFiles) {
    const file = path.resolve(io.cwd, spec.replace(/^sarif=/, ''));
    await mkdir(path.dirname(file), { recursive: true })
      .then(() => writeFile(file, log))
      .catch(() => undefined);
  }
}

async function runCommand(positionals: string[], values: CliValues, io: CliIo): Promise<number> {
  // `dead-schema ./repo` still means `dead-schema audit ./repo`.
  const [first, ...rest] = positionals;
  const named = first !== undefined && Object.hasOwn(commands, first);
  const commandName = named ? first : 'audit';
  const args = named ? rest : positionals;
  if (!named && first !== undefined && !looksLikePath(first, io.cwd)) {
    throw new UsageError(`unknown command "${first}"`, { hint: `commands: ${Object.keys(commands).join(', ')}` });
  }
  const command = await commands[commandName]!();
  const root = codeRoot(command, args, values, io.cwd);
  // The config belongs to the code audited: looked for from the code root up to the repository's top.
  const loaded = await loadConfig(root, typeof values.config === 'string' ? path.resolve(io.cwd, values.config) : undefined);
  if (loaded.file !== undefined && path.dirname(loaded.file) !== root && values.quiet !== true && typeof values.config !== 'string') {
    io.stderr(`dead-schema: using the config ${path.relative(io.cwd, loaded.file)} (from a parent of the audited root)\n`);
  }
  const commandArgs = command.rootArgument === true && args[0] !== undefined ? args.slice(1) : args;
  return command.run({ args: commandArgs, values, io, root, config: loaded.config, ...(loaded.file !== undefined ? { configFile: loaded.file } : {}) });
}

/** `--root DIR` and a command's root argument mean the same thing: the code to audit. */
function codeRoot(command: Command, args: string[], values: CliValues, cwd: string): string {
  const flag = typeof values.root === 'string' ? path.resolve(cwd, values.root) : undefined;
  const positional = command.rootArgument === true && args[0] !== undefined ? path.resolve(cwd, args[0]) : undefined;
  if (flag !== undefined && positional !== undefined && flag !== positional) {
    throw new UsageError(`two code roots: ${args[0]} and --root ${String(values.root)}`, { hint: 'give one of them' });
  }
  return positional ?? flag ?? cwd;
}

function looksLikePath(arg: string, cwd: string): boolean {
  return /[./\\]/.test(arg) || existsSync(path.resolve(cwd, arg));
}
