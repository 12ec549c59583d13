import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { ServeResult, UnserveResult } from './pglite-protocol.js';

/**
 * The worker's PGlite over the Postgres wire protocol, so a project's own migration tool can
 * connect to it. It runs in the worker next to the database: the wire bytes go straight into
 * PGlite, and a statement that loops blocks only this thread, which the host can terminate.
 */
let serving: { server: PGLiteSocketServer; connections: number; kick: NodeJS.Timeout } | undefined;

/**
 * How long an open transaction may send nothing while another connection waits. PGlite is one
 * session, so pglite-socket gives an open transaction to the connection that began it and holds
 * every other connection's queries. Migration tools open a transaction on one pooled connection
 * and then query on another and wait for it: Sequelize's addColumn inside
 * `queryInterface.sequelize.transaction` stopped outline/outline at its 129th migration until the
 * time limit. On a server the second query runs beside the transaction; here, once the
 * transaction has been idle this long, it runs inside it. For building a schema the difference
 * does not matter: both sides are the same migration run.
 */
const TRANSACTION_IDLE_MS = 200;

/** The database as the socket server sees it: an idle transaction does not hold other connections. */
function sharedSession(db: PGlite): PGlite {
  let lastActivity = Date.now();
  return new Proxy(db, {
    get(target, property) {
      if (property === 'isInTransaction') return () => target.isInTransaction() && Date.now() - lastActivity < TRANSACTION_IDLE_MS;
      if (property === 'execProtocolRawStream') {
        return async (...args: Parameters<PGlite['execProtocolRawStream']>) => {
          lastActivity = Date.now();
          try {
            return await target.execProtocolRawStream(...args);
          } finally {
            lastActivity = Date.now();
          }
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** pglite-socket's queue, which only runs when a query arrives: a held query needs a nudge once the transaction idles. */
interface QueryQueue {
  processing: boolean;
  getQueueLength(): number;
  processQueue(): Promise<void>;
}

export async function startServing(db: PGlite, maxConnections: number): Promise<ServeResult> {
  if (serving !== undefined) throw new Error('PGlite is already being served');
  // Loaded here, not at the top: loading migrations from files never needs it.
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  // Port 0: the OS picks a free one, so parallel runs and a local Postgres on 5432 never collide.
  const server = new PGLiteSocketServer({ db: sharedSession(db), host: '127.0.0.1', port: 0, maxConnections });
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  const kick = setInterval(() => {
    if (!queue.processing && queue.getQueueLength() > 0) void queue.processQueue().catch(() => undefined);
  }, TRANSACTION_IDLE_MS);
  kick.unref();
  const state = { server, connections: 0, kick };
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
  clearInterval(state.kick);
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
