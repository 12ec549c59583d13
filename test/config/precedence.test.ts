import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ConfigError, SchemaSourceError } from '../../src/errors.js';
import { captured, incidentCopy } from './helpers.js';
import { CLEARTEXT_REQUEST, startFakeServer } from '../support/pg-wire.js';

/*
 * Flags, then the config file, then a migrations folder in the repository, then DATABASE_URL/PG*, then defaults, through the CLI in-process
 * on a copy of the incident fixture. An unreachable URL (port 1) shows which source won without
 * a server: the audit fails connecting to exactly that URL.
 */

interface Report {
  findings: { id: string; confidence: string; reasons: string[] }[];
}

async function auditJson(dir: string, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; report: Report; err: string }> {
  const { io, out, err } = captured(dir, env);
  const code = await main(['audit', '--format', 'json', ...argv], io);
  return { code, report: JSON.parse(out()) as Report, err: err() };
}

const config = (settings: Record<string, unknown>): Record<string, string> => ({ 'dead-schema.config.json': JSON.stringify(settings) });
const UNREACHABLE = 'postgres://nobody@127.0.0.1:1/none';

describe('config precedence through the CLI', () => {
  it('uses the config over defaults: its migrations, minConfidence and failOn', async () => {
    const dir = incidentCopy(config({ migrations: 'migrations', minConfidence: 'high', failOn: 'high' }));
    const { code, report, err } = await auditJson(dir, []);
    expect(report.findings.map((f) => f.confidence)).toEqual(['high', 'high', 'high', 'high']);
    expect(report.findings.map((f) => f.id)).toContain('public.organizations.billing_region');
    expect(code).toBe(1);
    expect(err).toBe('');
  });

  it('lets flags beat the config', async () => {
    const dir = incidentCopy(config({ migrations: 'does-not-exist', minConfidence: 'high', failOn: 'high' }));
    const { code, report } = await auditJson(dir, ['--migrations', 'migrations', '--min-confidence', 'low', '--fail-on', 'high']);
    expect(report.findings.find((f) => f.id === 'public.agents.legacy_sandbox_image')?.confidence).toBe('medium');
    expect(code).toBe(1);
  });

  it('lets the config source beat DATABASE_URL and PG*, and says the variable was not used', async () => {
    const dir = incidentCopy(config({ migrations: 'migrations' }));
    const viaUrl = await auditJson(dir, [], { DATABASE_URL: UNREACHABLE });
    expect(viaUrl.report.findings.map((f) => f.id)).toContain('public.organizations.billing_region');
    expect(viaUrl.err).toContain("DATABASE_URL is set but not used: the config's migrations names the schema");

    const viaPg = await auditJson(dir, [], { PGHOST: '127.0.0.1', PGPORT: '1', PGDATABASE: 'none', PGUSER: 'nobody' });
    expect(viaPg.report.findings.map((f) => f.id)).toContain('public.organizations.billing_region');
    expect(viaPg.err).toContain('PGHOST/PGPORT/PGDATABASE/PGUSER are set but not used');
  });

  it('lets a migrations folder found in the repository beat DATABASE_URL', async () => {
    const dir = incidentCopy();
    const { report, err } = await auditJson(dir, [], { DATABASE_URL: UNREACHABLE });
    expect(report.findings.map((f) => f.id)).toContain('public.organizations.billing_region');
    expect(err).toMatch(/^dead-schema: schema from migrations \(the "migrate" script in package.json; \d+ migrations\), found in the repository/);
    expect(err).toContain('DATABASE_URL is set but not used: migrations names the schema');
  });

  it('uses DATABASE_URL, then PG*, only when nothing in the repository names a source, and says so', async () => {
    const dir = incidentCopy();
    rmSync(path.join(dir, 'migrations'), { recursive: true });
    const viaUrl = captured(dir, { DATABASE_URL: UNREACHABLE });
    const error = await main(['audit'], viaUrl.io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect((error as Error).message).toContain('cannot connect to postgres://nobody@127.0.0.1:1/none');
    expect(viaUrl.err()).toContain('auditing the database DATABASE_URL points at (postgres://nobody@127.0.0.1:1/none)');

    const viaPg = captured(dir, { PGHOST: '127.0.0.1', PGPORT: '1', PGDATABASE: 'none', PGUSER: 'nobody' });
    await expect(main(['audit', '--quiet'], viaPg.io)).rejects.toThrow('cannot connect to postgres://nobody@127.0.0.1:1/none');
    expect(viaPg.err()).toBe('');
  });

  it('lets a source flag beat DATABASE_URL', async () => {
    const dir = incidentCopy(config({ db: UNREACHABLE }));
    const { code, report } = await auditJson(dir, ['--migrations', 'migrations'], { DATABASE_URL: UNREACHABLE });
    expect(code).toBe(0);
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it('resolves config paths against the config file, wherever --config puts it', async () => {
    const dir = incidentCopy();
    mkdirSync(path.join(dir, 'config'));
    writeFileSync(path.join(dir, 'config', 'audit.json'), JSON.stringify({ migrations: '../migrations', minConfidence: 'medium' }));
    const { report } = await auditJson(dir, ['--config', 'config/audit.json']);
    expect(new Set(report.findings.map((f) => f.confidence))).toEqual(new Set(['high', 'medium']));
  });

  it('passes sqlTags to the scanner: a fragment under a custom tag becomes SQL evidence', async () => {
    const fragment = "import { exec } from './db.js';\n\nexport const byRegion = (region: string) => exec`billing_region = ${region}`;\n";
    const find = (report: Report) => report.findings.find((f) => f.id === 'public.organizations.billing_region');

    const plain = incidentCopy(config({ migrations: 'migrations' }));
    writeFileSync(path.join(plain, 'src', 'billing.ts'), fragment);
    expect(find((await auditJson(plain, [])).report)?.confidence).toBe('high');

    const tagged = incidentCopy(config({ migrations: 'migrations', sqlTags: ['/^ex[a-z]+$/'] }));
    writeFileSync(path.join(tagged, 'src', 'billing.ts'), fragment);
    expect(find((await auditJson(tagged, [])).report)).toMatchObject({ confidence: 'low', reasons: ['ambiguous-reads'] });
  });

  it('fails before auditing when the config is invalid', async () => {
    const dir = incidentCopy(config({ migrations: 'migrations', ignore: [{ id: 'public.x' }] }));
    const error = await main(['audit'], captured(dir).io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('dead-schema.config.json: ignore[0].reason: Required');
  });
});

describe('a database URL from the config file (issue 9)', () => {
  it('says which host it points at and does not send PGPASSWORD there', async () => {
    const server = await startFakeServer((socket, chunk) => {
      if (chunk.length === 8 && chunk.readInt32BE(4) === 80877103) socket.write('N');
      else socket.write(CLEARTEXT_REQUEST);
    });
    try {
      const url = `postgres://nobody@127.0.0.1:${server.port}/app`;
      const dir = incidentCopy(config({ db: url }));
      const { io, err } = captured(dir, { PGPASSWORD: 'from-the-environment' });
      const error = await main(['audit', '--allow-cleartext-password'], io).catch((e: unknown) => e as SchemaSourceError);
      expect(err()).toContain(`dead-schema.config.json points at the database ${url}; PGUSER/PGPASSWORD are not sent to a host a config file names`);
      expect(error).toBeInstanceOf(SchemaSourceError);
      expect((error as SchemaSourceError).details.hint).toMatch(/PGPASSWORD is not sent to a host named by a config file/);
      expect(server.passwordsReceived()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('--db with --migrations names both flags', async () => {
    const dir = incidentCopy();
    const { io } = captured(dir, {});
    await expect(main(['audit', '--migrations', 'migrations', '--db', UNREACHABLE], io)).rejects.toThrow(
      'more than one schema source (--migrations, --db): pass exactly one',
    );
  });
});
