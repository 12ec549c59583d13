import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectFiles } from '../support/project-files.js';
import { scanProject, type ProjectScan } from '../../src/scan/index.js';
import knex from '../../rules/knex/index.js';

/** A small knex project: the repository names its table through a constant another module exports. */
function project(): string {
  return projectFiles({
    'package.json': JSON.stringify({ name: 'shop', dependencies: { knex: '^3.0.0' } }),
    'src/tables.ts': `export const ORDERS = 'orders';\n`,
    'src/orders.ts': `import { ORDERS } from './tables.js';\nexport const open = (db: any) => db(ORDERS).where({ status: 'open' }).select('total');\n`,
    'src/report.ts': `export const totals = (sql: any) => sql\`SELECT total FROM orders WHERE status = \${'paid'}\`;\n`,
  });
}

const names = new Set(['orders', 'shipments', 'status', 'total']);

async function scan(root: string, cacheDir: string, runKey = 'run-1'): Promise<ProjectScan> {
  const result = await scanProject({ root, interestingNames: names, rules: [knex], cache: { dir: cacheDir, runKey } });
  await result.cacheSaved;
  return result;
}

/** What matching reads of a scan, in file order, without the cache's bookkeeping. */
const found = (result: ProjectScan) =>
  [...result.files].sort((a, b) => a.file.localeCompare(b.file)).map(({ file, sqlSites, mentions, libraryRefs, rules, lineStarts }) => ({ file, sqlSites, mentions, libraryRefs, rules, lineStarts }));

describe('scan cache', () => {
  it('reuses every unchanged file and finds exactly what a fresh scan finds', async () => {
    const root = project();
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'dead-schema-scan-cache-'));
    const cold = await scan(root, cacheDir);
    expect(cold.cache).toEqual({ hits: 0, misses: 3 });
    const warm = await scan(root, cacheDir);
    expect(warm.cache).toEqual({ hits: 3, misses: 0 });
    expect(found(warm)).toEqual(found(cold));
    expect(found(warm).find((f) => f.file === 'src/orders.ts')!.libraryRefs.length).toBeGreaterThan(0);
  });

  it('parses again only the file that changed', async () => {
    const root = project();
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'dead-schema-scan-cache-'));
    await scan(root, cacheDir);
    writeFileSync(path.join(root, 'src/report.ts'), `export const totals = (sql: any) => sql\`SELECT total FROM shipments\`;\n`);
    const after = await scan(root, cacheDir);
    expect(after.cache).toEqual({ hits: 2, misses: 1 });
    const report = after.files.find((f) => f.file === 'src/report.ts')!;
    expect(report.sqlSites[0]!.template.chunks[0]!.text).toContain('shipments');
  });

  it('scans an importer again when the constant it imports changes in another file', async () => {
    const root = project();
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'dead-schema-scan-cache-'));
    const before = await scan(root, cacheDir);
    const tableOf = (result: ProjectScan) =>
      result.files.find((f) => f.file === 'src/orders.ts')!.libraryRefs.flatMap((r) => (r.ref.kind === 'use' ? r.ref.relations.map((rel) => ('table' in rel ? rel.table : rel.model)) : []));
    expect(tableOf(before)).toContain('orders');
    // orders.ts itself is unchanged: only replaying its lookup of ./tables.js shows the change.
    writeFileSync(path.join(root, 'src/tables.ts'), `export const ORDERS = 'shipments';\n`);
    const after = await scan(root, cacheDir);
    expect(after.cache).toEqual({ hits: 1, misses: 2 });
    expect(tableOf(after)).toContain('shipments');
    expect(tableOf(after)).not.toContain('orders');
  });

  it('starts over when anything the whole scan depends on changes (the run key)', async () => {
    const root = project();
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'dead-schema-scan-cache-'));
    await scan(root, cacheDir, 'run-1');
    expect((await scan(root, cacheDir, 'run-2')).cache).toEqual({ hits: 0, misses: 3 });
  });

  it('deletes a corrupt pack with a cache-discarded event and rebuilds it', async () => {
    const root = project();
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'dead-schema-scan-cache-'));
    await scan(root, cacheDir);
    const pack = readdirSync(cacheDir).find((name) => name.startsWith('scan-'))!;
    // A run killed mid-write cannot leave this (writes go to a temp file, then rename), but a full disk or a hand edit can.
    writeFileSync(path.join(cacheDir, pack), '{"format":1,"runKey":"run-1","entries":{"src/a.ts":');
    const broken = await scan(root, cacheDir);
    expect(broken.cache).toEqual({ hits: 0, misses: 3 });
    expect(broken.events.filter((e) => e.kind === 'cache-discarded')).toHaveLength(1);
    expect((await scan(root, cacheDir)).cache).toEqual({ hits: 3, misses: 0 });
    expect(readdirSync(cacheDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
