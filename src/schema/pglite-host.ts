import { Worker } from 'node:worker_threads';
import type { BootResult, ServeResult, UnserveResult, WorkerReply, WorkerRequest } from './pglite-protocol.js';
import { pgliteWorkerEntry } from './worker-entry.js';

/** A call that outlived its wall-clock limit; the worker running it was terminated. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(readonly limitMs: number) {
    super(`stopped after ${formatSeconds(limitMs)}`);
  }
}

/** The worker died (a crash inside PGlite, an earlier deadline) before answering. */
export class WorkerGoneError extends Error {
  override readonly name = 'WorkerGoneError';
}

interface Pending {
  resolve: (value: WorkerReply & { ok: true }) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * PGlite in a worker thread, driven from the main thread. Every call takes a wall-clock limit:
 * PGlite runs Postgres single-threaded and ignores statement_timeout, so the only way to stop a
 * statement that loops is to terminate the thread it runs on. A host whose worker was terminated
 * or crashed rejects every later call; boot a new one.
 */
export class PgliteHost {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private gone: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    // An exception PGlite throws outside the awaited promise (a corrupt archive's Z_BUF_ERROR)
    // ends the worker; every pending call fails with it instead of crashing the process.
    worker.on('error', (error) => this.fail(new WorkerGoneError(`PGlite worker crashed: ${error.message}`)));
    worker.on('exit', (code) => this.fail(new WorkerGoneError(`PGlite worker exited (code ${code})`)));
  }

  /** Starts a worker and boots PGlite in it with the named extensions, from a gzipped data directory when given. */
  static async boot(options: { extensions: string[]; dataDir?: Uint8Array; limitMs: number }): Promise<{ host: PgliteHost } & BootResult> {
    const entry = pgliteWorkerEntry();
    const host = new PgliteHost(new Worker(entry.url, { execArgv: entry.execArgv }));
    const request: Request = { op: 'boot', extensions: options.extensions, ...(options.dataDir ? { dataDir: options.dataDir } : {}) };
    try {
      const booted = (await host.call(request, options.limitMs)) as BootResult;
      return { host, ...booted };
    } catch (error) {
      await host.terminate();
      throw error;
    }
  }

  async exec(sql: string, limitMs: number): Promise<void> {
    await this.call({ op: 'exec', sql }, limitMs);
  }

  async query(sql: string, limitMs: number): Promise<Record<string, unknown>[]> {
    return (await this.call({ op: 'query', sql }, limitMs)) as Record<string, unknown>[];
  }

  /** The data directory as an uncompressed tar. */
  async dumpDataDir(limitMs: number): Promise<Uint8Array> {
    return (await this.call({ op: 'dump' }, limitMs)) as Uint8Array;
  }

  /** Listens on 127.0.0.1 at a free port; clients beyond maxConnections are turned away. */
  async serve(maxConnections: number, limitMs: number): Promise<ServeResult> {
    return (await this.call({ op: 'serve', maxConnections }, limitMs)) as ServeResult;
  }

  async unserve(limitMs: number): Promise<UnserveResult> {
    return (await this.call({ op: 'unserve' }, limitMs)) as UnserveResult;
  }

  get isAlive(): boolean {
    return this.gone === undefined;
  }

  async close(): Promise<void> {
    if (this.gone === undefined) await this.call({ op: 'close' }, 5_000).catch(() => undefined);
    await this.terminate();
  }

  async terminate(): Promise<void> {
    this.fail(new WorkerGoneError('PGlite worker stopped'));
    await this.worker.terminate();
  }

  private call(request: Request, limitMs: number): Promise<unknown> {
    if (this.gone !== undefined) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise<WorkerReply & { ok: true }>((resolve, reject) => {
      const timer =
        limitMs === Infinity
          ? undefined
          : setTimeout(() => {
              const error = new DeadlineError(limitMs);
              this.pending.delete(id);
              reject(error);
              // Terminating interrupts even a busy WebAssembly loop; the other calls fail with it.
              this.fail(error);
              void this.worker.terminate();
            }, Math.max(0, limitMs));
      this.pending.set(id, { resolve, reject, timer });
      this.worker.postMessage({ ...request, id } as WorkerRequest);
    }).then((reply) => reply.result);
  }

  private settle(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    clearTimeout(pending.timer);
    if (reply.ok) pending.resolve(reply);
    else pending.reject(Object.assign(new Error(reply.error.message), reply.error.code === undefined ? {} : { code: reply.error.code }));
  }

  private fail(error: Error): void {
    this.gone ??= error;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.reject(error);
    }
  }
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
