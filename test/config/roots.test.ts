import { cpSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { UsageError } from '../../src/errors.js';
import { captured, tempProject } from './helpers.js';

/*
 * The code root (`audit DIR` or --root DIR: one meaning) decides where the config is looked for:
 * there, then each parent up to the repository's top. A monorepo with its config at the top and
 * the incident fixture as one workspace package.
 */

const incident = path.resolve(__dirname, '../../fixtures/audit/incident');

function monorepo(config: Record<string, unknown>): string {
  const top = tempProject({ 'dead-schema.config.json': JSON.stringify(config), 'package.json': '{"workspaces":["packages/*"]}' });
  mkdirSync(path.join(top, '.git'));
  cpSync(incident, path.join(top, 'packages', 'api'), { recursive: true });
  return top;
}

async function ids(cwd: string, argv: string[]): Promise<{ ids: string[]; err: string }> {
  const { io, out, err } = captured(cwd);
  await main(['audit', '--format', 'json', ...argv], io);
  return { ids: (JSON.parse(out()) as { findings: { id: string }[] }).findings.map((f) => f.id), err: err() };
}

describe('code root and config search', () => {
  it("finds the repository's config from a package audited on its own, by argument or --root", async () => {
    const top = monorepo({ migrations: 'packages/api/migrations', minConfidence: 'high' });
    const byArgument = await ids(top, ['packages/api']);
    expect(byArgument.ids).toContain('public.organizations.billing_region');
    expect(byArgument.err).toBe(`dead-schema: using the config dead-schema.config.json (from a parent of the audited root)\n`);
    const byFlag = await ids(path.join(top, 'packages'), ['--root', 'api']);
    expect(byFlag.ids).toEqual(byArgument.ids);
  });

  it('never reads a config above the repository top', async () => {
    const outside = tempProject({ 'dead-schema.config.json': JSON.stringify({ migrations: 'nowhere' }) });
    const repo = path.join(outside, 'repo');
    cpSync(incident, repo, { recursive: true });
    mkdirSync(path.join(repo, '.git'));
    // No config in the repository: discovery finds its migrations, the outer config is not read.
    const { ids: found, err } = await ids(repo, []);
    expect(found).toContain('public.organizations.billing_region');
    expect(err).toContain('found in the repository');
  });

  it('refuses two different code roots', async () => {
    const top = monorepo({});
    const { io } = captured(top);
    await expect(main(['audit', 'packages/api', '--root', 'packages'], io)).rejects.toThrow(UsageError);
  });

  it('descends from --migrations at a parent folder into the migrations it holds, and says so', async () => {
    const dir = tempProject();
    cpSync(incident, dir, { recursive: true });
    mkdirSync(path.join(dir, 'db'));
    renameSync(path.join(dir, 'migrations'), path.join(dir, 'db', 'migrations'));
    writeFileSync(path.join(dir, 'package.json'), '{"name":"incident"}');
    const { ids: found, err } = await ids(dir, ['--migrations', 'db']);
    expect(found).toContain('public.organizations.billing_region');
    expect(err).toContain('dead-schema: --migrations db holds no migrations itself: using db/migrations inside it (db/migrations (dbmate))');
  });
});
