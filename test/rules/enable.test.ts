import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { PackageDependencies, packageOfSpecifier } from '../../src/rules/enable.js';
import { importedPackages } from '../../src/rules/imported-packages.js';

describe('rule enabling', () => {
  it('reduces import specifiers to package names', () => {
    expect(packageOfSpecifier('drizzle-orm/pg-core')).toBe('drizzle-orm');
    expect(packageOfSpecifier('@prisma/client/runtime/library')).toBe('@prisma/client');
    expect(packageOfSpecifier('./db.js')).toBeUndefined();
    expect(packageOfSpecifier('node:fs')).toBeUndefined();
  });

  it('finds imports, re-exports and top-level requires', () => {
    const source = ts.createSourceFile(
      'a.ts',
      [
        "import { Kysely } from 'kysely';",
        "export * from 'drizzle-orm/pg-core';",
        "const knex = require('knex')({ client: 'pg' });",
        "const { Pool } = await import('pg');",
        "import local from './local.js';",
      ].join('\n'),
      ts.ScriptTarget.Latest,
      true,
    );
    expect([...importedPackages(source)].sort()).toEqual(['drizzle-orm', 'knex', 'kysely', 'pg']);
  });

  it('gives each workspace package its own dependencies and reports a broken package.json', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dead-schema-enable-'));
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ workspaces: ['packages/*'], devDependencies: { vitest: '*' } }));
    mkdirSync(path.join(root, 'packages/api/src/deep'), { recursive: true });
    writeFileSync(path.join(root, 'packages/api/package.json'), JSON.stringify({ dependencies: { knex: '*' }, peerDependencies: { pg: '*' } }));
    mkdirSync(path.join(root, 'packages/broken/src'), { recursive: true });
    writeFileSync(path.join(root, 'packages/broken/package.json'), '{ "dependencies": ');
    const deps = new PackageDependencies(root);
    expect([...deps.forFile('packages/api/src/deep/users.ts')].sort()).toEqual(['knex', 'pg']);
    expect([...deps.forFile('scripts/seed.ts')]).toEqual(['vitest']);
    expect([...deps.forFile('packages/broken/src/a.ts')]).toEqual([]);
    expect(deps.events).toEqual([expect.objectContaining({ kind: 'package-json-invalid', file: 'packages/broken/package.json' })]);
  });

  it('passes a workspace package\'s libraries on to the packages that depend on it, through chains and cycles', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dead-schema-workspace-'));
    const manifest = (dir: string, json: Record<string, unknown>): void => {
      mkdirSync(path.join(root, dir), { recursive: true });
      writeFileSync(path.join(root, dir, 'package.json'), JSON.stringify(json));
    };
    manifest('packages/db', { name: '@acme/db', dependencies: { '@prisma/client': '^6', '@acme/config': '*' } });
    manifest('packages/config', { name: '@acme/config', dependencies: { '@acme/db': '*', zod: '^4' } });
    manifest('packages/api', { name: '@acme/api', dependencies: { '@acme/db': 'workspace:*' } });
    manifest('apps/web', { name: 'web', dependencies: { '@acme/api': 'workspace:*', next: '^15' } });
    manifest('apps/docs', { name: 'docs', dependencies: { react: '^19' } });
    const deps = new PackageDependencies(root);
    expect(deps.forFile('apps/web/src/page.ts').has('@prisma/client')).toBe(true);
    expect(deps.forFile('apps/web/src/page.ts').has('zod')).toBe(true);
    expect(deps.forFile('apps/docs/src/page.ts').has('@prisma/client')).toBe(false);
    // A file whose package does not declare the workspace package but imports it still gets it.
    expect(deps.withWorkspaceLibraries(['@acme/api']).has('@prisma/client')).toBe(true);
    expect(deps.withWorkspaceLibraries(['express']).has('@prisma/client')).toBe(false);
  });
});
