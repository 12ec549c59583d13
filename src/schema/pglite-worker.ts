import { parentPort } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { resolveExtensions } from './extensions.js';
import type { WorkerReply, WorkerRequest, WorkerResult } from './pglite-protocol.js';
import { startServing, stopServing } from './pglite-serve.js';

/**
 * The embedded Postgres of one load, in a thread of its own: a migration that loops forever
 * keeps this thread busy, never the main one, which terminates it at its deadline
 * (PGlite ignores statement_timeout). See src/schema/pglite-host.ts.
 */
let db: PGlite | undefined;

async function handle(request: WorkerRequest): Promise<WorkerResult> {
  switch (request.op) {
    case 'boot': {
      // Extension objects hold functions and cannot be posted, so they are resolved here by name.
      const resolved = await resolveExtensions(request.extensions);
      const dataDir =
        request.dataDir === undefined
          ? undefined
          : // The type tells PGlite to gunzip before untarring; cached archives are gzipped, a restart's snapshot is not.
            new Blob([request.dataDir], { type: isGzip(request.dataDir) ? 'application/x-gzip' : 'application/x-tar' });
      db = await PGlite.create(dataDir === undefined ? { extensions: resolved.extensions } : { extensions: resolved.extensions, loadDataDir: dataDir });
      return { loaded: resolved.loaded, unavailable: resolved.unavailable };
    }
    case 'exec':
      await open().exec(request.sql);
      return undefined;
    case 'query':
      return (await open().query<Record<string, unknown>>(request.sql)).rows;
    case 'dump': {
      const tar = await open().dumpDataDir('none');
      return new Uint8Array(await tar.arrayBuffer());
    }
    case 'serve':
      return startServing(open(), request.maxConnections);
    case 'unserve':
      return stopServing(open());
    case 'close':
      if (db !== undefined) await stopServing(db);
      await db?.close();
      db = undefined;
      return undefined;
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function open(): PGlite {
  if (db === undefined) throw new Error('PGlite worker used before boot');
  return db;
}

parentPort?.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (result) => {
      const transfer = result instanceof Uint8Array ? [result.buffer as ArrayBuffer] : [];
      parentPort?.postMessage({ id: request.id, ok: true, result } satisfies WorkerReply, transfer);
    },
    (error: unknown) => {
      const { message, code } = error as { message?: unknown; code?: unknown };
      parentPort?.postMessage({
        id: request.id,
        ok: false,
        error: {
          message: typeof message === 'string' ? message : String(error),
          ...(typeof code === 'string' ? { code } : {}),
        },
      } satisfies WorkerReply);
    },
  );
});
