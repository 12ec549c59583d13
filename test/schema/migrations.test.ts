import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaSourceError } from '../../src/errors.js';
import { main } from '../../src/cli/main.js';
import { captured } from '../support/cli-io.js';
import { findExtensionRequests, resolveExtensions } from '../../src/schema/extensions.js';
import { dbmateUpSection, naturalCompare, readMigrations } from '../../src/schema/migrations.js';
import { loadSqlScanner, splitStatements } from '../../src/schema/split.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const names = (files: { relativePath: string }[]): string[] => files.map((f) => f.relativePath);

describe('readMigrations: layout detection and order', () => {
  it('dbmate: only the up section', async () => {
    const set = await readMigrations(path.join(fixtures, 'dbmate'));
    expect(set.layout).toBe('dbmate');
    expect(names(set.files)).toEqual(['20240101000000_create_users.sql', '20240102000000_add_posts.sql']);
    const sql = set.files.flatMap((f) => f.statements.map((s) => s.sql)).join('\n');
    expect(sql).not.toMatch(/DROP/);
    expect(set.files[1]?.statements.map((s) => s.line)).toEqual([2, 8]);
  });

  it('flyway: numeric versions, then repeatables, never undo files', async () => {
    const set = await readMigrations(path.join(fixtures, 'flyway'));
    expect(set.layout).toBe('flyway');
    expect(names(set.files)).toEqual([
      'V1__init.sql',
      'V1_1__add_status.sql',
      'V2__orders.sql',
      'V10__order_notes.sql',
      'R__active_accounts.sql',
    ]);
    expect(set.allSqlFiles.map((f) => path.basename(f))).toContain('U2__undo_orders.sql');
  });

  it('prisma: one migration.sql per timestamped folder', async () => {
    const set = await readMigrations(path.join(fixtures, 'prisma'));
    expect(set.layout).toBe('prisma');
    expect(names(set.files)).toEqual(['20240101000000_init/migration.sql', '20240105120000_add_profile/migration.sql']);
  });

  it('drizzle: journal order, breakpoints split statements, files outside the journal are not applied', async () => {
    const set = await readMigrations(path.join(fixtures, 'drizzle'));
    expect(set.layout).toBe('drizzle');
    expect(names(set.files)).toEqual(['0000_init.sql', '0001_due_dates.sql']);
    expect(set.files[1]?.statements).toHaveLength(2);
    expect(set.files[0]?.statements.map((s) => s.line)).toEqual([1, 6, 12]);
    expect(set.events).toEqual([]);
  });

  it('drizzle: a journal entry whose file is gone is reported, not skipped silently', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dead-schema-drizzle-'));
    try {
      await writeFile(path.join(dir, '0000_init.sql'), 'CREATE TABLE a (id int);');
      await mkdir(path.join(dir, 'meta'));
      const entries = [{ idx: 0, tag: '0000_init' }, { idx: 1, tag: '0001_dropped_by_hand' }];
      await writeFile(path.join(dir, 'meta', '_journal.json'), JSON.stringify({ entries }));
      const set = await readMigrations(dir);
      expect(names(set.files)).toEqual(['0000_init.sql']);
      expect(set.events).toEqual([
        {
          kind: 'migration-missing',
          file: path.join(dir, 'meta', '_journal.json'),
          message: 'the journal lists 0001_dropped_by_hand.sql, which is not in the folder; the schema is built without it',
        },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('plain: natural order, up files only', async () => {
    const set = await readMigrations(path.join(fixtures, 'plain'));
    expect(set.layout).toBe('plain');
    expect(names(set.files)).toEqual(['1_init.sql', '2_books.sql', '3_tags.up.sql', '10_book_tags.sql']);
    expect(set.allSqlFiles.map((f) => path.basename(f))).toContain('3_tags.down.sql');
  });

  it('a forced layout wins over detection', async () => {
    const set = await readMigrations(path.join(fixtures, 'flyway'), 'plain');
    expect(set.layout).toBe('plain');
    expect(names(set.files)[0]).toBe('R__active_accounts.sql');
  });

  describe('errors', () => {
    let empty: string;
    beforeAll(async () => {
      empty = await mkdtemp(path.join(tmpdir(), 'dead-schema-empty-'));
      await writeFile(path.join(empty, 'README.md'), 'no sql here');
    });
    afterAll(async () => {
      await rm(empty, { recursive: true, force: true });
    });

    it('a missing directory names the path and the cause', async () => {
      const error = await readMigrations('/nonexistent/migrations').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SchemaSourceError);
      expect((error as Error).message).toBe('cannot read migrations directory /nonexistent/migrations: ENOENT');
    });

    it('a directory without migrations is an error, not an empty schema', async () => {
      await expect(readMigrations(empty)).rejects.toBeInstanceOf(SchemaSourceError);
    });

    it('its hint names only flags the CLI has (it once said --layout)', async () => {
      // A folder of .sql files none of which a layout applies (dbmate files without an up section).
      const unapplied = await mkdtemp(path.join(tmpdir(), 'dead-schema-unapplied-'));
      await writeFile(path.join(unapplied, '001.sql'), '-- migrate:down\nDROP TABLE t;\n');
      const error = (await readMigrations(unapplied, 'dbmate').catch((e: unknown) => e)) as SchemaSourceError;
      const flags = String(error.details.hint).match(/--[a-z][a-z-]*/g) ?? [];
      expect(flags).toContain('--migrations-layout');
      const { io, out } = captured();
      await main(['--help'], io);
      for (const flag of flags) expect(out()).toContain(`${flag} `);
    });
  });
});

describe('helpers', () => {
  it('naturalCompare orders digit runs numerically', () => {
    expect(['10_a.sql', '2_b.sql', '1_c.sql', '002_d.sql'].sort(naturalCompare)).toEqual([
      '1_c.sql',
      '2_b.sql',
      '002_d.sql',
      '10_a.sql',
    ]);
  });

  it('dbmateUpSection blanks everything outside the up section', () => {
    const text = '-- header\n-- migrate:up transaction:false\nCREATE TABLE t ();\n-- migrate:down\nDROP TABLE t;\n';
    expect(dbmateUpSection(text).split('\n')).toEqual(['', '', 'CREATE TABLE t ();', '', '', '']);
  });
});

describe('extensions', () => {
  beforeAll(async () => {
    await loadSqlScanner();
  });

  it('finds CREATE EXTENSION at top level, in DO blocks and in EXECUTE strings, not in comments', () => {
    const statements = splitStatements(
      [
        'CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public;',
        '-- CREATE EXTENSION postgis;',
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN CREATE EXTENSION vector; END IF; END $$;",
        "DO $$ BEGIN EXECUTE 'CREATE EXTENSION IF NOT EXISTS pg_trgm'; END $$;",
      ].join('\n'),
    );
    const requests = findExtensionRequests([{ file: '/m/001.sql', statements }]);
    expect(requests).toEqual([
      { name: 'pg_trgm', file: '/m/001.sql', line: 4 },
      { name: 'uuid-ossp', file: '/m/001.sql', line: 1 },
      { name: 'vector', file: '/m/001.sql', line: 3 },
    ]);
  });

  it('maps names to PGlite builds and reports the ones PGlite lacks', async () => {
    const resolved = await resolveExtensions(['uuid-ossp', 'vector', 'postgis', 'plpgsql', 'earthdistance', '../evil']);
    expect(resolved.loaded).toEqual(['cube', 'earthdistance', 'uuid-ossp', 'vector']);
    expect(resolved.unavailable).toEqual(['../evil', 'postgis']);
    expect(Object.keys(resolved.extensions).sort()).toEqual(['cube', 'earthdistance', 'uuid_ossp', 'vector']);
  });
});
