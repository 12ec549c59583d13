import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/index.js';

const dir = path.resolve(__dirname, '../../fixtures/audit/suppressions');
const cacheDir = path.join(tmpdir(), 'dead-schema-test-cache');
const base = { root: dir, migrations: path.join(dir, 'migrations'), cacheDir };

describe('config ignore on a migrated schema', () => {
  it('hides glob matches on top of the comment ignores and reports the stale globs', async () => {
    const report = await audit({
      ...base,
      ignore: [
        { id: 'public.invoices.discount_*', reason: 'promo codes come back in Q3' },
        { id: '*.invoices.fax_number', reason: 'legal hold' },
        { id: 'public.invoices.pdf_*', reason: 'rendered elsewhere' },
        { id: 'public.credit_notes.**', reason: 'dropped in 2023' },
        // Already hidden by its COMMENT ON TABLE, but still a dead object: not stale.
        { id: 'public.archived_invoices', reason: 'warehouse sync' },
      ],
    });
    expect(report.findings).toEqual([]);
    // 4 by comment (table, view, function, legacy_tax_code) + discount_code + fax_number by config.
    expect(report.stats.suppressed).toEqual({ ignored: 6, baselined: 0 });
    expect(report.stats.dead).toEqual({ high: 0, medium: 0, low: 0 });
    const stale = report.events.filter((e) => e.kind === 'stale-ignore').map((e) => [e.id, e.reason]);
    expect(stale).toEqual([
      ['public.invoices.pdf_url', 'written by the PDF renderer service'],
      ['public.invoices.pdf_*', 'rendered elsewhere'],
      ['public.credit_notes.**', 'dropped in 2023'],
    ]);
    // A reasonless marker still hides nothing by itself; the config entry is what hid fax_number.
    expect(report.events).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'invalid-ignore', id: 'public.invoices.fax_number' })]));
  });

  it('keeps suppressed findings for explain', async () => {
    const report = await audit({ ...base, keepSuppressed: true });
    expect(report.findings.map((f) => f.id).sort()).toEqual([
      'public.archived_invoices',
      'public.format_invoice_number(bigint)',
      'public.invoice_totals_by_customer',
      'public.invoices.discount_code',
      'public.invoices.fax_number',
      'public.invoices.legacy_tax_code',
    ]);
    expect(report.stats.suppressed.ignored).toBe(4);
  });
});
