import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaSourceError } from '../../src/errors.js';
import { loadSchema } from '../../src/schema/index.js';
import { DeadlineError, PgliteHost } from '../../src/schema/pglite-host.js';
import { fixture, tempDir, userRelations } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  work = await tempDir();
});
afterAll(async () => {
  await work.remove();
});

const relative = (name: string) => path.relative(process.cwd(), fixture(name));

describe('the PGlite worker', () => {
  it('terminating it stops a busy WebAssembly loop, and the host refuses later calls', async () => {
    const { host } = await PgliteHost.boot({ extensions: [], limitMs: 60_000 });
    const started = performance.now();
    await expect(host.exec('DO $$ BEGIN LOOP END LOOP; END $$', 500)).rejects.toBeInstanceOf(DeadlineError);
    // terminate() resolves only once the thread has stopped: a loop the interrupt missed hangs here.
    await host.terminate();
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(host.isAlive).toBe(false);
    await expect(host.query('select 1', 1_000)).rejects.toThrow('stopped after 0.5 s');
  });
});

describe('migrations from an untrusted repository', () => {
  it('skips statements past the statement limit, refuses COPY ... PROGRAM and server files, and applies the rest', async () => {
    const { catalog, events, source } = await loadSchema({
      migrations: fixture('hostile'),
      cacheDir: path.join(work.dir, 'cache'),
      migrationTimeouts: { statementSeconds: 1 },
    });
    const file = (name: string) => path.join(relative('hostile'), name);
    expect(events).toEqual([
      expect.objectContaining({ kind: 'migration-timeout', file: file('002_invoices.sql'), line: 10, statement: expect.stringMatching(/^DO \$\$ DECLARE batch/) }),
      expect.objectContaining({ kind: 'statement-refused', file: file('003_export.sql'), line: 2, message: expect.stringMatching(/^COPY \.\.\. TO PROGRAM would run a program/) }),
      expect.objectContaining({ kind: 'statement-refused', file: file('003_export.sql'), line: 3, message: expect.stringMatching(/FROM PROGRAM/) }),
      expect.objectContaining({ kind: 'statement-refused', file: file('003_export.sql'), line: 4, message: expect.stringMatching(/FROM '\/etc\/passwd' would read or write a file/) }),
      expect.objectContaining({ kind: 'migration-timeout', file: file('004_wait_for_replica.sql'), line: 1, statement: 'SELECT pg_sleep(20)' }),
    ]);
    expect(events[0]?.message).toMatch(/^stopped after 1 s, the limit for one statement; .* --statement-timeout SECONDS/);
    expect(userRelations(catalog)).toEqual(['public.accounts', 'public.invoices', 'public.payouts', 'public.refunds']);
    // The whole-file attempt of 002 timed out and was replayed statement by statement: nothing ran twice.
    expect(source).toMatchObject({ statementsApplied: 5, statementsFailed: 2 });
  });

  it('stops with a one-line error naming the statement and the setting when the total limit runs out', async () => {
    const migrations = path.join(work.dir, 'forever');
    await cp(fixture('hostile'), migrations, { recursive: true });
    await writeFile(path.join(migrations, '002_invoices.sql'), 'CREATE TABLE invoices (id int);\n\nDO $$ BEGIN LOOP END LOOP; END $$;\n');
    const error: unknown = await loadSchema({ migrations, cacheDir: false, migrationTimeouts: { totalSeconds: 2 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaSourceError);
    const where = path.relative(process.cwd(), path.join(migrations, '002_invoices.sql'));
    expect((error as SchemaSourceError).message).toBe(`loading the schema took longer than 2 s (stopped at ${where}:1)`);
    expect((error as SchemaSourceError).details.hint).toBe('raise the limit with --migrations-timeout SECONDS or config migrationTimeouts.totalSeconds');
  });
});
