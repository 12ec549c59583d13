import { userInfo } from 'node:os';
import pg from 'pg';
import { SchemaSourceError, messageOf } from '../../errors.js';
import { describeHost, parseDatabaseUrl, redactUrl, type ConnectionTarget, type HostPort, type SslMode } from './url.js';

/** How long the tool waits; every one also bounds a hostile or broken server. */
export interface SessionLimits {
  /** All connection attempts together (every host of a multi-host URL, SSL and plain). */
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  connectTimeoutMs: 10_000,
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 5_000,
  idleInTransactionTimeoutMs: 60_000,
};

export interface LiveSessionOptions {
  /**
   * PGUSER / PGPASSWORD / PGDATABASE may fill what the URL leaves out only when the user named
   * the host (a flag, DATABASE_URL, PG*); never for a URL a repository's config file supplies.
   */
  trustEnvCredentials?: boolean;
  /** Send the password in clear text when the server asks for it (refused by default). */
  allowCleartextPassword?: boolean;
  limits?: Partial<SessionLimits>;
  env?: NodeJS.ProcessEnv;
}

/** Runs one statement inside the read-only transaction and returns its rows. */
export type SessionQuery = (sql: string) => Promise<unknown[]>;

/**
 * The statements this module sends around the caller's own: the transaction is REPEATABLE READ
 * so every catalog query sees one snapshot, and it is rolled back because nothing is to be kept.
 */
export const BEGIN_STATEMENT = 'BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY';
export const END_STATEMENT = 'ROLLBACK';

/**
 * Startup parameters: they apply before the first statement and win over ALTER DATABASE /
 * ALTER ROLE settings, so a database owner cannot put a schema of theirs ahead of pg_catalog or
 * make the session writable; nothing in the URL reaches them (issue 9).
 */
function startupSettings(limits: SessionLimits): pg.ClientConfig {
  return {
    options: '-c search_path=pg_catalog -c default_transaction_read_only=on',
    statement_timeout: limits.statementTimeoutMs,
    lock_timeout: limits.lockTimeoutMs,
    idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
    application_name: 'dead-schema',
    client_encoding: 'UTF8',
    // A server that stops answering mid-query (network gone) is not bounded by statement_timeout.
    query_timeout: limits.statementTimeoutMs + 10_000,
    keepAlive: true,
  };
}

/**
 * Runs `fn` inside a READ ONLY transaction on one connection. The session is read-only from its
 * first statement, and the only statements sent are BEGIN_STATEMENT, what `fn` runs, and
 * END_STATEMENT: pg issues no queries of its own (no type fetch, no session probe, no retries).
 */
export async function withReadOnlySession<T>(url: string, fn: (query: SessionQuery) => Promise<T>, options: LiveSessionOptions = {}): Promise<T> {
  const target = parseDatabaseUrl(url);
  const limits = { ...DEFAULT_SESSION_LIMITS, ...options.limits };
  const client = await connect(target, url, limits, options);
  // An error on an idle client (server shutdown, terminated backend) is emitted, not thrown:
  // without a listener it would crash the process with a stack trace.
  client.on('error', () => undefined);
  // One connection runs one statement at a time, though callers may fire several at once;
  // after a failure the transaction is aborted, so what is still queued is not sent.
  let previous: Promise<unknown> = Promise.resolve();
  let failed = false;
  const serial = (sql: string, always = false): Promise<unknown[]> => {
    const result = previous.then(async () => {
      if (failed && !always) throw new Error('not sent: an earlier statement failed');
      return (await client.query(sql)).rows as unknown[];
    });
    previous = result.catch(() => {
      failed = true;
    });
    return result;
  };
  try {
    await serial(BEGIN_STATEMENT);
    return await fn((sql) => serial(sql));
  } catch (error) {
    throw sessionError(url, error);
  } finally {
    await serial(END_STATEMENT, true).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

async function connect(target: ConnectionTarget, url: string, limits: SessionLimits, options: LiveSessionOptions): Promise<pg.Client> {
  const env = options.env ?? process.env;
  const trustEnv = options.trustEnvCredentials ?? true;
  const user = target.user ?? (trustEnv ? env.PGUSER : undefined) ?? osUser();
  const credentials: Credentials = {
    user,
    password: target.password ?? (trustEnv ? env.PGPASSWORD : undefined),
    database: target.database ?? (trustEnv ? env.PGDATABASE : undefined) ?? user,
    passwordWithheld: target.password === undefined && !trustEnv && env.PGPASSWORD !== undefined,
    allowCleartext: options.allowCleartextPassword === true,
  };
  const deadline = Date.now() + limits.connectTimeoutMs;
  const failures: string[] = [];
  for (const host of target.hosts) {
    for (const ssl of sslAttempts(target.sslMode ?? 'prefer')) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        failures.push(`${describeHost(host)}: no time left within the ${limits.connectTimeoutMs / 1000} s connect timeout`);
        break;
      }
      try {
        return await connectOnce(host, ssl, credentials, limits, remaining);
      } catch (error) {
        if (error instanceof SchemaSourceError) throw error;
        const reason = connectFailure(error, remaining);
        failures.push(`${describeHost(host)}: ${reason}`);
        // prefer / allow: only a failure of SSL itself (refused, or a broken handshake) is worth
        // the other attempt; a refused connection or a bad password would fail it the same way.
        if (!/SSL/i.test(messageOf(error))) break;
      }
    }
  }
  throw new SchemaSourceError(`cannot connect to ${redactUrl(url)}: ${failures.join('; ')}`, {
    reason: failures.join('; '),
    hint: 'check the URL, or read the schema from --migrations or --schema instead',
  });
}

