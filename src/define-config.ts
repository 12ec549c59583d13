import type { MigrationsLayout } from './catalog.js';
import type { Confidence } from './match/types.js';
import type { IgnoreEntry } from './suppress/index.js';

/*
 * The config type the package exports, written out rather than inferred from the zod schema
 * (config/schema.ts): an inferred type would load zod's declarations into the type-check of every
 * project that imports the package (issue 13). test/package/public-types.test.ts fails the
 * typecheck when the two differ. The JSDoc repeats the schema's, for editors of a typed
 * dead-schema.config.ts.
 */

/** dead-schema.config.{json,jsonc,ts,mjs}, or the "dead-schema" key of package.json. */
export interface DeadSchemaConfig {
  /** The JSON schema this file follows, for editors (`./node_modules/dead-schema/schema.json`). */
  $schema?: string;
  /**
   * Schema source: a migrations folder, applied in embedded PGlite. Relative to this file.
   * Set one of `migrations`, `schemaFile`, `db`.
   */
  migrations?: string;
  /**
   * The migrations layout, when detection guesses wrong.
   * @default detected from the files
   */
  migrationsLayout?: MigrationsLayout;
  /**
   * A command that applies the project's migrations (`npx knex migrate:latest`), run in this
   * file's folder against an embedded database (DATABASE_URL and PG* point at it). It runs
   * project code: only with `runMigrations: true` or `--run-migrations`.
   */
  migrateCommand?: string;
  /**
   * Allow running project tooling to build the schema: `migrateCommand`, the detected migration
   * tool for TS/JS migrations that cannot be read statically, Prisma's CLI for a schema.prisma
   * with no migrations (`--run-migrations`).
   * @default false
   */
  runMigrations?: boolean;
  /** Schema source: a `pg_dump --schema-only` file. Relative to this file. */
  schemaFile?: string;
  /** Schema source: a database URL, read in a read-only session. Prefer DATABASE_URL for URLs with passwords. */
  db?: string;
  /**
   * Wall-clock limits for applying migrations or a schema file in embedded PGlite, which ignores
   * statement_timeout. A statement past its limit is skipped (`migration-timeout` event); past
   * the total, the run stops with exit 2.
   * @default { "statementSeconds": 15, "totalSeconds": 600 }
   */
  migrationTimeouts?: {
    /** Seconds one statement may run (`--statement-timeout`). @default 15 */
    statementSeconds?: number;
    /** Seconds all statements and reading the schema back may take (`--migrations-timeout`). @default 600 */
    totalSeconds?: number;
  };
  /**
   * Where the cache (migrated schema, per-file scan results) lives, relative to this file
   * (`--cache-location`); `--no-cache` still turns it off.
   * @default <root>/node_modules/.cache/dead-schema when that node_modules exists, else the OS cache folder
   */
  cacheLocation?: string;
  /**
   * Schemas to audit.
   * @default every non-system schema
   */
  schemas?: string[];
  /**
   * Globs of files to scan, relative to the audited root; replaces the default.
   * @default ["**\/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}", "**\/*.sql"]
   */
  include?: string[];
  /**
   * Globs of files to skip, added to the built-in ones (node_modules, dist, build, migrations, .d.ts).
   * @default []
   */
  exclude?: string[];
  /**
   * Other repositories (folders, relative to the config file) whose code uses the same
   * database: scanned with the audited root, so what only they use is not reported dead.
   * @default []
   */
  sharedWith?: string[];
  /**
   * Globs of test files, whose mentions never make an object alive; replaces the default.
   * @default ["**\/*.{test,spec}.*", "**\/__tests__/**", "test/**", "tests/**", "**\/fixtures/**", ...]
   */
  testFiles?: string[];
  /**
   * Extra SQL tags and wrapper functions: identifiers (`sql`, `queryRows`) matched against the last
   * name of a tag or callee, or `/regex/` strings (`/^run[A-Z]\w*Query$/`).
   * @default []
   */
  sqlTags?: string[];
  /**
   * Additions to the name-matching lists: names too common to prove a use by themselves, and
   * receivers that hold arguments or options rather than rows (`dto.legacy_code` proves nothing).
   * @default {}
   */
  names?: {
    /** Column or table names too common to make an object alive by a name match alone (added to the built-in list: id, name, status, email, ...). */
    commonNames?: string[];
    /** Variable names whose properties are never rows (added to the built-in list: args, options, req, body, ...). */
    unrelatedReceivers?: string[];
  };
  /**
   * Library rules forced on or off, by rule name or enabling package (`{ "prisma": true }`): on
   * reads every file with that rule whatever its package.json says; off reads none (files that
   * still look like the library's calls are reported as `library-rule-off` events).
   * @default {} (each rule runs where a package.json or an import names its library)
   */
  rules?: Record<string, boolean>;
  /**
   * Findings to hide, each with a required reason. An entry that matches no dead object is reported as stale.
   * @default []
   */
  ignore?: IgnoreEntry[];
  /**
   * Report only findings at or above this confidence (`--min-confidence`).
   * @default "low"
   */
  minConfidence?: Confidence;
  /**
   * Exit 1 when a finding at or above this confidence exists (`--fail-on`).
   * @default never
   */
  failOn?: Confidence;
  /**
   * The baseline file, relative to this file (`--baseline`).
   * @default "dead-schema.baseline.json" in the audited root
   */
  baseline?: string;
}

/** Identity, for typed `dead-schema.config.ts` files: `export default defineConfig({ ... })`. */
export function defineConfig(config: DeadSchemaConfig): DeadSchemaConfig {
  return config;
}
