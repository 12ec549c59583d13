import { SchemaSourceError } from '../errors.js';
import { DeadlineError, formatSeconds, PgliteHost, WorkerGoneError } from './pglite-host.js';

/**
 * Wall-clock limits for loading a schema into PGlite. Measured: the bench corpus's 80 dbmate
 * migrations apply in 0.2 s (slowest file 29 ms), 400 in 0.4 s; a million-row backfill INSERT
 * takes ~2 s and indexing it ~2 s. The defaults leave that several times over and only stop
 * runaway statements (a LOOP with no exit, a long pg_sleep).
 */
export interface LoadLimits {
  /** One statement, or one whole file while it is tried as a single exec. */
  statementMs: number;
  /** Every migration (with the restarts a stopped statement costs) and introspection; boot excluded. */
  totalMs: number;
}

/** Booting is PGlite's own work, not the repository's; this only guards against a hang. */
const BOOT_LIMIT_MS = 120_000;

export const DEFAULT_LIMITS: LoadLimits = { statementMs: 15_000, totalMs: 600_000 };

/** Where the flags and config keys that raise a limit are named, for messages. */
export const LIMIT_SETTINGS = {
  statement: '--statement-timeout SECONDS or config migrationTimeouts.statementSeconds',
  total: '--migrations-timeout SECONDS or config migrationTimeouts.totalSeconds',
};

/** The load's total limit ran out; the caller names what it was doing. */
export class LoadDeadlineError extends Error {
  override readonly name = 'LoadDeadlineError';
  constructor(readonly limitMs: number) {
    super(`loading the schema took longer than ${formatSeconds(limitMs)}`);
  }
}

export type RunOutcome = { ok: true } | { ok: false; error: Error } | { ok: false; timedOut: DeadlineError };

export interface SandboxOptions {
  extensions: string[];
  /** Data directory to start from (a cached gzipped base); kept to boot replacements. */
  dataDir?: Uint8Array | undefined;
  limits: LoadLimits;
}

/**
 * A PGlite worker plus the journal of every statement that changed it. When a statement hits
 * its limit the worker is terminated, a new one boots from the same start and replays the
 * journal, so the load continues as if the statement had failed.
 */
export class Sandbox {
  private readonly journal: string[] = [];
  /** The total limit counts from the end of the first boot. */
  private readonly deadline: number;

  private constructor(
    private host: PgliteHost,
    private readonly options: SandboxOptions,
    readonly loaded: string[],
    readonly unavailable: string[],
  ) {
    this.deadline = Date.now() + options.limits.totalMs;
  }

  static async start(options: SandboxOptions): Promise<Sandbox> {
    const booted = await Sandbox.boot(options, BOOT_LIMIT_MS);
    return new Sandbox(booted.host, options, booted.loaded, booted.unavailable);
  }

  private static async boot(options: SandboxOptions, limitMs: number): Promise<Awaited<ReturnType<typeof PgliteHost.boot>>> {
    try {
      return await PgliteHost.boot({ extensions: options.extensions, ...(options.dataDir ? { dataDir: options.dataDir } : {}), limitMs });
    } catch (error) {
      if (error instanceof DeadlineError && limitMs < BOOT_LIMIT_MS) throw new LoadDeadlineError(options.limits.totalMs);
      if (error instanceof DeadlineError) throw new SchemaSourceError(`the embedded Postgres (PGlite) did not start within ${formatSeconds(limitMs)}`);
      throw error;
    }
  }

  remainingMs(): number {
    return this.deadline - Date.now();
  }

  /** Runs one exec under the statement limit; a success joins the journal. Throws LoadDeadlineError. */
  async run(sql: string): Promise<RunOutcome> {
    const remaining = this.remainingMs();
    if (remaining <= 0) throw new LoadDeadlineError(this.options.limits.totalMs);
    const limit = Math.min(this.options.limits.statementMs, remaining);
    try {
      await this.host.exec(sql, limit);
      this.journal.push(sql);
      return { ok: true };
    } catch (error) {
      if (error instanceof DeadlineError) {
        if (limit < this.options.limits.statementMs) throw new LoadDeadlineError(this.options.limits.totalMs);
        await this.restart();
        return { ok: false, timedOut: error };
      }
      // A statement that crashes PGlite itself took the worker with it; the load goes on without it.
      if (error instanceof WorkerGoneError) await this.restart();
      return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  /** Introspection and other reads: bounded by what is left of the total limit. */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    const remaining = this.remainingMs();
    if (remaining <= 0) throw new LoadDeadlineError(this.options.limits.totalMs);
    try {
      return await this.host.query(sql, remaining);
    } catch (error) {
      throw error instanceof DeadlineError ? new LoadDeadlineError(this.options.limits.totalMs) : error;
    }
  }

  /** The data directory as a tar, or undefined when it cannot be had within a minute (caching is best effort). */
  async dumpDataDir(): Promise<Uint8Array | undefined> {
    return this.host.dumpDataDir(60_000).catch(() => undefined);
  }

  /**
   * Serves the database over the Postgres wire protocol on 127.0.0.1. What clients run there
   * bypasses the journal, so a later statement timeout would replay without it: a served
   * database is only read back, never given to run().
   */
  async serve(maxConnections: number): Promise<{ port: number }> {
    return this.host.serve(maxConnections, BOOT_LIMIT_MS);
  }

  /** Closes the clients. A worker still busy with one's statement at limitMs is terminated (DeadlineError). */
  async unserve(limitMs: number): Promise<{ connections: number }> {
    return this.host.unserve(limitMs);
  }

  async close(): Promise<void> {
    await this.host.close();
  }

  private async restart(): Promise<void> {
    await this.host.terminate();
    this.host = (await Sandbox.boot(this.options, Math.min(BOOT_LIMIT_MS, this.remainingMs()))).host;
    // Without a cached base every restart would run initdb again; a snapshot of the fresh
    // directory (an uncompressed tar, ~40 MB) makes the next ones as fast as a cached start.
    if (this.options.dataDir === undefined) this.options.dataDir = await this.host.dumpDataDir(BOOT_LIMIT_MS).catch(() => undefined);
    for (const sql of this.journal) {
      const remaining = this.remainingMs();
      if (remaining <= 0) throw new LoadDeadlineError(this.options.limits.totalMs);
      try {
        await this.host.exec(sql, remaining);
      } catch (error) {
        if (error instanceof DeadlineError) throw new LoadDeadlineError(this.options.limits.totalMs);
        // It applied before, so it applies again unless it depends on time or chance; the
        // schema is then as close as replay can make it, which is what the load reports anyway.
      }
    }
  }
}

/** The one-line error (exit 2) for a load that ran out of time, naming where it was. */
export function loadDeadlineMessage(error: LoadDeadlineError, where: string): SchemaSourceError {
  return new SchemaSourceError(`${error.message} (stopped at ${where})`, {
    hint: `raise the limit with ${LIMIT_SETTINGS.total}`,
    cause: error,
  });
}
