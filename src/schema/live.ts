import postgres from 'postgres';
import type { Catalog } from '../catalog.js';
import { SchemaSourceError, messageOf } from '../errors.js';
import { introspect } from './introspect.js';

/** The URL without its password (and without a `password` query parameter), for messages and reports. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.searchParams.delete('password');
    return parsed.toString();
  } catch {
    return '<unparseable database URL>';
  }
}

/**
 * Runs `fn` inside a READ ONLY transaction on one connection: the server itself rejects any
 * write, so nothing the tool does (or a bug in it) can change the audited database.
 */
export async function withReadOnlySession<T>(url: string, fn: (sql: postgres.TransactionSql) => Promise<T>): Promise<T> {
  const location = redactUrl(url);
  const fail = (error: unknown): SchemaSourceError =>
    new SchemaSourceError(`cannot connect to ${location}: ${reasonOf(error)}`, {
      reason: reasonOf(error),
      hint: 'check DATABASE_URL, or read the schema from --migrations or --schema instead',
      cause: error,
    });
  let sql: postgres.Sql;
  try {
    sql = postgres(url, { max: 1, connect_timeout: 10, idle_timeout: 5, onnotice: () => {} });
  } catch (error) {
    throw fail(error);
  }
  let connected = false;
  try {
    const result = await sql.begin('READ ONLY', async (tx) => {
      connected = true;
      await tx.unsafe(`SET LOCAL statement_timeout = '30s'`);
      return fn(tx);
    });
    return result as T;
  } catch (error) {
    if (connected) throw error;
    throw fail(error);
  } finally {
    await sql.end({ timeout: 5 }).catch(() => undefined);
  }
}

export async function introspectDatabase(url: string): Promise<Catalog> {
  try {
    return await withReadOnlySession(url, (tx) => introspect(async (query) => [...(await tx.unsafe(query))]));
  } catch (error) {
    if (error instanceof SchemaSourceError) throw error;
    throw new SchemaSourceError(`cannot read the schema of ${redactUrl(url)}: ${oneLine(messageOf(error))}`, { cause: error });
  }
}

/** A short cause: the socket error code (ECONNREFUSED, ENOTFOUND...) or the server's message. */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[A-Z_]+$/.test(code) && code !== 'ERR_POSTGRES_SERVER_ERROR') return code;
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  return oneLine(messageOf(error));
}

function oneLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
