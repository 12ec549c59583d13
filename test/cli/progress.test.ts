import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo, CommandContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { progressLine } from '../../src/cli/progress.js';
import { progressReporter } from '../../src/config/resolve.js';

const CLEAR = '\r\x1b[K';

function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1_000;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

describe('progressLine', () => {
  it('writes at most one update per interval within a step, but every new step and step end at once', () => {
    const writes: string[] = [];
    const clock = fakeClock();
    const progress = progressLine((text) => writes.push(text), 100, clock.now);
    for (let done = 1; done <= 1000; done++) {
      progress('scanning files', done, 1000);
      clock.advance(1); // 1000 updates over one second
    }
    progress('parsing SQL', 0, 400);
    progress('parsing SQL', 200, 400);
    progress('parsing SQL', 400, 400);
    progress('parsing SQL', 400, 400);

    const scanning = writes.filter((w) => w.includes('scanning files'));
    expect(scanning.length).toBeLessThanOrEqual(11);
    expect(scanning[0]).toBe(`${CLEAR}dead-schema: scanning files 1/1000`);
    expect(scanning.at(-1)).toBe(`${CLEAR}dead-schema: scanning files 1000/1000`);
    // The step change shows at once, the next 200 are too soon, the end shows, the repeat is dropped.
    expect(writes.filter((w) => w.includes('parsing SQL'))).toEqual([`${CLEAR}dead-schema: parsing SQL 0/400`, `${CLEAR}dead-schema: parsing SQL 400/400`]);
  });

  it('names the schema steps and clears the line only when one is shown', () => {
    const writes: string[] = [];
    const progress = progressLine((text) => writes.push(text));
    progress.clear();
    expect(writes).toEqual([]);
    progress('migrations', 3, 82);
    progress('introspect', 0, 1);
    progress('introspect', 1, 1);
    progress.clear();
    progress.clear();
    expect(writes).toEqual([`${CLEAR}dead-schema: applying migrations 3/82`, `${CLEAR}dead-schema: reading the catalog…`, CLEAR]);
  });

  it('says embedded Postgres is starting while PGlite boots, before any migration applies', () => {
    const writes: string[] = [];
    const progress = progressLine((text) => writes.push(text));
    progress('boot', 0, 1);
    progress('migrations', 0, 82);
    expect(writes).toEqual([`${CLEAR}dead-schema: starting embedded Postgres…`, `${CLEAR}dead-schema: applying migrations 0/82`]);
  });
});

describe('progressReporter', () => {
  const ctx = (env: NodeJS.ProcessEnv, stderrIsTTY: boolean, quiet = false): CommandContext => ({
    args: [],
    values: quiet ? { quiet: true } : {},
    io: { stdout: async () => undefined, stderr: () => undefined, env, stderrIsTTY, cwd: '.' },
    root: '.',
    config: {},
  });

  it('is silent unless a person watches stderr', () => {
    expect(progressReporter(ctx({}, true))).toBeTypeOf('function');
    expect(progressReporter(ctx({ CI: 'false' }, true))).toBeTypeOf('function');
    expect(progressReporter(ctx({}, false))).toBeUndefined();
    expect(progressReporter(ctx({}, true, true))).toBeUndefined();
    expect(progressReporter(ctx({ CI: 'true' }, true))).toBeUndefined();
    expect(progressReporter(ctx({ TERM: 'dumb' }, true))).toBeUndefined();
  });

  it('shows the long steps of a real audit on a TTY and erases the line before the report', async () => {
    const fixture = path.resolve(import.meta.dirname, '../../fixtures/audit/incident');
    let err = '';
    const order: string[] = [];
    const io: CliIo = {
      stdout: async () => void order.push('stdout'),
      stderr: (text) => {
        err += text;
        order.push('stderr');
      },
      env: {},
      stderrIsTTY: true,
      cwd: process.cwd(),
    };
    await main(['audit', fixture, '--migrations', path.join(fixture, 'migrations'), '--no-cache', '--format', 'json'], io);
    expect(err).toContain('dead-schema: starting embedded Postgres…');
    expect(err).toMatch(/dead-schema: applying migrations \d+\/\d+/);
    expect(err).toMatch(/dead-schema: scanning files \d+\/\d+/);
    expect(err.endsWith(CLEAR)).toBe(true);
    expect(order.at(-1)).toBe('stdout');
  });
});
