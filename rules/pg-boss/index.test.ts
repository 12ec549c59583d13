import { describe, expect, it } from 'vitest';
import { scanTypeScript } from '../../src/scan/typescript.js';
import rule from './index.js';

/** The schemas the owned references name, and how many constructors they came from. */
function ownedSchemas(text: string, file = 'src/queue.ts') {
  const scan = scanTypeScript(file, text, false, { interestingNames: new Set(), rules: [rule], packages: new Set(['pg-boss']) });
  const refs = scan.libraryRefs.map(({ ref }) => ref).filter((ref) => ref.kind === 'use' && ref.name === undefined && ref.role === 'read');
  const schemas = refs.flatMap((ref) => (ref.kind === 'use' ? ref.relations.map((r) => ('schema' in r ? r.schema : undefined)) : []));
  return { schemas: [...new Set(schemas)], tables: new Set(refs.flatMap((ref) => (ref.kind === 'use' ? ref.relations.map((r) => ('table' in r ? r.table : '')) : []))) };
}

describe('pg-boss rule', () => {
  it('owns the default schema at new PgBoss(connectionString), named (v12) or default (v11) import', () => {
    const named = ownedSchemas("import { PgBoss } from 'pg-boss';\nexport const boss = new PgBoss(process.env.DATABASE_URL!);");
    expect(named.schemas).toEqual(['pgboss']);
    expect([...named.tables]).toEqual(expect.arrayContaining(['job', 'queue', 'schedule', 'subscription', 'version', 'job_dependency']));
    expect(ownedSchemas("import PgBoss from 'pg-boss';\nnew PgBoss({ connectionString: 'postgres://x' });").schemas).toEqual(['pgboss']);
    expect(ownedSchemas("import * as pgBoss from 'pg-boss';\nnew pgBoss.PgBoss('postgres://x');").schemas).toEqual(['pgboss']);
  });

  it('reads the schema option as pg-boss resolves it (bare names fold to lower case, quoted ones do not)', () => {
    expect(ownedSchemas("import { PgBoss as Boss } from 'pg-boss';\nnew Boss({ connectionString: url, schema: 'Jobs' });").schemas).toEqual(['jobs']);
    expect(ownedSchemas("import { PgBoss } from 'pg-boss';\nnew PgBoss({ schema: '\"Queue-Store\"' });").schemas).toEqual(['Queue-Store']);
    const viaConst = "const { PgBoss } = require('pg-boss');\nconst options = { connectionString: url, schema: process.env.BOSS_SCHEMA ?? 'background' };\nnew PgBoss(options);";
    expect(ownedSchemas(viaConst, 'src/queue.js').schemas).toEqual(['background']);
    expect(ownedSchemas("const PgBoss = require('pg-boss');\nconst boss = new PgBoss({ schema: SCHEMA_FROM_ELSEWHERE });", 'src/queue.js').schemas).toEqual(['pgboss']);
  });

  it('ignores a PgBoss that is not the library', () => {
    expect(ownedSchemas("import { PgBoss } from './fake-boss';\n// pg-boss lookalike\nnew PgBoss('postgres://x');").schemas).toEqual([]);
  });
});

describe('pg-boss rule: ESM from CommonJS', () => {
  it('follows await import() inside a function', () => {
    const text = "async function start() {\n  const { PgBoss } = await import('pg-boss');\n  return new PgBoss({ schema: 'worker' });\n}";
    expect(ownedSchemas(text, 'src/queue.cjs').schemas).toEqual(['worker']);
  });
});
