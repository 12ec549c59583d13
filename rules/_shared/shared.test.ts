import { describe, expect, it } from 'vitest';
import { scanTypeScript } from '../../src/scan/typescript.js';
import type { Rule, RuleRef } from '../../src/rules/types.js';
import authDrizzle from '../auth-drizzle-adapter/index.js';
import authPg from '../auth-pg-adapter/index.js';
import authPrisma from '../auth-prisma-adapter/index.js';
import authTypeorm from '../auth-typeorm-adapter/index.js';
import luciaPostgres from '../lucia-auth-adapter-postgresql/index.js';
import { prismaModels } from './orm-models.js';
import { qualifiedTable } from './owned.js';

function refs(rule: Rule, text: string): RuleRef[] {
  const scan = scanTypeScript('src/auth.ts', text, false, { interestingNames: new Set(), rules: [rule], packages: new Set(rule.enablers) });
  return scan.libraryRefs.map(({ ref }) => ref);
}

const owned = (list: RuleRef[]) => list.filter((ref): ref is Extract<RuleRef, { kind: 'use' }> => ref.kind === 'use' && ref.owned !== undefined);

describe('adapter packs', () => {
  it('trigger only at the library export, under any local name, namespace or require', () => {
    expect(owned(refs(authPg, "import Adapter from '@auth/pg-adapter';\nAdapter(pool);")).length).toBeGreaterThan(0);
    expect(owned(refs(authPg, "const PostgresAdapter = require('@auth/pg-adapter');\nPostgresAdapter(pool);")).length).toBeGreaterThan(0);
    expect(owned(refs(authPrisma, "import * as a from '@auth/prisma-adapter';\na.PrismaAdapter(prisma);")).length).toBeGreaterThan(0);
    expect(owned(refs(authPrisma, "import { PrismaAdapter as PA } from '@next-auth/prisma-adapter';\nPA(prisma);"))[0]?.owned).toBe('@next-auth/prisma-adapter');
    // A same-named local function, or the export of another package, is not the adapter.
    expect(owned(refs(authPg, "import { x } from '@auth/pg-adapter';\nfunction PostgresAdapter(p) { return p; }\nPostgresAdapter(pool);"))).toEqual([]);
    expect(owned(refs(authPrisma, "import { PrismaAdapter } from '@lucia-auth/adapter-prisma';\nPrismaAdapter(prisma);"))).toEqual([]);
  });

  it('names Drizzle tables by variable, keeps defaults for absent keys and skips tables it cannot see', () => {
    const list = refs(
      authDrizzle,
      [
        "import { DrizzleAdapter } from '@auth/drizzle-adapter';",
        "import * as schema from './schema';",
        'DrizzleAdapter(db, { usersTable: schema.users, accountsTable: makeAccounts() });',
      ].join('\n'),
    );
    const relations = new Set(owned(list).map((ref) => JSON.stringify(ref.relations)));
    expect(relations).toContain(JSON.stringify([{ model: 'users' }]));
    expect(relations).toContain(JSON.stringify([{ table: 'session' }]));
    expect([...relations].some((r) => r.includes('account'))).toBe(false);
    expect(list.some((ref) => ref.kind === 'wildcard' && 'model' in ref.relation && ref.relation.model === 'users')).toBe(true);
    expect(list.some((ref) => ref.kind === 'wildcard' && 'table' in ref.relation)).toBe(false);
  });

  it('reads TypeORM entities from an object or a namespace import', () => {
    const fromObject = owned(refs(authTypeorm, "import { TypeORMAdapter } from '@auth/typeorm-adapter';\nimport { Member } from './entities';\nTypeORMAdapter(url, { entities: { UserEntity: Member } });"));
    expect(new Set(fromObject.map((ref) => JSON.stringify(ref.relations)))).toEqual(
      new Set([[{ model: 'Member' }], [{ table: 'accounts' }], [{ table: 'sessions' }], [{ table: 'verification_tokens' }]].map((r) => JSON.stringify(r))),
    );
    const legacy = owned(refs(authTypeorm, "import { TypeORMLegacyAdapter } from '@next-auth/typeorm-legacy-adapter';\nimport * as entities from './entities';\nTypeORMLegacyAdapter(url, { entities });"));
    expect(new Set(legacy.map((ref) => JSON.stringify(ref.relations)))).toContain(JSON.stringify([{ model: 'SessionEntity' }]));
  });

  it('reads Lucia table names and the attributes the app takes from the rows', () => {
    const list = refs(
      luciaPostgres,
      [
        "import { Lucia } from 'lucia';",
        "import { NodePostgresAdapter } from '@lucia-auth/adapter-postgresql';",
        "const adapter = new NodePostgresAdapter(pool, { user: 'auth.users', session: 'user_session' });",
        'export const lucia = new Lucia(adapter, { getUserAttributes: ({ email, github_id: githubId }) => ({ email, githubId }), getSessionAttributes: (a) => ({ c: a.country }) });',
      ].join('\n'),
    );
    const expiresAt = owned(list).find((ref) => ref.name === 'expires_at');
    expect(expiresAt?.relations).toEqual([{ table: 'user_session' }]);
    const reads = list.filter((ref) => ref.kind === 'use' && ref.owned === undefined).map((ref) => ref.kind === 'use' && [ref.relations[0], ref.name]);
    expect(reads).toEqual([
      [{ schema: 'auth', table: 'users' }, 'email'],
      [{ schema: 'auth', table: 'users' }, 'github_id'],
      [{ table: 'user_session' }, 'country'],
    ]);
  });

  it('declares only the asked Prisma models, with their scalar fields', () => {
    const text = 'model User {\n  id String @id\n  emailVerified DateTime? @map("email_verified")\n  posts Post[]\n  @@map("users")\n}\nmodel Post {\n  id Int @id\n}\n';
    const declared = prismaModels(text, new Set(['User']));
    expect(declared.filter((ref) => ref.kind === 'model').map((ref) => ref.kind === 'model' && ref.tables)).toEqual([['users']]);
    expect(declared.filter((ref) => ref.kind === 'field').map((ref) => ref.kind === 'field' && [ref.field, ref.column])).toEqual([
      ['id', 'id'],
      ['emailVerified', 'email_verified'],
    ]);
    expect(qualifiedTable('auth.sessions')).toEqual({ schema: 'auth', table: 'sessions' });
    expect(qualifiedTable('sessions')).toEqual({ table: 'sessions' });
  });
});
