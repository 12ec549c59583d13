import { z } from 'zod';
import { DEFAULT_INCLUDE, DEFAULT_TEST_GLOBS } from '../scan/files.js';
import { sqlTagProblem } from './sql-tags.js';

/*
 * The one definition of the config. Each field carries its doc twice on purpose: the JSDoc is
 * what editors show for a typed `dead-schema.config.ts`, the `.meta()` description is what they
 * show for `dead-schema.config.json` through schema.json (generated from this by
 * `npm run config:schema`, checked by test/config/json-schema.test.ts). Keep the two in step.
 * No `.default()`: an unset field must stay unset so flags and the environment can win over it.
 */

const LEVEL = z.enum(['low', 'medium', 'high']);
const LAYOUT = z.enum(['dbmate', 'flyway', 'prisma', 'drizzle', 'plain', 'typeorm', 'kysely', 'sequelize', 'knex', 'node-pg-migrate', 'mikro-orm', 'db-migrate']);
const nonEmpty = z.string().min(1);
const globs = z.array(nonEmpty);
const SECONDS = z.number().positive().finite();

const ignoreEntry = z
  .strictObject({
    /** An object id or glob: `public.runs.retry_delay_seconds`, `public.legacy_*`, `public.orders.**`, `public.touch(*)`. */
    id: nonEmpty.meta({ description: 'An object id or glob: `public.runs.retry_delay_seconds`, `public.legacy_*`, `public.orders.**`, `public.touch(*)`.' }),
    /** Why the finding is hidden; shown when the entry goes stale. */
    reason: z
      .string()
      .regex(/\S/, { message: 'must say why the finding is hidden' })
      .meta({ description: 'Why the finding is hidden; shown when the entry goes stale.' }),
  })
  .meta({ description: 'A finding to hide, with the reason.' });

