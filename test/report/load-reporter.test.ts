import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadReporter } from '../../src/report/index.js';
import type { AuditReport } from '../../src/run.js';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dead-schema-reporter-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

// A reporter formats whatever it is given; two findings are enough to see it ran.
const report = { findings: [{ id: 'public.a' }, { id: 'public.b' }] } as unknown as AuditReport;

describe('a reporter module written in TypeScript (--format ./my-reporter.ts)', () => {
  it('loads through jiti, with its own relative .ts import, and writes nothing next to it', async () => {
    const dir = folderWith({
      'count.ts': 'export function count(ids: readonly string[]): string {\n  return `${ids.length} findings: ${ids.join(", ")}`;\n}\n',
      'my-reporter.ts': [
        `import type { AuditReport } from 'dead-schema';`,
        `import { count } from './count.js';`,
        `interface Line { text: string }`,
        `export default function report(r: AuditReport): string {`,
        `  const line: Line = { text: count(r.findings.map((f) => f.id)) };`,
        '  return `${line.text}\\n`;',
        `}`,
        '',
      ].join('\n'),
    });
    const reporter = await loadReporter('./my-reporter.ts', dir);
    expect(reporter(report)).toBe('2 findings: public.a, public.b\n');
    expect(readdirSync(dir).sort()).toEqual(['count.ts', 'my-reporter.ts']);
  });

  it('names the file, line and column of a syntax error on one line', async () => {
    const dir = folderWith({ 'broken.ts': 'export default function (r: unknown): string {\n  return "x" +;\n}\n' });
    const error = (await loadReporter('./broken.ts', dir).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(`reporter module ./broken.ts failed to load: ${path.join(dir, 'broken.ts')}:2:15: syntax error: Unexpected token`);
  });

  it('still says when a .ts module has no default export function', async () => {
    const dir = folderWith({ 'named.ts': 'export const report = (): string => "";\n' });
    await expect(loadReporter('./named.ts', dir)).rejects.toThrow(/^reporter module \.\/named\.ts has no default export function$/);
  });
});
