import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { HIDE_LOW_ABOVE, isColorWanted, terminalColumns, trimForTerminal } from '../../src/cli/terminal.js';
import type { Finding } from '../../src/match/types.js';
import type { AuditReport } from '../../src/run.js';
import { captured } from '../support/cli-io.js';

const ESC = '\u001b[';

describe('colour decision', () => {
  const wanted = (env: NodeJS.ProcessEnv, stdoutIsTTY: boolean): boolean => isColorWanted({ env, stdoutIsTTY });

  it('follows the terminal when no variable says otherwise', () => {
    expect(wanted({}, true)).toBe(true);
    expect(wanted({}, false)).toBe(false);
    expect(wanted({ TERM: 'dumb' }, true)).toBe(false);
  });

  it('NO_COLOR, when non-empty, wins over FORCE_COLOR and a terminal', () => {
    expect(wanted({ NO_COLOR: '1' }, true)).toBe(false);
    expect(wanted({ NO_COLOR: '1', FORCE_COLOR: '1' }, true)).toBe(false);
    expect(wanted({ NO_COLOR: '' }, true)).toBe(true);
  });

  it('FORCE_COLOR colours a pipe, and 0 or false turns colour off', () => {
    expect(wanted({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(wanted({ FORCE_COLOR: '' }, false)).toBe(true);
    expect(wanted({ FORCE_COLOR: '3', TERM: 'dumb' }, false)).toBe(true);
    expect(wanted({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(wanted({ FORCE_COLOR: 'false' }, true)).toBe(false);
  });

  it('width: the terminal, else COLUMNS, else 80', () => {
    expect(terminalColumns({ env: {}, stdoutIsTTY: true, columns: 132 })).toBe(132);
    expect(terminalColumns({ env: { COLUMNS: '100' }, stdoutIsTTY: false, columns: 132 })).toBe(100);
    expect(terminalColumns({ env: { COLUMNS: 'wide' }, stdoutIsTTY: false })).toBe(80);
    expect(terminalColumns({ env: {}, stdoutIsTTY: true })).toBe(80);
  });
});

describe('hiding low findings on a large audit', () => {
  const finding = (n: number, confidence: 'high' | 'low'): Finding => ({
    kind: 'table', id: `public.t${n}`, verdict: 'unreferenced', confidence, reasons: [], evidence: [], evidenceCount: 0,
  });
  const report = (high: number, low: number): AuditReport =>
    ({ findings: [...Array.from({ length: high }, (_, i) => finding(i, 'high')), ...Array.from({ length: low }, (_, i) => finding(high + i, 'low'))] }) as AuditReport;
  const none = { values: {}, config: {} };

  it(`hides low findings above ${HIDE_LOW_ABOVE} findings, unless a level was asked for`, () => {
    const trimmed = trimForTerminal(report(2, HIDE_LOW_ABOVE), none);
    expect(trimmed.hiddenLow).toBe(HIDE_LOW_ABOVE);
    expect(trimmed.report.findings.map((f) => f.confidence)).toEqual(['high', 'high']);
    expect(trimForTerminal(report(1, HIDE_LOW_ABOVE - 1), none).hiddenLow).toBe(0);
    expect(trimForTerminal(report(HIDE_LOW_ABOVE + 1, 0), none).hiddenLow).toBe(0);
    expect(trimForTerminal(report(2, HIDE_LOW_ABOVE), { values: { 'min-confidence': 'low' }, config: {} }).hiddenLow).toBe(0);
    expect(trimForTerminal(report(2, HIDE_LOW_ABOVE), { values: { all: true }, config: {} }).hiddenLow).toBe(0);
    expect(trimForTerminal(report(2, HIDE_LOW_ABOVE), { values: {}, config: { minConfidence: 'low' } }).hiddenLow).toBe(0);
  });
});

describe('audit output on a terminal', () => {
  let dir: string;
  beforeAll(async () => {
    // 60 wildcard-read columns (low) and one table nothing names (high): over the threshold.
    dir = await mkdtemp(path.join(tmpdir(), 'dead-schema-terminal-'));
    const columns = Array.from({ length: 60 }, (_, i) => `  c${String(i + 1).padStart(2, '0')} text`).join(',\n');
    await mkdir(path.join(dir, 'migrations'));
    await mkdir(path.join(dir, 'src'));
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'wide', private: true, dependencies: { postgres: '^3.4.0' } }));
    await writeFile(path.join(dir, 'migrations/001_init.sql'), `CREATE TABLE wide (\n  id int PRIMARY KEY,\n${columns}\n);\nCREATE TABLE forgotten (id int);\n`);
    await writeFile(path.join(dir, 'src/db.ts'), "import postgres from 'postgres';\nconst sql = postgres();\nexport const rows = () => sql`SELECT * FROM wide`;\n");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (env: NodeJS.ProcessEnv, ...argv: string[]): Promise<string> => {
    const { io, out } = captured(dir, env);
    await main(['audit', '.', '--migrations', 'migrations', '--cache-location', '.cache', '--quiet', ...argv], io);
    return out();
  };

  it('shows high and medium findings by default, says how many low ones are hidden, and keeps colour out of files', async () => {
    const out = await run({ FORCE_COLOR: '1' }, '--output-file', 'report.txt', '--output-file', 'report.json');
    const plain = out.replace(/\u001b\[\d+m/g, '');
    expect(out).toContain(`${ESC}31mhigh${ESC}39m`);
    expect(plain).toContain('\nmigrations/001_init.sql:64  public.forgotten  table  unreferenced  high  no-mentions\n');
    expect(plain).toMatch(/\n(\d+) low-confidence findings hidden; --min-confidence low shows them\n\d+ objects, (\d+) dead: 1 shown \(1 high, 0 medium\), \1 low hidden; /);
    expect(plain).not.toContain('.c01');
    const file = await readFile(path.join(dir, 'report.txt'), 'utf8');
    expect(file).not.toContain(ESC);
    expect(file).toContain('.c01');
    expect(file).not.toContain('hidden');
    const json = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as AuditReport;
    expect(json.findings.filter((f) => f.confidence === 'low').length).toBeGreaterThan(HIDE_LOW_ABOVE);
  });

  it('shows every finding with --min-confidence low, uncoloured in a pipe', async () => {
    const out = await run({}, '--min-confidence', 'low');
    expect(out).not.toContain(ESC);
    expect(out).not.toContain('hidden');
    expect(out).toMatch(/^migrations\/001_init\.sql:\d+ +\.c01 +column +unreferenced +low +wildcard-only$/m);
    expect(out).toMatch(/ 61 dead \(1 high, 0 medium, 60 low\); /);
  });
});
