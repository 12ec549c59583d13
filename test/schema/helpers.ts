import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Catalog, CatalogColumn, CatalogDependency, CatalogRelation } from '../../src/catalog.js';

export const fixtures = path.join(import.meta.dirname, 'fixtures');

export function fixture(name: string): string {
  return path.join(fixtures, name);
}

/** A private cache directory: tests never share (or pollute) the project's node_modules cache. */
export async function tempDir(prefix = 'dead-schema-test-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function relation(catalog: Catalog, id: string): CatalogRelation {
  const found = catalog.relations.find((r) => r.id === id);
  if (found === undefined) throw new Error(`no relation ${id}; have ${catalog.relations.map((r) => r.id).join(', ')}`);
  return found;
}

export function column(catalog: Catalog, id: string): CatalogColumn {
  const table = id.slice(0, id.lastIndexOf('.'));
  const name = id.slice(id.lastIndexOf('.') + 1);
  const found = relation(catalog, table).columns.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no column ${id}`);
  return found;
}

export function edges(catalog: Catalog, kind: CatalogDependency['kind'], from?: string): string[] {
  return catalog.dependencies.filter((d) => d.kind === kind && (from === undefined || d.from === from)).map((d) => `${d.from} -> ${d.to}`);
}

export function userRelations(catalog: Catalog): string[] {
  return catalog.relations.filter((r) => !r.extensionOwned).map((r) => r.id);
}
