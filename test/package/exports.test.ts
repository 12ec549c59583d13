import { existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reporters, type Reporter } from '../../src/index.js';

const repo = path.resolve(import.meta.dirname, '../..');
const built = existsSync(path.join(repo, 'dist', 'src', 'index.js'));

/** A project with this package in its node_modules, as an install would have it. */
function consumer(): NodeRequire {
  const dir = mkdtempSync(path.join(tmpdir(), 'dead-schema-consumer-'));
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(repo, path.join(dir, 'node_modules', 'dead-schema'), 'dir');
  return createRequire(path.join(dir, 'index.js'));
}

describe('package exports', () => {
  it('give a custom reporter its type and the built-in formatters to build on', () => {
    // A reporter module's default export: typed by the package, reusing a built-in formatter.
    const summary: Reporter = (report) => `${report.findings.length} findings\n${reporters.markdown!(report)}`;
    expect(typeof summary).toBe('function');
    expect(Object.keys(reporters)).toContain('sarif');
  });

  it('export package.json and schema.json (editors and tools read them)', () => {
    const require = consumer();
    expect((require('dead-schema/package.json') as { name: string }).name).toBe('dead-schema');
    expect((require('dead-schema/schema.json') as { title?: string; properties?: object }).properties).toBeDefined();
  });

  // The build is what the package ships: CI builds before testing.
  it.skipIf(!built)('require() works through the default condition (Node >= 20.19 loads the ESM build)', () => {
    const api = consumer()('dead-schema') as { audit?: unknown; defineConfig?: unknown; reporters?: Record<string, unknown> };
    expect(typeof api.audit).toBe('function');
    expect(typeof api.defineConfig).toBe('function');
    expect(Object.keys(api.reporters ?? {})).toEqual(expect.arrayContaining(['table', 'json', 'sarif', 'markdown', 'github']));
  });
});
