import { cp, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LoadedSchema } from '../../src/schema/index.js';
import { loadSchema } from '../../src/schema/index.js';
import { PgliteHost } from '../../src/schema/pglite-host.js';
import { fixture, tempDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let migrations: string;
let cacheDir: string;
let reference: LoadedSchema;

beforeAll(async () => {
  work = await tempDir();
  migrations = path.join(work.dir, 'migrations');
  cacheDir = path.join(work.dir, 'cache');
  await cp(fixture('flyway'), migrations, { recursive: true });
  reference = await loadSchema({ migrations, cacheDir });
});
afterAll(async () => {
  await work.remove();
});

const entries = async (suffix: string, base = false): Promise<string[]> =>
  (await readdir(cacheDir)).filter((f) => f.endsWith(suffix) && f.startsWith('base-') === base).map((f) => path.join(cacheDir, f));

const only = async (suffix: string, base = false): Promise<string> => {
  const found = await entries(suffix, base);
  expect(found).toHaveLength(1);
  return found[0]!;
};

/** Loads, expects one cache-discarded event and the reference catalog, then a clean hit. */
async function expectHealed(what: RegExp): Promise<void> {
  const healed = await loadSchema({ migrations, cacheDir });
  expect(healed.events).toEqual([expect.objectContaining({ kind: 'cache-discarded', message: expect.stringMatching(what) })]);
  expect(healed.catalog).toEqual(reference.catalog);
  expect(healed.definedAt).toEqual(reference.definedAt);
  const boot = vi.spyOn(PgliteHost, 'boot');
  const again = await loadSchema({ migrations, cacheDir });
  // A current catalog JSON is the whole warm path: no worker, no PGlite.
  expect(boot).not.toHaveBeenCalled();
  boot.mockRestore();
  expect(again.source.cacheHit).toBe(true);
  expect(again.events).toEqual([]);
  expect(again.catalog).toEqual(reference.catalog);
}

describe('a broken cache heals itself', () => {
  it('garbage in the catalog JSON', async () => {
    await writeFile(await only('.catalog.json'), '{"introspectionVersion": 4, "catal');
    await expectHealed(/catalog\.json could not be used, so it was deleted and rebuilt: it is not valid JSON$/);
  });

  it('a catalog JSON of the wrong shape', async () => {
    const file = await only('.catalog.json');
    const entry = JSON.parse(await readFile(file, 'utf8')) as { catalog: Record<string, unknown>; checksum?: string };
    // Entries carry a hash of what was written: an edit that keeps it breaks it, so the shape is checked.
    expect(entry.checksum).toMatch(/^[0-9a-f]{64}$/);
    await writeFile(file, JSON.stringify({ ...entry, catalog: { ...entry.catalog, relations: 'three' } }));
    await expectHealed(/it has the wrong shape at catalog\.relations/);
  });

  it('a catalog JSON that is not an object at all', async () => {
    await writeFile(await only('.catalog.json'), '[1, 2, 3]');
    await expectHealed(/it has the wrong shape/);
  });

  it('a truncated data directory behind an outdated catalog JSON', async () => {
    const json = await only('.catalog.json');
    const entry = JSON.parse(await readFile(json, 'utf8')) as Record<string, unknown>;
    await writeFile(json, JSON.stringify({ ...entry, introspectionVersion: -1 }));
    const archive = await only('.datadir.tgz');
    await truncate(archive, Math.floor((await stat(archive)).size / 2));
    await expectHealed(/[0-9a-f]{64}\.datadir\.tgz could not be used, so it was deleted and rebuilt: it does not boot/);
  });

  it('a truncated shared base data directory', async () => {
    await truncate(await only('.datadir.tgz', true), 1000);
    // A changed migration misses the keyed entries and boots from the base.
    const v2 = path.join(migrations, 'V2__orders.sql');
    await writeFile(v2, `${await readFile(v2, 'utf8')}\n-- reviewed\n`);
    await expectHealed(/base-[0-9a-f]+\.datadir\.tgz could not be used, so it was deleted and rebuilt: it does not boot/);
    expect((await stat(await only('.datadir.tgz', true))).size).toBeGreaterThan(1_000_000);
  });
});
