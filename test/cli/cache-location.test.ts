import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config/index.js';
import { resolveAuditOptions } from '../../src/config/resolve.js';
import { UsageError } from '../../src/errors.js';
import { captured, tempProject } from '../config/helpers.js';

/** A config in one temp folder, the CLI run from another: what reaches the audit options. */
async function setup(config: Record<string, unknown>): Promise<{ dir: string; cwd: string; cacheDir: (values: Record<string, string | boolean>) => Promise<string | false | undefined> }> {
  const dir = tempProject({ 'dead-schema.config.json': JSON.stringify({ migrations: 'db', ...config }) });
  const cwd = tempProject();
  const loaded = await loadConfig(dir);
  const cacheDir = async (values: Record<string, string | boolean>) =>
    (await resolveAuditOptions({ args: [], values, io: captured(cwd).io, root: dir, config: loaded.config, configFile: loaded.file! }, dir)).cacheDir;
  return { dir, cwd, cacheDir };
}

describe('--cache-location and cacheLocation', () => {
  it('leave the default to the audit when unset', async () => {
    const { cacheDir } = await setup({});
    expect(await cacheDir({})).toBeUndefined();
  });

  it('resolve the flag against the working directory and the config key against the config file, the flag winning', async () => {
    const { dir, cwd, cacheDir } = await setup({ cacheLocation: '.cache/ds' });
    expect(await cacheDir({})).toBe(path.join(dir, '.cache/ds'));
    expect(await cacheDir({ 'cache-location': 'tmp/cache' })).toBe(path.join(cwd, 'tmp/cache'));
  });

  it('give way to --no-cache, the way out of a misbehaving cache wherever it lives', async () => {
    const { cacheDir } = await setup({ cacheLocation: '.cache/ds' });
    expect(await cacheDir({ 'no-cache': true })).toBe(false);
    expect(await cacheDir({ 'no-cache': true, 'cache-location': 'mine' })).toBe(false);
  });

  it('refuse an empty flag rather than filling the working directory', async () => {
    const { cacheDir } = await setup({});
    await expect(cacheDir({ 'cache-location': '' })).rejects.toBeInstanceOf(UsageError);
  });

  it('are parsed by the CLI and listed in --help', async () => {
    const { io, out } = captured();
    await main(['--help'], io);
    // The help wraps at 80 columns: compare the words, not the line breaks.
    const help = out().replace(/\s+/g, ' ');
    expect(help).toContain('--cache-location DIR where the cache lives (default: <root>/node_modules/.cache/dead-schema when');
    expect(help).toContain('--no-cache do not reuse or write the cache (migrated schema and per-file scan results)');
    expect(out()).toMatch(/Output:[\s\S]*--performance /);
  });
});
