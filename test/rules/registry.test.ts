import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { withRulesTable } from '../../src/rules/readme.js';

const rulesDir = path.resolve(__dirname, '../../rules');
const fixturesDir = path.resolve(__dirname, '../../fixtures/rules');

/** A scoped package's folder: `rules/@scope/name/` when it exists, else the older flat `scope-name`. */
function folderOf(name: string): string {
  return existsSync(path.join(rulesDir, name, 'index.ts')) ? name : name.replace(/^@/, '').replace(/\//g, '-');
}

describe('rule registry', () => {
  it('rules/index.ts is generated from the rule folders and is not stale', () => {
    // Throws (non-zero exit) when a folder was added or removed without regenerating.
    expect(() => execFileSync(process.execPath, [path.join(rulesDir, '_tools/generate-index.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('every rule folder is registered under its npm package name', () => {
    const folders = readdirSync(rulesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
      .flatMap((entry) =>
        entry.name.startsWith('@') && !existsSync(path.join(rulesDir, entry.name, 'index.ts'))
          ? readdirSync(path.join(rulesDir, entry.name)).map((inner) => `${entry.name}/${inner}`)
          : [entry.name],
      )
      .sort();
    expect(rules.map((rule) => folderOf(rule.name)).sort()).toEqual(folders);
  });

  it('README.md lists every rule as its metadata says (npm run rules:readme)', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    expect(readme).toBe(withRulesTable(readme, rules));
  });

  for (const rule of rules) {
    it(`${rule.name} has metadata, enablers and fixtures`, () => {
      expect(rule.enablers.length).toBeGreaterThan(0);
      expect(rule.meta.docs).toMatch(/^https:\/\//);
      expect(rule.meta.upstream).toMatch(/^https:\/\/github\.com\//);
      expect(rule.meta.sees.length).toBeGreaterThan(10);
      expect(rule.meta.sees).not.toMatch(/one line for the README/);
      const cases = readdirSync(path.join(fixturesDir, folderOf(rule.name)));
      expect(cases.length, 'at least a clean case and a dead-columns case').toBeGreaterThanOrEqual(2);
    });
  }
});