interface Credentials {
  user: string;
  password: string | undefined;
  database: string;
  /** PGPASSWORD exists but this host was named by a config file, so it is not sent. */
  passwordWithheld: boolean;
  allowCleartext: boolean;
}

async function connectOnce(host: HostPort, ssl: pg.ClientConfig['ssl'], credentials: Credentials, limits: SessionLimits, timeoutMs: number): Promise<pg.Client> {
  let cleartextRequested = false;
  const client = new pg.Client({
    ...startupSettings(limits),
    host: host.host,
    port: host.port,
    user: credentials.user,
    database: credentials.database,
    ssl,
    connectionTimeoutMillis: timeoutMs,
    // A function, so pg never falls back to PGPASSWORD or ~/.pgpass, and so a cleartext request
    // is refused before the password leaves this process.
    password: () => {
      const where = describeHost(host);
      if (cleartextRequested && !credentials.allowCleartext) {
        throw new SchemaSourceError(`${where} asked for the password in clear text; dead-schema refused to send it`, {
          hint: 'configure the server for scram-sha-256, or pass --allow-cleartext-password if this host is trusted',
        });
      }
      if (credentials.password !== undefined) return credentials.password;
      throw new SchemaSourceError(`${where} asks for a password and none was given`, {
        hint: credentials.passwordWithheld
          ? 'PGPASSWORD is not sent to a host named by a config file; pass --db or set DATABASE_URL to name the host yourself'
          : 'put it in the URL (postgres://user:password@host/db) or in PGPASSWORD',
      });
    },
  });
  // Prepended so the flag is set before pg asks for the password in its own listener.
  client.connection.prependListener('authenticationCleartextPassword', () => {
    cleartextRequested = true;
  });
  client.on('error', () => undefined);
  // pg's own timer covers the socket and startup; this one also covers a server that accepts
  // the connection and then says nothing, whatever pg does.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectTimeout(timeoutMs)), timeoutMs + 250);
  });
  try {
    await Promise.race([client.connect(), timeout]);
    return client;
  } catch (error) {
    client.connection.stream.destroy();
    await client.end().catch(() => undefined);
    const cause = (error as { cause?: unknown }).cause;
    throw cause instanceof SchemaSourceError ? cause : error;
  } finally {
    clearTimeout(timer);
  }
}

class ConnectTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms / 1000} s`);
  }
}

/** libpq's order of attempts per sslmode; `require` and above never fall back to plain text. */
function sslAttempts(mode: SslMode): pg.ClientConfig['ssl'][] {
  const unverified = { rejectUnauthorized: false };
  switch (mode) {
    case 'disable':
      return [false];
    case 'allow':
      return [false, unverified];
    case 'prefer':
      return [unverified, false];
    case 'require':
      return [unverified];
    case 'verify-ca':
      return [{ rejectUnauthorized: true, checkServerIdentity: () => undefined }];
    case 'verify-full':
      return [{ rejectUnauthorized: true }];
  }
}

function connectFailure(error: unknown, timeoutMs: number): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  const message = oneLine(messageOf(error));
  if (/timeout/i.test(message) || error instanceof ConnectTimeout) return `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
  if (/terminated unexpectedly|ended unexpectedly|unexpected message|ECONNRESET/i.test(message)) {
    return `the server closed the connection during startup (is this a PostgreSQL port?): ${message}`;
  }
  return message;
}

/** One line for anything that went wrong after connecting: a server error keeps its SQLSTATE. */
function sessionError(url: string, error: unknown): SchemaSourceError {
  if (error instanceof SchemaSourceError) return error;
  const code = (error as { code?: unknown }).code;
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const message = oneLine(messageOf(error));
  return new SchemaSourceError(`cannot read the schema of ${redactUrl(url)}: ${message}${sqlState ? ` (SQLSTATE ${sqlState})` : ''}`, {
    reason: message,
    ...(sqlState && HINTS[sqlState] ? { hint: HINTS[sqlState] } : {}),
    cause: error,
  });
}

const HINTS: Record<string, string> = {
  '57014': 'a catalog query was cancelled or ran past the statement timeout; retry when the server is less busy',
  '55P03': 'another session holds a lock on a catalog table; retry when it is done',
  '40001': 'a hot-standby conflict cancelled the read; retry, or read the primary',
  '57P01': 'the server ended the session (shutdown or pg_terminate_backend); retry',
  '25006': 'a statement tried to write in the read-only session; please report this as a dead-schema bug',
};

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

function oneLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
