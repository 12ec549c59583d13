import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** A database of its own on the DATABASE_URL server, set up by `setup` and dropped by `drop()`. */
export interface ThrowawayDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createThrowawayDatabase(
  adminUrl: string,
  prefix: string,
  setup: (sql: postgres.Sql) => Promise<void>,
): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const target = new URL(adminUrl);
  target.pathname = `/${name}`;
  const url = target.toString();
  const session = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await setup(session);
  } finally {
    await session.end();
  }
  return {
    name,
    url,
    async drop() {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
