import { describe, expect, it } from 'vitest';
import { loadConfig, sqlTagPattern } from '../../src/config/index.js';
import { databaseFromEnv } from '../../src/config/env.js';
import { ConfigError, UsageError, type DeadSchemaError } from '../../src/errors.js';
import { tempProject } from './helpers.js';

/** The ConfigError loading this JSON config throws. */
async function errorFor(config: unknown, name = 'dead-schema.config.json'): Promise<DeadSchemaError> {
  const text = name === 'package.json' ? JSON.stringify({ name: 'app', 'dead-schema': config }) : JSON.stringify(config);
  const error = await loadConfig(tempProject({ [name]: text })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as DeadSchemaError;
}

describe('config validation', () => {
  it('rejects an unknown key with its path and the key it likely meant', async () => {
    expect((await errorFor({ migration: 'db' })).message).toBe('dead-schema.config.json: migration: unknown key (did you mean "migrations"?)');
    expect((await errorFor({ 'fail-on': 'high' })).message).toBe('dead-schema.config.json: fail-on: unknown key (did you mean "failOn"?)');
    expect((await errorFor({ ignore: [{ id: 'a', reason: 'b', note: 'c' }] })).message).toBe(
      'dead-schema.config.json: ignore[0].note: unknown key (known keys: id, reason)',
    );
  });

  it('names the package.json key as the place', async () => {
    expect((await errorFor({ nams: {} }, 'package.json')).message).toMatch(/^package\.json "dead-schema": nams: unknown key \(did you mean "names"\?\)/);
  });

  it('rejects a wrong enum value, quoting the choices', async () => {
    expect((await errorFor({ minConfidence: 'hgh' })).message).toBe(
      'dead-schema.config.json: minConfidence: must be one of "low", "medium", "high", got "hgh"',
    );
    expect((await errorFor({ migrations: 'db', migrationsLayout: 'rails' })).message).toMatch(/^dead-schema\.config\.json: migrationsLayout: must be one of "dbmate", /);
  });

  it('requires a non-empty reason on every ignore entry', async () => {
    expect((await errorFor({ ignore: [{ id: 'public.a', reason: 'kept for the export job' }, { id: 'public.b' }] })).message).toBe(
      'dead-schema.config.json: ignore[1].reason: Required',
    );
    expect((await errorFor({ ignore: [{ id: 'public.a', reason: '  ' }] })).message).toBe(
      'dead-schema.config.json: ignore[0].reason: must say why the finding is hidden',
    );
  });

  it('rejects wrong types and empty strings', async () => {
    expect((await errorFor({ include: 'src/**' })).message).toBe('dead-schema.config.json: include: expected array, got "src/**"');
    expect((await errorFor({ schemas: [] })).message).toBe('dead-schema.config.json: schemas: must not be an empty list');
    expect((await errorFor({ migrations: '' })).message).toBe('dead-schema.config.json: migrations: must not be empty');
    expect((await errorFor([])).message).toBe('dead-schema.config.json: the config must be an object, got a list');
  });

  it('rejects a bad sqlTags regex or name, with the entry path', async () => {
    expect((await errorFor({ sqlTags: ['exec', '/run(Query/'] })).message).toMatch(
      /^dead-schema\.config\.json: sqlTags\[1\]: "\/run\(Query\/" is not a valid regex: /,
    );
    expect((await errorFor({ sqlTags: ['db.exec'] })).message).toMatch(/sqlTags\[0\]: "db\.exec" is not a tag name: .*write "exec"/);
    expect((await errorFor({ sqlTags: ['/exec/i'] })).message).toMatch(/sqlTags\[0\]: .*flags are not supported/);
  });

  it('allows one schema source, and a layout only with migrations', async () => {
    expect((await errorFor({ migrations: 'db', db: 'postgres://x/y' })).message).toBe(
      'dead-schema.config.json: db: set only one schema source, not both migrations and db',
    );
    expect((await errorFor({ migrationsLayout: 'prisma' })).message).toBe('dead-schema.config.json: migrationsLayout: applies to migrations, which is not set');
  });

  it('puts the first problem in the message and all of them in the reason, one per line with its path', async () => {
    const error = await errorFor({ failOn: 'never', ignore: [{ id: 'x' }], migratons: 'db' });
    expect(error.message).toBe('dead-schema.config.json: migratons: unknown key (did you mean "migrations"?)');
    expect(error.details.reason).toBe(
      [
        '3 problems:',
        '  migratons: unknown key (did you mean "migrations"?)',
        '  ignore[0].reason: Required',
        '  failOn: must be one of "low", "medium", "high", got "never"',
      ].join('\n'),
    );
  });

  it('lists a mistyped key, a wrong type, a bad enum and a rule across keys together', async () => {
    const error = await errorFor({ migrations: 'db', db: 'postgres://x/y', migrationsLayot: 'prisma', include: 'src/**', minConfidence: 'hgh', ignore: [{ id: 'a', reason: 'b', note: 'c' }] });
    expect(error.message).toBe('dead-schema.config.json: ignore[0].note: unknown key (known keys: id, reason)');
    expect(error.details.reason?.split('\n')).toEqual([
      '5 problems:',
      '  ignore[0].note: unknown key (known keys: id, reason)',
      '  migrationsLayot: unknown key (did you mean "migrationsLayout"?)',
      '  include: expected array, got "src/**"',
      '  minConfidence: must be one of "low", "medium", "high", got "hgh"',
      // Checked although keys above are wrong, so one run shows everything there is to fix.
      '  db: set only one schema source, not both migrations and db',
    ]);
  });
});

describe('sqlTagPattern', () => {
  it('matches names exactly and patterns as written', () => {
    const pattern = sqlTagPattern(['exec', '$q', '/^run[A-Z]\\w*$/'])!;
    for (const hit of ['exec', '$q', 'runReport']) expect(pattern.test(hit), hit).toBe(true);
    for (const miss of ['execute', 'myexec', 'q', 'run', 'rerunX']) expect(pattern.test(miss), miss).toBe(false);
    expect(sqlTagPattern([])).toBeUndefined();
  });

  it('throws a ConfigError with the entry path for a config built in code', () => {
    expect(() => sqlTagPattern(['ok', '/(/'], 'dead-schema.config.ts')).toThrow(/^dead-schema\.config\.ts: sqlTags\[1\]: "\/\(\/" is not a valid regex/);
    expect(() => sqlTagPattern(['/(?<a>x)/', '/(?<a>y)/'])).toThrow(/do not combine into one regex/);
  });
});

describe('databaseFromEnv', () => {
  it('prefers DATABASE_URL, then builds a URL from PG* when PGHOST or PGDATABASE is set', () => {
    expect(databaseFromEnv({ DATABASE_URL: 'postgres://a@b/c', PGHOST: 'x' })).toEqual({ url: 'postgres://a@b/c', from: 'DATABASE_URL' });
    expect(databaseFromEnv({ PGHOST: 'db.internal', PGPORT: '6543', PGUSER: 'audit er', PGPASSWORD: 'p@ss/word', PGDATABASE: 'app' })).toEqual({
      url: 'postgres://audit%20er:p%40ss%2Fword@db.internal:6543/app',
      from: 'PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD',
    });
    expect(databaseFromEnv({ PGDATABASE: 'app', PGSSLMODE: 'require' })?.url).toBe('postgres://localhost/app?sslmode=require');
    expect(databaseFromEnv({ PGHOST: '::1' })?.url).toBe('postgres://[::1]/');
  });

  it('ignores a lone credential and rejects what a URL cannot carry', () => {
    expect(databaseFromEnv({ PGPASSWORD: 'secret', PGUSER: 'ci' })).toBeUndefined();
    expect(() => databaseFromEnv({ PGHOST: '/var/run/postgresql' })).toThrow(UsageError);
    expect(() => databaseFromEnv({ PGHOST: 'h', PGPORT: 'five' })).toThrow('PGPORT must be a port number, got "five"');
  });
});
