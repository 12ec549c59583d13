import type { ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

/** Every command's name, as commands/index.ts registers them (a test keeps the two equal). */
export const COMMAND_NAMES = ['audit', 'check-drops', 'baseline', 'explain', 'init'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** The commands that run an audit, and so read the schema-source, scan and cache flags. */
export const AUDITING: readonly CommandName[] = ['audit', 'check-drops', 'baseline', 'explain'];

export type FlagGroup = 'Schema source' | 'Code to scan' | 'Findings' | 'Output' | 'Cache' | 'General';

export interface Flag {
  name: string;
  short?: string;
  /**
   * The value's placeholder in help (`DIR`); a flag without one is a boolean to parseArgs, so
   * the help and the parser cannot disagree on whether it takes a value.
   */
  value?: string;
  /** Repeatable: parseArgs collects every occurrence. */
  multiple?: true;
  group: FlagGroup;
  help: string;
  /** What the flag means to one command where that is narrower than `help`. */
  helpFor?: Partial<Record<CommandName, string>>;
  /** The commands that read it; 'all' when main.ts or cli.ts reads it for every command. */
  commands: readonly CommandName[] | 'all';
  /** The only values a command takes, where it takes fewer than the flag does elsewhere. */
  valuesFor?: Partial<Record<CommandName, readonly string[]>>;
  /** Handled before any command runs: listed in the overview only. */
  overviewOnly?: true;
}

/** Said above the group in help. */
export const GROUP_NOTES: Partial<Record<FlagGroup, string>> = {
  'Schema source':
    'give one; a flag wins, then the config file, then what the repository holds (README "Finding the schema"), then DATABASE_URL or PGHOST/PGDATABASE',
};

/** Every flag of every command, in help order; parseArgs' options and all help text come from here. */
export const FLAGS: readonly Flag[] = [
  { name: 'migrations', value: 'DIR', group: 'Schema source', commands: AUDITING, help: 'apply migrations in an embedded Postgres (PGlite); SQL, or TS/JS migrations read statically (TypeORM, Kysely, knex, Sequelize...)' },
  { name: 'migrations-layout', value: 'NAME', group: 'Schema source', commands: AUDITING, help: 'dbmate | flyway | prisma | drizzle | plain | typeorm | kysely | knex | sequelize | node-pg-migrate | mikro-orm | db-migrate (default: detected)' },
  { name: 'run-migrations', group: 'Schema source', commands: AUDITING, help: "allow running project tooling to build the schema: the migration tool for TS/JS migrations, Prisma's CLI for a bare schema.prisma" },
  { name: 'migrate-command', value: 'CMD', group: 'Schema source', commands: AUDITING, help: 'run CMD (e.g. "npx knex migrate:latest") against an embedded database (DATABASE_URL/PG* point at it); runs project code' },
  { name: 'schema', value: 'FILE', group: 'Schema source', commands: AUDITING, help: 'a pg_dump --schema-only file' },
  { name: 'db', value: 'URL', group: 'Schema source', commands: AUDITING, help: 'a live database (read-only session)' },
  { name: 'connect-timeout', value: 'SEC', group: 'Schema source', commands: AUDITING, help: 'give up connecting to --db after SEC seconds, all hosts together (default 10)' },
  { name: 'allow-cleartext-password', group: 'Schema source', commands: AUDITING, help: 'send the password when the server asks for it in clear text (refused by default)' },
  { name: 'schemas', value: 'A,B', group: 'Schema source', commands: AUDITING, help: 'schemas to audit (default: all non-system)' },
  { name: 'statement-timeout', value: 'SEC', group: 'Schema source', commands: AUDITING, help: 'stop and skip a migration statement after SEC seconds (default 15)' },
  { name: 'migrations-timeout', value: 'SEC', group: 'Schema source', commands: AUDITING, help: 'stop the run (exit 2) when applying migrations takes over SEC seconds (default 600)' },

  { name: 'root', value: 'DIR', group: 'Code to scan', commands: 'all', help: 'the code root (default: the working directory); the same as the root argument of audit, baseline and init' },
  { name: 'include', value: 'GLOB', multiple: true, group: 'Code to scan', commands: AUDITING, help: 'files to scan, instead of the default globs (repeatable)' },
  { name: 'exclude', value: 'GLOB', multiple: true, group: 'Code to scan', commands: AUDITING, help: 'files to skip, besides the built-in exclusions (repeatable)' },
  { name: 'shared-with', value: 'DIR', multiple: true, group: 'Code to scan', commands: AUDITING, help: 'another repository that uses the same database: its code is scanned too (repeatable)' },
  { name: 'allow-no-code', group: 'Code to scan', commands: AUDITING, help: 'audit even when no source file is found (every finding low confidence)' },

  { name: 'all', group: 'Findings', commands: ['audit'], help: 'include alive objects' },
  { name: 'min-confidence', value: 'LEVEL', group: 'Findings', commands: ['audit'], help: 'low (default) | medium | high: leave out findings below LEVEL' },
  { name: 'fail-on', value: 'LEVEL', group: 'Findings', commands: ['audit'], help: 'low | medium | high: exit 1 when a finding at or above LEVEL exists (default: never); --fail-on high fails CI on high-confidence findings only' },
  { name: 'since', value: 'REF', group: 'Findings', commands: ['audit'], help: 'only objects that migrations added or changed since the git REF define (CI: --since origin/main --fail-on medium; needs a migrations folder, given or found)' },
  {
    name: 'baseline', value: 'FILE', group: 'Findings', commands: ['audit', 'baseline'],
    help: 'hide the objects the baseline FILE lists (default: the config\'s "baseline", else dead-schema.baseline.json in the root)',
    helpFor: { baseline: 'write the baseline to FILE (default: the config\'s "baseline", else dead-schema.baseline.json in the root)' },
  },
  { name: 'no-baseline', group: 'Findings', commands: ['audit'], help: 'ignore the baseline file: report every finding' },

  {
    name: 'format', value: 'NAME', group: 'Output', commands: ['audit', 'check-drops', 'explain'],
    valuesFor: { 'check-drops': ['table', 'json'], explain: ['json'] },
    help: 'text (default): a grouped list, one finding per line | table: a box table | json | sarif | markdown | github: Actions annotations | the path of a reporter module (.js, .mjs, .ts)',
    helpFor: { 'check-drops': 'table (default) | json: the CheckDropsReport type', explain: 'print the findings as JSON (default: text)' },
  },
  { name: 'output-file', value: '[FMT=]FILE', multiple: true, group: 'Output', commands: ['audit'], help: 'also write the report in FMT to FILE (repeatable; FMT from the extension when omitted: .sarif, .json, .md, .txt), e.g. --output-file report.sarif' },
  { name: 'performance', group: 'Output', commands: AUDITING, help: "after the run, print each stage's time, cache use and peak memory to stderr" },
  {
    name: 'quiet', group: 'Output', commands: 'all',
    help: 'no notes and no progress line on stderr (the progress line shows only on a terminal, outside CI)',
    helpFor: { init: 'no note when the config in use comes from a parent folder' },
  },

  { name: 'no-cache', group: 'Cache', commands: AUDITING, help: 'do not reuse or write the cache (migrated schema and per-file scan results)' },
  { name: 'cache-location', value: 'DIR', group: 'Cache', commands: AUDITING, help: 'where the cache lives (default: <root>/node_modules/.cache/dead-schema when that node_modules exists, else the OS cache folder)' },

  { name: 'config', value: 'FILE', group: 'General', commands: 'all', help: 'the config file (default: dead-schema.config.{json,jsonc,ts,mjs} or package.json "dead-schema" in the code root, else its parents up to the repository top)' },
  { name: 'debug', group: 'General', commands: 'all', help: 'show stack traces' },
  { name: 'help', short: 'h', group: 'General', commands: 'all', help: 'this help' },
  { name: 'version', short: 'v', group: 'General', commands: 'all', overviewOnly: true, help: 'the version' },
];

/** parseArgs' options: every command's flags, so a typo is caught whatever the command. */
export const PARSE_OPTIONS: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
  FLAGS.map((flag) => [
    flag.name,
    {
      type: flag.value === undefined ? ('boolean' as const) : ('string' as const),
      ...(flag.multiple === true ? { multiple: true } : {}),
      ...(flag.short !== undefined ? { short: flag.short } : {}),
    },
  ]),
);

export function flagNamed(name: string): Flag | undefined {
  return FLAGS.find((flag) => flag.name === name);
}

/** Whether `command` reads the flag, and, given a value, takes that value. */
export function isAccepted(flag: Flag, command: CommandName, value?: string): boolean {
  if (flag.commands !== 'all' && !flag.commands.includes(command)) return false;
  const only = flag.valuesFor?.[command];
  return only === undefined || value === undefined || only.includes(value);
}

/** The commands that take the flag (with that value, when given), for "is a flag of ..." hints. */
export function commandsTaking(flag: Flag, value?: string): CommandName[] {
  return COMMAND_NAMES.filter((command) => isAccepted(flag, command, value));
}

/** The flags one command's help lists. */
export function flagsOf(command: CommandName): Flag[] {
  return FLAGS.filter((flag) => flag.overviewOnly !== true && isAccepted(flag, command));
}

/** `--format NAME`, `-h, --help`; `valuesFor` narrows the placeholder in one command's help (`--format json`). */
export function flagTerm(flag: Flag, command?: CommandName): string {
  const name = flag.short !== undefined ? `-${flag.short}, --${flag.name}` : `--${flag.name}`;
  const only = command === undefined ? undefined : flag.valuesFor?.[command];
  const value = only !== undefined ? only.join('|') : flag.value;
  return value === undefined ? name : `${name} ${value}`;
}

/** A flag as parseArgs saw it on the command line (a `tokens: true` option token). */
export interface FlagToken {
  kind: string;
  name?: string;
  rawName?: string;
  value?: string | undefined;
}

/**
 * A flag on the command line that `command` would ignore (`init --fail-on high`), or a value it
 * does not take (`explain --format sarif`): an error, since a flag that silently does nothing
 * reads as if it had worked. Config file values are not flags and are not checked here.
 */
export function refusedFlag(command: CommandName, tokens: readonly FlagToken[]): UsageError | undefined {
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined) continue;
    const flag = flagNamed(token.name);
    if (flag === undefined || isAccepted(flag, command, token.value)) continue;
    const given = token.value === undefined ? `--${flag.name}` : `--${flag.name} ${token.value}`;
    // Only the value is wrong (`explain --format sarif`): say which values it takes, and who takes this one.
    const only = isAccepted(flag, command) ? flag.valuesFor?.[command] : undefined;
    const subject = only !== undefined ? given : `--${flag.name}`;
    const takers = commandsTaking(flag, only !== undefined ? token.value : undefined);
    const elsewhere = takers.length > 0 ? `${subject} is a flag of ${takers.join(', ')}` : `see dead-schema help ${command}`;
    const hint = only !== undefined ? `${command} takes --${flag.name} ${only.join(' or ')} only; ${elsewhere}` : elsewhere;
    return new UsageError(`unknown flag for ${command}: ${given}`, { hint });
  }
  return undefined;
}
