import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../src/schema/cache.js';

describe('default cache folder', () => {
  const saved = process.env.XDG_CACHE_HOME;
  afterEach(() => {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  });

  it("is the audited root's node_modules/.cache/dead-schema when that node_modules exists", () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dead-schema-cache-dir-'));
    mkdirSync(path.join(root, 'node_modules'));
    expect(defaultCacheDir(root)).toBe(path.join(root, 'node_modules', '.cache', 'dead-schema'));
  });

  it('is the OS cache folder otherwise, never a new node_modules in the repository', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dead-schema-cache-dir-'));
    process.env.XDG_CACHE_HOME = path.join(root, 'xdg');
    const dir = defaultCacheDir(root);
    expect(dir.includes(`${path.sep}node_modules${path.sep}`)).toBe(false);
    if (process.platform === 'linux') expect(dir).toBe(path.join(root, 'xdg', 'dead-schema'));
  });
});
