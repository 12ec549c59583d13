import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckDropsReport } from '../../src/check-drops/index.js';
import { main } from '../../src/cli/main.js';
import { captured } from '../support/cli-io.js';
import { UsageError } from '../../src/errors.js';

// Paths relative to the repo root, the cwd of every run, so printed paths are stable.
const repoRoot = path.resolve(__dirname, '../..');
const incident = 'fixtures/audit/incident';
const shop = 'fixtures/check-drops/shop';
const scripts = 'fixtures/check-drops/scripts';

async function checkDrops(script: string, root: string, ...flags: string[]): Promise<{ code: number; out: string }> {
  const { io, out } = captured(repoRoot);
  const code = await main(['check-drops', script, '--root', root, '--migrations', `${root}/migrations`, ...flags], io);
  return { code, out: out() };
}

async function checkDropsJson(script: string, root: string): Promise<{ code: number; report: CheckDropsReport }> {
  const { code, out } = await checkDrops(script, root, '--format', 'json');
  return { code, report: JSON.parse(out) as CheckDropsReport };
}

const byId = (report: CheckDropsReport, id: string) => {
  const drop = report.drops.find((d) => d.id === id);
  expect(drop, `${id} in the report`).toBeDefined();
  return drop!;
};

describe('dead-schema check-drops', () => {
  it('stops the incident: runs.retry_delay_seconds is alive, with its INSERT and RETURNING lines', async () => {
    const { code, out } = await checkDrops(`${scripts}/incident-drop.sql`, incident);
    expect(code).toBe(1);
    expect(out).toMatch(/^ALIVE +column public\.runs\.retry_delay_seconds +\(line 12: ALTER TABLE \.\.\. DROP COLUMN\)$/m);
    expect(out).toMatch(/write +sql +src\/runs\/repository\.ts:24 +retry_delay_seconds,$/m);
    expect(out).toMatch(/read +sql +src\/runs\/repository\.ts:38 +r\.retry_delay_seconds, r\.scheduled_at/m);
    expect(out).toContain('keeps id, retry_delay_seconds but not organization_id of its primary key (organization_id, id)');
    expect(out).toMatch(/^FAIL: 1 alive of 4 dropped objects; do not run this script as it is\.$/m);
    await expect(out).toMatchFileSnapshot('__snapshots__/incident-drop.txt');
    // The README shows this exact output; keep the two from drifting apart.
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(`--root ${incident} --migrations ${incident}/migrations\n${out}\`\`\``);
  });

  it('fails a script that drops one live and two dead objects, explaining the live one', async () => {
    const { code, report } = await checkDropsJson(`${scripts}/shop-mixed.sql`, shop);
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.drops.map((d) => [d.id, d.status])).toEqual([
      ['public.discount_report', 'dead'],
      ['public.orders.legacy_discount_cents', 'dead'],
      ['public.orders.total_cents', 'alive'],
    ]);
    const live = byId(report, 'public.orders.total_cents');
    expect(live.evidence).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'src/orders/repository.ts', line: 14, role: 'write', kind: 'sql', source: expect.stringContaining('total_cents') }),
        expect.objectContaining({ file: 'src/orders/repository.ts', line: 21, role: 'read', kind: 'sql' }),
        expect.objectContaining({ kind: 'database', role: 'read', via: 'public.tenant_order_totals' }),
      ]),
    );
    expect(live.dependents).toEqual([
      { kind: 'view', id: 'public.tenant_order_totals', objectKind: 'view', verdict: 'alive', effect: 'blocks' },
    ]);
    // The dead column's view is dropped on the line before, so it no longer blocks.
    expect(byId(report, 'public.orders.legacy_discount_cents')).toMatchObject({
      verdict: 'unreferenced',
      confidence: 'high',
      reasons: ['only-dead-dependents'],
      dependents: [{ kind: 'view', id: 'public.discount_report', effect: 'dropped-by-script', droppedAtLine: 2 }],
    });
  });

  it('passes a script that drops only dead objects', async () => {
    const { code, out } = await checkDrops(`${scripts}/shop-dead.sql`, shop);
    expect(code).toBe(0);
    expect(out).toMatch(/^OK: no dropped object is in use \(9 dead, 1 not in the schema \(IF EXISTS\)\)\.$/m);
    // No signature: every overload is dropped, each judged on its own.
    expect(out).toMatch(/^dead +function public\.legacy_price\(integer\) +\(line 12: DROP FUNCTION\)$/m);
    expect(out).toMatch(/^dead +function public\.legacy_price\(integer, text\) +\(line 12: DROP FUNCTION\)$/m);
    // Dead: the foreign key from the unused column never checks it; the script drops that column first.
    expect(out).toMatch(/^dead +table public\.legacy_regions +\(line 16: DROP TABLE\)$/m);
    expect(out).toContain('a foreign key that references it, through public.legacy_regions.code; this script drops it too');
    expect(out).not.toContain('Warnings:');
  });

  it('reviews a script with a bad snapshot, refusals, renames, unknown objects and a parse error', async () => {
    const { code, report } = await checkDropsJson(`${scripts}/shop-review.sql`, shop);
    expect(code).toBe(1);
    expect(report.summary).toEqual({ dropped: 11, dead: 3, alive: 2, refused: 3, unknown: 2, warnings: 1, errors: 1 });

    expect(report.warnings).toEqual([expect.objectContaining({ kind: 'snapshot-missing-key', line: 2 })]);
    expect(report.snapshots).toEqual([
      { line: 2, statement: 'INSERT INTO ... SELECT', into: 'public.orders_archive', from: 'public.orders', columns: ['id', 'legacy_discount_cents'], primaryKey: ['tenant_id', 'id'], missingKey: ['tenant_id'] },
      { line: 4, statement: 'COPY (SELECT ...) TO', into: '/tmp/gift_notes.csv', from: 'public.orders', columns: ['tenant_id', 'id', 'gift_note'], primaryKey: ['tenant_id', 'id'], missingKey: [] },
    ]);
    expect(report.errors).toEqual([{ kind: 'parse-error', line: 16, message: 'syntax error at or near "DROPP"; this statement is not checked' }]);

    expect(byId(report, 'public.orders.legacy_discount_cents').dependents).toEqual([
      { kind: 'view', id: 'public.discount_report', objectKind: 'view', verdict: 'unreferenced', effect: 'blocks' },
    ]);
    expect(byId(report, 'public.orders.gift_note')).toMatchObject({ status: 'refused', reasons: ['declared-in-model'], message: expect.stringContaining('src/db/schema.ts:8: remove it from the model, deploy, then drop it') });
    expect(byId(report, 'public.orders.fulfilment_ref')).toMatchObject({ status: 'refused', verdict: 'write-only', message: expect.stringContaining('src/orders/repository.ts:14') });
    expect(byId(report, 'public.order_events')).toMatchObject({ status: 'refused', verdict: 'write-only', message: expect.stringContaining('still written at migrations/002_views_functions_triggers.sql:20') });

    // A rename is a soft drop of the old name.
    expect(byId(report, 'public.orders.status')).toMatchObject({ action: 'rename', newName: 'state', status: 'alive' });
    expect(byId(report, 'public.orders.status').dependents).toEqual([
      { kind: 'triggerOn', id: 'public.orders.orders_status_log', objectKind: 'trigger', verdict: 'alive', effect: 'blocks', droppedAtLine: 14 },
    ]);
    expect(byId(report, 'public.import_scratch')).toMatchObject({ action: 'rename', status: 'dead' });
    expect(byId(report, 'public.import_scratch_old')).toMatchObject({ status: 'script-object' });

    expect(byId(report, 'public.legacy_price(integer)').status).toBe('dead');
    expect(byId(report, 'public.legacy_price(bigint)')).toMatchObject({ status: 'unknown', kind: 'function' });
    expect(byId(report, 'public.coupons')).toMatchObject({ status: 'unknown', kind: 'table', message: expect.stringContaining('not in the audited schema') });

    // An alive trigger is explained by the writes that fire it.
    expect(byId(report, 'public.orders.orders_status_log')).toMatchObject({
      status: 'alive',
      evidence: [expect.objectContaining({ file: 'src/orders/repository.ts', line: 30, role: 'write', object: 'public.orders.status' })],
    });
  });

  it('exits 2 when only a parse error stands between the script and a pass', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'check-drops-'));
    try {
      const script = path.join(dir, 'drop.sql');
      writeFileSync(script, 'DROP VIEW public.discount_report;\nDROP TABEL public.import_scratch;\n');
      const { code, out } = await checkDrops(script, shop);
      expect(code).toBe(2);
      expect(out).toContain(`${script}:2: syntax error at or near "TABEL"; this statement is not checked`);
      expect(out).toMatch(/^ERROR: 1 statement did not parse/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not scan a script inside the root as code (its snapshot SELECT is not a reader)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'check-drops-'));
    try {
      cpSync(path.join(repoRoot, shop), dir, { recursive: true });
      writeFileSync(
        path.join(dir, 'src', 'drop-discounts.sql'),
        'CREATE TABLE discount_backup AS SELECT tenant_id, id, legacy_discount_cents FROM public.orders;\nALTER TABLE public.orders DROP COLUMN legacy_discount_cents CASCADE;\n',
      );
      const { code, report } = await checkDropsJson(path.join(dir, 'src', 'drop-discounts.sql'), dir);
      expect(code).toBe(0);
      expect(byId(report, 'public.orders.legacy_discount_cents')).toMatchObject({
        status: 'dead',
        dependents: [{ id: 'public.discount_report', effect: 'cascades' }],
      });
      expect(report.warnings).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('judges a drop script that is already the newest migration against the schema before it', async () => {
    // Applied with the other migrations, the script would leave what it drops out of the schema:
    // "unknown" under IF EXISTS, a pass that checked nothing.
    const dir = mkdtempSync(path.join(tmpdir(), 'check-drops-'));
    try {
      cpSync(path.join(repoRoot, shop), dir, { recursive: true });
      const script = path.join(dir, 'migrations', '003_drop_totals.sql');
      writeFileSync(script, 'DROP TABLE IF EXISTS public.import_scratch;\nALTER TABLE public.tenants DROP COLUMN IF EXISTS name;\n');
      const { io, out, err } = captured(repoRoot);
      const code = await main(['check-drops', script, '--root', dir, '--migrations', path.join(dir, 'migrations'), '--format', 'json'], io);
      const report = JSON.parse(out()) as CheckDropsReport;
      expect(code).toBe(1);
      expect(report.drops.map((d) => [d.id, d.status])).toEqual([
        ['public.import_scratch', 'dead'],
        ['public.tenants.name', 'alive'],
      ]);
      expect(err()).toContain('003_drop_totals.sql is one of the migrations: the schema is built without it');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a missing script, a missing argument and a reporter it does not have', async () => {
    const { io } = captured(repoRoot);
    await expect(main(['check-drops'], io)).rejects.toBeInstanceOf(UsageError);
    await expect(main(['check-drops', 'nope.sql'], io)).rejects.toThrow('cannot read the drop script nope.sql');
    await expect(main(['check-drops', `${scripts}/shop-dead.sql`, '--format', 'sarif'], io)).rejects.toThrow('unknown flag for check-drops: --format sarif');
  });
});
