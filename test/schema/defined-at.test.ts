import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSchema } from '../../src/schema/index.js';
import { tempDir } from './helpers.js';

// Guarded DDL as real migrations write it: PL/pgSQL around CREATE and ALTER, and EXECUTE text.
const MIGRATION = `create table accounts (id int primary key);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'invites') THEN
    CREATE TABLE invites (
      id int primary key,
      code text default 'x;y'
    );
    ALTER TABLE accounts ADD COLUMN invited_by int;
  END IF;
  EXECUTE 'CREATE TABLE audit_trail (id int)';
END
$$;
`;

describe('definedAt of objects created inside DO blocks', () => {
  let dir: { dir: string; remove: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(path.join(dir.dir, '001_init.sql'), MIGRATION);
  });
  afterAll(async () => dir.remove());

  it('points at the CREATE or ALTER inside the block, at its own line', async () => {
    const { definedAt } = await loadSchema({ migrations: dir.dir, layout: 'plain', cacheDir: false });
    const file = path.join(dir.dir, '001_init.sql');
    expect(definedAt['public.invites']).toEqual({ file, line: 6 });
    expect(definedAt['public.invites.code']).toEqual({ file, line: 8 });
    expect(definedAt['public.accounts.invited_by']).toEqual({ file, line: 10 });
    expect(definedAt['public.audit_trail']).toEqual({ file, line: 12 });
  });
});
