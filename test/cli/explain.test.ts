import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captured } from '../support/cli-io.js';

const fixture = path.resolve(__dirname, '../../fixtures/audit/incident');

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const { io, out } = captured(fixture);
  const code = await main(argv, io);
  return { code, out: out() };
}

describe('dead-schema explain', () => {
  it('prints every piece of evidence grouped by role, with the source lines and the verdict', async () => {
    const { code, out } = await run(['explain', 'runs.retry_delay_seconds', '--migrations', 'migrations']);
    expect(code).toBe(0);
    await expect(out).toMatchFileSnapshot('__snapshots__/explain-retry-delay-seconds.txt');
  });

  it('prints paths relative to the working directory when the root is another folder', async () => {
    const repoRoot = path.resolve(__dirname, '../..');
    const rel = path.relative(repoRoot, fixture);
    const { io, out } = captured(repoRoot);
    expect(await main(['explain', 'public.organizations.billing_region', '--root', rel, '--migrations', `${rel}/migrations`], io)).toBe(0);
    expect(out()).toContain(`    ${rel}/migrations/20231101000000_create_organizations.sql:6\n        billing_region text NOT NULL DEFAULT 'us-east',`);
  });

  it('explains a dead column with no evidence and where it was defined', async () => {
    const { out } = await run(['explain', 'public.organizations.billing_region', '--migrations', 'migrations']);
    expect(out).toBe(
      [
        'public.organizations.billing_region (column)',
        '  migration (defined at):',
        '    migrations/20231101000000_create_organizations.sql:6',
        "        billing_region text NOT NULL DEFAULT 'us-east',",
        '  no evidence anywhere: no SQL, library call, database object or name mentions it',
        '  verdict: unreferenced, confidence high (reasons: no-mentions)',
        '',
      ].join('\n'),
    );
  });

  it('suggests the closest ids for an unknown one', async () => {
    await expect(run(['explain', 'public.runs.retry_delay_secs', '--migrations', 'migrations'])).rejects.toMatchObject({
      message: 'no schema object "public.runs.retry_delay_secs"',
      details: { hint: 'did you mean public.runs.retry_delay_seconds?' },
    });
  });
});

describe('dead-schema explain on a suppressed object', () => {
  it('still explains it and says why audits hide it', async () => {
    const dir = path.resolve(__dirname, '../../fixtures/audit/suppressions');
    const { io, out } = captured(dir);
    await expect(main(['explain', 'public.archived_invoices', '--migrations', 'migrations'], io)).resolves.toBe(0);
    expect(out()).toContain(
      '  hidden from audits: @dead-schema-ignore comment: read by the finance warehouse sync (Fivetran), not by this service',
    );
  });

  it('an alive table read only through its columns shows those reads, never "no evidence"; a table kept only by column names is dead', async () => {
    const { io, out } = captured(path.resolve(__dirname, '../../fixtures/audit/column-names-only'));
    expect(await main(['explain', 'public.invoices', 'public.invoice_share_links', '--migrations', 'migrations'], io)).toBe(0);
    const [invoices, shareLinks] = out().split('\n\n');
    expect(invoices).toContain('src/billing/invoices.ts:12 sql read');
    expect(invoices).toContain('verdict: alive');
    expect(invoices).not.toContain('no evidence');
    expect(shareLinks).toContain('src/ui/button.ts:15 name-match read');
    expect(shareLinks).toContain('verdict: unreferenced, confidence medium (reasons: column-names-only)');
  });
});

