/** Messages between PgliteHost (main thread) and pglite-worker.ts. Everything here survives structured cloning. */

export type WorkerRequest = { id: number } & (
  | { op: 'boot'; extensions: string[]; dataDir?: Uint8Array }
  | { op: 'exec'; sql: string }
  | { op: 'query'; sql: string }
  | { op: 'dump' }
  | { op: 'serve'; maxConnections: number }
  | { op: 'unserve' }
  | { op: 'close' }
);

export interface BootResult {
  loaded: string[];
  unavailable: string[];
}

/** The database listens on 127.0.0.1 (Postgres wire protocol) at this port. */
export interface ServeResult {
  port: number;
}

/** Client connections accepted while serving: zero means the command never reached this database. */
export interface UnserveResult {
  connections: number;
}

export type WorkerResult = BootResult | ServeResult | UnserveResult | Record<string, unknown>[] | Uint8Array | undefined;

export type WorkerReply =
  | { id: number; ok: true; result: WorkerResult }
  | { id: number; ok: false; error: { message: string; code?: string } };
