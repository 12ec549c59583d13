import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/index.js';
import type { Finding } from '../src/index.js';

/**
 * Every fixture repo (a folder with an expected.json under fixtures/) is a test case; its
 * expected.json lists every finding (exhaustively), objects that must stay alive,
 * evidence that must be found and events that must be reported.
 */
interface Expected {
  description: string;
  options?: {
    migrations?: string;
    layout?: 'dbmate' | 'flyway' | 'prisma' | 'drizzle' | 'plain';
    schemaFile?: string;
    /** The audited root inside the fixture (default: the fixture itself). */
    root?: string;
    /** Folders of the fixture holding other repositories on the same database (`--shared-with`). */
    sharedWith?: string[];
  };
  findings: (Pick<Finding, 'id' | 'kind' | 'verdict' | 'confidence' | 'reasons'> & Pick<Partial<Finding>, 'channel' | 'dynamicSql'>)[];
  alive?: string[];
  evidence?: Record<string, { file: string; line: number; role?: string; kind?: string }[]>;
  events?: Record<string, unknown>[];
}

const fixturesRoot = path.resolve(__dirname, '../fixtures');
const cacheDir = path.join(tmpdir(), 'dead-schema-test-cache');
const cases = globSync('**/expected.json', { cwd: fixturesRoot, ignore: ['**/node_modules/**'], expandDirectories: false })
  .map((file) => path.dirname(file))
  .sort();
// A repo with no expectation is a forgotten case, unless it is a workspace package inside one.
const orphans = globSync('**/package.json', { cwd: fixturesRoot, ignore: ['**/node_modules/**'], expandDirectories: false })
  .map((file) => path.dirname(file))
  .filter((dir) => !cases.some((caseDir) => dir === caseDir || dir.startsWith(`${caseDir}/`)));

describe('fixtures', () => {
  it('has fixture cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it('has an expected.json for every fixture repo', () => {
    expect(orphans, 'fixture repos without expected.json').toEqual([]);
  });

  for (const caseDir of cases) {
    it(caseDir, async () => {
      const dir = path.join(fixturesRoot, caseDir);
      const expectedFile = path.join(dir, 'expected.json');
      const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;
      const options = expected.options ?? {};
      const report = await audit({
        root: path.join(dir, options.root ?? '.'),
        ...(options.sharedWith ? { sharedWith: options.sharedWith.map((shared) => path.join(dir, shared)) } : {}),
        ...(options.schemaFile
          ? { schemaFile: path.join(dir, options.schemaFile) }
          : { migrations: path.join(dir, options.migrations ?? 'migrations') }),
        ...(options.layout ? { layout: options.layout } : {}),
        cacheDir,
        all: true,
      });
      const byId = new Map(report.findings.map((f) => [`${f.kind}:${f.id}`, f]));
      const dead = report.findings
        .filter((f) => f.verdict !== 'alive')
        .map((f) => ({ id: f.id, kind: f.kind, verdict: f.verdict, confidence: f.confidence }))
        .sort((a, b) => a.id.localeCompare(b.id));
      const wanted = expected.findings
        .map((f) => ({ id: f.id, kind: f.kind, verdict: f.verdict, confidence: f.confidence }))
        .sort((a, b) => a.id.localeCompare(b.id));
      expect(dead, 'dead findings (exhaustive)').toEqual(wanted);
      for (const want of expected.findings) {
        const got = byId.get(`${want.kind}:${want.id}`);
        expect(got?.reasons, `reasons of ${want.id}`).toEqual(expect.arrayContaining(want.reasons ?? []));
        if (want.channel !== undefined) expect(got?.channel, `channel of ${want.id}`).toBe(want.channel);
        if (want.dynamicSql !== undefined) expect(got?.dynamicSql, `dynamic statements of ${want.id}`).toEqual(want.dynamicSql);
      }
      for (const id of expected.alive ?? []) {
        const got = report.findings.find((f) => f.id === id);
        expect(got?.verdict, `${id} must be alive`).toBe('alive');
      }
      for (const [id, items] of Object.entries(expected.evidence ?? {})) {
        const got = report.findings.find((f) => f.id === id);
        expect(got, `${id} must be reported`).toBeDefined();
        for (const item of items) {
          expect(got!.evidence, `evidence of ${id}`).toEqual(expect.arrayContaining([expect.objectContaining(item)]));
        }
      }
      for (const event of expected.events ?? []) {
        expect(report.events).toEqual(expect.arrayContaining([expect.objectContaining(event)]));
      }
    });
  }
});
