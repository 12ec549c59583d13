import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheKey } from '../../src/schema/cache.js';
import { loadSchema } from '../../src/schema/index.js';
import { fixture, tempDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let migrations: string;
let cacheDir: string;

beforeAll(async () => {
  work = await tempDir();
  migrations = path.join(work.dir, 'migrations');
  cacheDir = path.join(work.dir, 'cache');
  await cp(fixture('flyway'), migrations, { recursive: true });
});
afterAll(async () => {
  await work.remove();
});

describe('schema cache', () => {
  it('a second load of the same directory is a cache hit with an equal result', async () => {
    const cold = await loadSchema({ migrations, cacheDir });
    expect(cold.source.cacheHit).toBe(false);
    const files = await readdir(cacheDir);
    expect(files.filter((f) => f.endsWith('.catalog.json'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.datadir.tgz') && !f.startsWith('base-'))).toHaveLength(1);

    const started = performance.now();
    const warm = await loadSchema({ migrations, cacheDir });
    const warmMs = performance.now() - started;
    expect(warm.source.cacheHit).toBe(true);
    expect(warm.catalog).toEqual(cold.catalog);
    expect(warm.definedAt).toEqual(cold.definedAt);
    expect(warm.events).toEqual(cold.events);
    expect(warm.migrationFiles).toEqual(cold.migrationFiles);
    expect({ ...warm.source, cacheHit: false }).toEqual(cold.source);
    // No PGlite boot on a warm hit.
    expect(warmMs).toBeLessThan(1000);
  });

  it('changing a migration changes the key and rebuilds', async () => {
    const v2 = path.join(migrations, 'V2__orders.sql');
    await writeFile(v2, `${await readFile(v2, 'utf8')}\nCREATE TABLE refunds (id int PRIMARY KEY);\n`);
    const changed = await loadSchema({ migrations, cacheDir });
    expect(changed.source.cacheHit).toBe(false);
    expect(changed.catalog.relations.map((r) => r.id)).toContain('public.refunds');
  });

  it('re-introspects from the cached data directory when the catalog JSON is stale', async () => {
    const json = (await readdir(cacheDir)).filter((f) => f.endsWith('.catalog.json'));
    for (const file of json) {
      const entry = JSON.parse(await readFile(path.join(cacheDir, file), 'utf8')) as { introspectionVersion: number };
      await writeFile(path.join(cacheDir, file), JSON.stringify({ ...entry, introspectionVersion: -1 }));
    }
    const reloaded = await loadSchema({ migrations, cacheDir });
    expect(reloaded.source.cacheHit).toBe(true);
    expect(reloaded.catalog.relations.map((r) => r.id)).toContain('public.refunds');
  });

  it('an unwritable cache directory never fails the run', async () => {
    const blocker = path.join(work.dir, 'not-a-dir');
    await writeFile(blocker, 'file, not directory');
    const loaded = await loadSchema({ migrations: fixture('plain'), cacheDir: path.join(blocker, 'cache') });
    expect(loaded.catalog.relations.length).toBeGreaterThan(0);
  });

  it('the key covers paths, contents, layout, PGlite version and extensions', () => {
    const base = {
      kind: 'migrations' as const,
      layout: 'plain' as const,
      files: [{ relativePath: '1.sql', content: 'CREATE TABLE a ();' }],
      pgliteVersion: '0.5.14',
      extensions: ['vector'],
    };
    const key = cacheKey(base);
    expect(cacheKey({ ...base })).toBe(key);
    expect(cacheKey({ ...base, files: [{ relativePath: '2.sql', content: 'CREATE TABLE a ();' }] })).not.toBe(key);
    expect(cacheKey({ ...base, files: [{ relativePath: '1.sql', content: 'CREATE TABLE b ();' }] })).not.toBe(key);
    expect(cacheKey({ ...base, layout: 'dbmate' })).not.toBe(key);
    expect(cacheKey({ ...base, pgliteVersion: '0.6.0' })).not.toBe(key);
    expect(cacheKey({ ...base, extensions: [] })).not.toBe(key);
  });
});