export const configSchema = z
  .strictObject({
    /** The JSON schema this file follows, for editors (`./node_modules/dead-schema/schema.json`). */
    $schema: z.string().optional().meta({ description: 'The JSON schema this file follows, for editors (`./node_modules/dead-schema/schema.json`).' }),
    /**
     * Schema source: a migrations folder, applied in embedded PGlite. Relative to this file.
     * Set one of `migrations`, `schemaFile`, `db`.
     */
    migrations: nonEmpty.optional().meta({
      description: 'Schema source: a migrations folder, applied in embedded PGlite. Relative to this file. Set one of `migrations`, `schemaFile`, `db`.',
    }),
    /**
     * The migrations layout, when detection guesses wrong.
     * @default detected from the files
     */
    migrationsLayout: LAYOUT.optional().meta({ description: 'The migrations layout, when detection guesses wrong. Default: detected from the files.' }),
    /**
     * A command that applies the project's migrations (`npx knex migrate:latest`), run in this
     * file's folder against an embedded database (DATABASE_URL and PG* point at it). It runs
     * project code: only with `runMigrations: true` or `--run-migrations`.
     */
    migrateCommand: nonEmpty.optional().meta({
      description: 'A command that applies the project\'s migrations (`npx knex migrate:latest`), run in this file\'s folder against an embedded database (DATABASE_URL and PG* point at it). It runs project code: only with `runMigrations: true` or `--run-migrations`.',
    }),
    /**
     * Allow running project tooling to build the schema: `migrateCommand`, the detected migration
     * tool for TS/JS migrations that cannot be read statically, Prisma's CLI for a schema.prisma
     * with no migrations (`--run-migrations`).
     * @default false
     */
    runMigrations: z.boolean().optional().meta({
      description: 'Allow running project tooling to build the schema: `migrateCommand`, the detected migration tool for TS/JS migrations that cannot be read statically, Prisma\'s CLI for a schema.prisma with no migrations (`--run-migrations`).',
      default: false,
    }),
    /** Schema source: a `pg_dump --schema-only` file. Relative to this file. */
    schemaFile: nonEmpty.optional().meta({ description: 'Schema source: a `pg_dump --schema-only` file. Relative to this file.' }),
    /** Schema source: a database URL, read in a read-only session. Prefer DATABASE_URL for URLs with passwords. */
    db: nonEmpty.optional().meta({ description: 'Schema source: a database URL, read in a read-only session. Prefer DATABASE_URL for URLs with passwords.' }),
    /**
     * Wall-clock limits for applying migrations or a schema file in embedded PGlite, which ignores
     * statement_timeout. A statement past its limit is skipped (`migration-timeout` event); past
     * the total, the run stops with exit 2.
     * @default { "statementSeconds": 15, "totalSeconds": 600 }
     */
    migrationTimeouts: z
      .strictObject({
        /** Seconds one statement may run (`--statement-timeout`). @default 15 */
        statementSeconds: SECONDS.optional().meta({ description: 'Seconds one statement may run (`--statement-timeout`).', default: 15 }),
        /** Seconds all statements and reading the schema back may take (`--migrations-timeout`). @default 600 */
        totalSeconds: SECONDS.optional().meta({ description: 'Seconds all statements and reading the schema back may take (`--migrations-timeout`).', default: 600 }),
      })
      .optional()
      .meta({
        description: 'Wall-clock limits for applying migrations or a schema file in embedded PGlite, which ignores statement_timeout. A statement past its limit is skipped (`migration-timeout` event); past the total, the run stops with exit 2.',
        default: { statementSeconds: 15, totalSeconds: 600 },
      }),
    /**
     * Where the cache (migrated schema, per-file scan results) lives, relative to this file
     * (`--cache-location`); `--no-cache` still turns it off.
     * @default <root>/node_modules/.cache/dead-schema when that node_modules exists, else the OS cache folder
     */
    cacheLocation: nonEmpty.optional().meta({
      description:
        'Where the cache (migrated schema, per-file scan results) lives, relative to this file (`--cache-location`); `--no-cache` still turns it off. Default: <root>/node_modules/.cache/dead-schema when that node_modules exists, else the OS cache folder.',
    }),
    /**
     * Schemas to audit.
     * @default every non-system schema
     */
    schemas: z.array(nonEmpty).min(1).optional().meta({ description: 'Schemas to audit. Default: every non-system schema.' }),
    /**
     * Globs of files to scan, relative to the audited root; replaces the default.
     * @default ["**\/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}", "**\/*.sql"]
     */
    include: globs.optional().meta({ description: 'Globs of files to scan, relative to the audited root; replaces the default.', default: [...DEFAULT_INCLUDE] }),
    /**
     * Globs of files to skip, added to the built-in ones (node_modules, dist, build, migrations, .d.ts).
     * @default []
     */
    exclude: globs.optional().meta({ description: 'Globs of files to skip, added to the built-in ones (node_modules, dist, build, migrations, .d.ts).', default: [] }),
    /**
     * Other repositories (folders, relative to the config file) whose code uses the same
     * database: scanned with the audited root, so what only they use is not reported dead.
     * @default []
     */
    sharedWith: z
      .array(nonEmpty)
      .optional()
      .meta({
        description: 'Other repositories (folders, relative to the config file) whose code uses the same database: scanned with the audited root, so what only they use is not reported dead (`--shared-with`).',
        default: [],
      }),
    /**
     * Globs of test files, whose mentions never make an object alive; replaces the default.
     * @default ["**\/*.{test,spec}.*", "**\/__tests__/**", "test/**", "tests/**", "**\/fixtures/**", ...]
     */
    testFiles: globs.optional().meta({ description: 'Globs of test files, whose mentions never make an object alive; replaces the default.', default: [...DEFAULT_TEST_GLOBS] }),
    /**
     * Extra SQL tags and wrapper functions: identifiers (`sql`, `queryRows`) matched against the last
     * name of a tag or callee, or `/regex/` strings (`/^run[A-Z]\w*Query$/`).
     * @default []
     */
    sqlTags: z
      .array(
        z.string().superRefine((tag, ctx) => {
          const problem = sqlTagProblem(tag);
          if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
        }),
      )
      .optional()
      .meta({
        description: 'Extra SQL tags and wrapper functions: identifiers (`sql`, `queryRows`) matched against the last name of a tag or callee, or `/regex/` strings (`/^run[A-Z]\\w*Query$/`).',
        default: [],
      }),
    /**
     * Additions to the name-matching lists: names too common to prove a use by themselves, and
     * receivers that hold arguments or options rather than rows (`dto.legacy_code` proves nothing).
     * @default {}
     */
    names: z
      .strictObject({
        commonNames: z.array(nonEmpty).optional().meta({ description: 'Column or table names too common to make an object alive by a name match alone (added to the built-in list: id, name, status, email, ...).', default: [] }),
        unrelatedReceivers: z.array(nonEmpty).optional().meta({ description: 'Variable names whose properties are never rows (added to the built-in list: args, options, req, body, ...).', default: [] }),
      })
      .optional()
      .meta({ description: 'Additions to the name-matching lists.', default: {} }),
    /**
     * Library rules forced on or off, by rule name or enabling package (`{ "prisma": true }`): on
     * reads every file with that rule whatever its package.json says; off reads none (files that
     * still look like the library's calls are reported as `library-rule-off` events).
     * @default {} (each rule runs where a package.json or an import names its library)
     */
    rules: z
      .record(nonEmpty, z.boolean())
      .optional()
      .meta({
        description:
          'Library rules forced on or off, by rule name or enabling package (`{ "prisma": true }`): on reads every file with that rule whatever its package.json says; off reads none (files that still look like its calls are reported as `library-rule-off` events). Default: each rule runs where a package.json or an import names its library.',
        default: {},
      }),
    /**
     * Findings to hide, each with a required reason. An entry that matches no dead object is reported as stale.
     * @default []
     */
    ignore: z.array(ignoreEntry).optional().meta({
      description: 'Findings to hide, each with a required reason. An entry that matches no dead object is reported as stale.',
      default: [],
    }),
    /**
     * Report only findings at or above this confidence (`--min-confidence`).
     * @default "low"
     */
    minConfidence: LEVEL.optional().meta({ description: 'Report only findings at or above this confidence (`--min-confidence`).', default: 'low' }),
    /**
     * Exit 1 when a finding at or above this confidence exists (`--fail-on`).
     * @default never
     */
    failOn: LEVEL.optional().meta({ description: 'Exit 1 when a finding at or above this confidence exists (`--fail-on`). Default: never.' }),
    /**
     * The baseline file, relative to this file (`--baseline`).
     * @default "dead-schema.baseline.json" in the audited root
     */
    baseline: nonEmpty.optional().meta({ description: 'The baseline file, relative to this file (`--baseline`). Default: dead-schema.baseline.json in the audited root.' }),
  })
  .superRefine((config, ctx) => {
    const sources = (['migrations', 'schemaFile', 'db'] as const).filter((key) => config[key] !== undefined);
    if (sources.length > 1) {
      ctx.addIssue({ code: 'custom', path: [sources[1]!], message: `set only one schema source, not both ${sources[0]} and ${sources[1]}` });
    }
    if (config.migrationsLayout !== undefined && config.migrations === undefined) {
      ctx.addIssue({ code: 'custom', path: ['migrationsLayout'], message: 'applies to migrations, which is not set' });
    }
    // Also when a key above is wrong: zod skips a refinement after other issues by default, and
    // then the error would hide these until the rest is fixed. Only presence is checked here.
  }, { when: (payload) => payload.value !== null && typeof payload.value === 'object' && !Array.isArray(payload.value) });

export type DeadSchemaConfig = z.infer<typeof configSchema>;

export const JSON_SCHEMA_ID = 'https://unpkg.com/dead-schema/schema.json';

/** What `schema.json` at the package root holds. */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema) as Record<string, unknown>;
  return {
    $schema: generated.$schema,
    $id: JSON_SCHEMA_ID,
    title: 'dead-schema configuration',
    description: 'dead-schema.config.json, or the "dead-schema" key of package.json. Precedence: flags, then DATABASE_URL/PG*, then this file, then defaults.',
    ...Object.fromEntries(Object.entries(generated).filter(([key]) => key !== '$schema')),
  };
}
