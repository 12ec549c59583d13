/** Messages between PgliteHost (main thread) and pglite-worker.ts. Everything here survives structured cloning. */

export type WorkerRequest = { id: number } & (
  | { op: 'boot'; extensions: string[]; dataDir?: Uint8Array }
  | { op: 'exec'; sql: string }
  | { op: 'query'; sql: string }
  | { op: 'dump' }
  | { op: 'close' }
);

export interface BootResult {
  loaded: string[];
  unavailable: string[];
}

export type WorkerResult = BootResult | Record<string, unknown>[] | Uint8Array | undefined;

export type WorkerReply =
  | { id: number; ok: true; result: WorkerResult }
  | { id: number; ok: false; error: { message: string; code?: string } };
