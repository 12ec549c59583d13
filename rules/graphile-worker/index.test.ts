import { describe, expect, it } from 'vitest';
import { scanTypeScript } from '../../src/scan/typescript.js';
import rule from './index.js';

type Refs = ReturnType<typeof scanTypeScript>['libraryRefs'][number]['ref'][];

function schemasOf(refs: Refs): string[] {
  const schemas = refs.flatMap((ref) => (ref.kind === 'use' && ref.name === undefined ? ref.relations.map((r) => ('schema' in r ? r.schema : undefined)) : []));
  return [...new Set(schemas)] as string[];
}

function ownedSchemas(text: string, file = 'src/worker.ts'): string[] {
  const scan = scanTypeScript(file, text, false, { interestingNames: new Set(), rules: [rule], packages: new Set(['graphile-worker']) });
  return schemasOf(scan.libraryRefs.map(({ ref }) => ref));
}

describe('graphile-worker rule', () => {
  it('owns the schema at the library entry points, with the schema option or the preset', () => {
    expect(ownedSchemas("import { run } from 'graphile-worker';\nawait run({ connectionString, concurrency: 5, taskDirectory: 'tasks' });")).toEqual(['graphile_worker']);
    expect(ownedSchemas("import { quickAddJob as enqueue } from 'graphile-worker';\nawait enqueue({ schema: 'app_jobs' }, 'send_email', {});")).toEqual(['app_jobs']);
    expect(ownedSchemas("import * as worker from 'graphile-worker';\nworker.makeWorkerUtils({ preset: { worker: { schema: 'queue' } } });")).toEqual(['queue']);
    expect(ownedSchemas("const { runMigrations } = require('graphile-worker');\nrunMigrations({ schema: process.env.GRAPHILE_WORKER_SCHEMA || 'jobs' });", 'src/migrate.js')).toEqual(['jobs']);
  });

  it('ignores functions of the same name from elsewhere', () => {
    expect(ownedSchemas("import { run } from './cli';\nimport type { Task } from 'graphile-worker';\nrun({ schema: 'x' });")).toEqual([]);
    expect(ownedSchemas("import { Logger } from 'graphile-worker';\nnew Logger(() => () => {});")).toEqual([]);
  });

  it('owns the schema a package.json script runs the worker on', () => {
    const scan = (scripts: Record<string, string>) => schemasOf(rule.projectFiles!.scan('package.json', JSON.stringify({ scripts }, null, 2)));
    expect(scan({ worker: 'graphile-worker -c "$DATABASE_URL" --crontab ./crontab' })).toEqual(['graphile_worker']);
    expect(scan({ 'worker:prod': 'npm run build && GRAPHILE_WORKER_SCHEMA=jobs npx graphile-worker --jobs 4' })).toEqual(['jobs']);
    expect(scan({ migrate: 'graphile-worker --schema-only -s app_worker' })).toEqual(['app_worker']);
    expect(scan({ setup: 'npm install graphile-worker', build: 'tsc' })).toEqual([]);
  });
});

describe('graphile-worker rule: lazy loading', () => {
  it('follows a require inside a function', () => {
    expect(ownedSchemas("export async function enqueue() {\n  const worker = require('graphile-worker');\n  await worker.quickAddJob({}, 'resize', {});\n}", 'src/enqueue.js')).toEqual(['graphile_worker']);
  });
});
