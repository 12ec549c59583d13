import { describe, expect, it } from 'vitest';
import { scanTypeScript } from '../../src/scan/typescript.js';
import rule from './index.js';

function ownedRefs(text: string) {
  const scan = scanTypeScript('src/auth.ts', text, false, { interestingNames: new Set(), rules: [rule], packages: new Set(['better-auth']) });
  return scan.libraryRefs.map(({ ref }) => ref).filter((ref) => ref.kind === 'use' && ref.role === 'read');
}

describe('better-auth rule', () => {
  it('owns the core tables and the plugins imported from better-auth, with usePlural', () => {
    const refs = ownedRefs(
      [
        "import { betterAuth } from 'better-auth';",
        "import { admin, organization as orgs } from 'better-auth/plugins';",
        "import { passkey } from './my-passkey';",
        "export const auth = betterAuth({ database: drizzleAdapter(db, { provider: 'pg', usePlural: true }), plugins: [admin(), orgs(), passkey()] });",
      ].join('\n'),
    );
    const owners = new Set(refs.map((ref) => (ref.kind === 'use' ? ref.owned : undefined)));
    expect([...owners].sort()).toEqual(['better-auth admin()', 'better-auth core', 'better-auth organization()']);
    const banned = refs.find((ref) => ref.kind === 'use' && ref.name === 'banned');
    expect(banned?.kind === 'use' && banned.relations[0]).toEqual({ table: 'users' });
  });

  it('honours modelName and fields, and ignores a betterAuth that is not the library', () => {
    const refs = ownedRefs(
      [
        "import { betterAuth } from 'better-auth';",
        "betterAuth({ session: { modelName: 'auth_sessions', fields: { expiresAt: 'expires' } } });",
      ].join('\n'),
    );
    const expires = refs.find((ref) => ref.kind === 'use' && ref.name === 'expires');
    expect(expires?.kind === 'use' && expires.relations).toEqual([{ table: 'auth_sessions' }]);
    expect(ownedRefs("import { betterAuth } from './auth';\nbetterAuth({});")).toEqual([]);
  });
});
