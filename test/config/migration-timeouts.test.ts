import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { resolveAuditOptions } from '../../src/config/resolve.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { captured, tempProject } from './helpers.js';

async function resolved(config: Record<string, unknown>, values: Record<string, string>) {
  const dir = tempProject({ 'dead-schema.config.json': JSON.stringify({ migrations: 'db', ...config }) });
  const loaded = await loadConfig(dir);
  const { io } = captured(dir);
  return resolveAuditOptions({ args: [], values, io, root: dir, config: loaded.config, ...(loaded.file ? { configFile: loaded.file } : {}) }, dir);
}

describe('migration timeouts', () => {
  it('come from the config, and each flag wins over its key', async () => {
    expect((await resolved({}, {})).migrationTimeouts).toBeUndefined();
    expect((await resolved({ migrationTimeouts: { statementSeconds: 30, totalSeconds: 900 } }, {})).migrationTimeouts).toEqual({ statementSeconds: 30, totalSeconds: 900 });
    expect((await resolved({ migrationTimeouts: { statementSeconds: 30, totalSeconds: 900 } }, { 'statement-timeout': '2.5' })).migrationTimeouts).toEqual({
      statementSeconds: 2.5,
      totalSeconds: 900,
    });
    expect((await resolved({}, { 'migrations-timeout': '120' })).migrationTimeouts).toEqual({ totalSeconds: 120 });
  });

  it('must be positive numbers of seconds', async () => {
    for (const bad of ['0', '-1', 'ten', '', '1e9x']) {
      const error = await resolved({}, { 'statement-timeout': bad }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(`--statement-timeout must be a positive number of seconds, got "${bad}"`);
    }
    const config = await loadConfig(tempProject({ 'dead-schema.config.json': JSON.stringify({ migrationTimeouts: { totalSeconds: 0 } }) })).catch((e: unknown) => e);
    expect(config).toBeInstanceOf(ConfigError);
    expect((config as Error).message).toMatch(/^dead-schema\.config\.json: migrationTimeouts\.totalSeconds: /);
    const unknown = await loadConfig(tempProject({ 'dead-schema.config.json': JSON.stringify({ migrationTimeouts: { statement: 5 } }) })).catch((e: unknown) => e);
    expect((unknown as Error).message).toMatch(/migrationTimeouts\.statement: unknown key/);
  });
});
