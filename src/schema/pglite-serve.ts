import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { ServeResult, UnserveResult } from './pglite-protocol.js';

/**
 * The worker's PGlite over the Postgres wire protocol, so a project's own migration tool can
 * connect to it. It runs in the worker next to the database: the wire bytes go straight into
 * PGlite, and a statement that loops blocks only this thread, which the host can terminate.
 */
let serving: { server: PGLiteSocketServer; connections: number } | undefined;

export async function startServing(db: PGlite, maxConnections: number): Promise<ServeResult> {
  if (serving !== undefined) throw new Error('PGlite is already being served');
  // Loaded here, not at the top: loading migrations from files never needs it.
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  // Port 0: the OS picks a free one, so parallel runs and a local Postgres on 5432 never collide.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  const state = { server, connections: 0 };
  server.addEventListener('connection', () => state.connections++);
  await server.start();
  serving = state;
  return { port: portOf(server.getServerConn()) };
}

/** Closes every client connection and rolls back a transaction one of them left open. */
export async function stopServing(db: PGlite): Promise<UnserveResult> {
  const state = serving;
  serving = undefined;
  if (state === undefined) return { connections: 0 };
  await state.server.stop();
  // stop() detaches clients without waiting for their rollback; introspection must not read
  // the half-applied work of a client that was cut off inside a transaction.
  if (db.isInTransaction()) await db.exec('ROLLBACK');
  return { connections: state.connections };
}

function portOf(conn: string): number {
  const port = Number(conn.slice(conn.lastIndexOf(':') + 1));
  if (!Number.isInteger(port) || port <= 0) throw new Error(`PGlite socket server reported no port (${conn})`);
  return port;
}
