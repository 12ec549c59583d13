import { UsageError } from '../errors.js';

const PG_VARS = ['PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD'] as const;

/**
 * The database the environment names: DATABASE_URL, else a URL built from the PG* variables
 * libpq reads. PG* count only when PGHOST or PGDATABASE is set: PGUSER or PGPASSWORD alone is
 * a credential lying around (common in CI), not a request to audit a live database.
 */
export function databaseFromEnv(env: NodeJS.ProcessEnv): { url: string; from: string } | undefined {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, from: 'DATABASE_URL' };
  if (!env.PGHOST && !env.PGDATABASE) return undefined;
  const from = PG_VARS.filter((name) => env[name]).join('/');
  const host = env.PGHOST || 'localhost';
  if (host.startsWith('/')) {
    throw new UsageError(`PGHOST=${host} is a Unix socket directory, which dead-schema cannot connect through`, {
      hint: 'set PGHOST to a TCP host (localhost), or DATABASE_URL=postgres://user@localhost:5432/db, or pass --db',
    });
  }
  const port = env.PGPORT;
  if (port && !/^\d+$/.test(port)) throw new UsageError(`PGPORT must be a port number, got "${port}"`);
  // An IPv6 literal needs brackets in a URL; a comma list is postgres.js multi-host syntax.
  const hostPart = host.includes(':') && !host.startsWith('[') && !host.includes(',') ? `[${host}]` : host;
  const user = env.PGUSER ? encodeURIComponent(env.PGUSER) : '';
  const password = env.PGPASSWORD ? `:${encodeURIComponent(env.PGPASSWORD)}` : '';
  const auth = user || password ? `${user}${password}@` : '';
  const database = env.PGDATABASE ? encodeURIComponent(env.PGDATABASE) : '';
  const ssl = env.PGSSLMODE ? `?sslmode=${encodeURIComponent(env.PGSSLMODE)}` : '';
  return { url: `postgres://${auth}${hostPart}${port ? `:${port}` : ''}/${database}${ssl}`, from };
}
