import { describe, expect, it } from 'vitest';
import type { Catalog, CatalogColumn, CatalogRelation } from '../../src/catalog.js';
import { ConfigError } from '../../src/errors.js';
import type { Finding } from '../../src/match/types.js';
import { applySuppressions } from '../../src/suppress/index.js';

const column = (name: string, comment: string | null = null): CatalogColumn => ({
  name,
  attnum: 1,
  type: 'text',
  notNull: false,
  default: null,
  generated: null,
  identity: false,
  isPrimaryKey: false,
  comment,
});

const relation = (id: string, columns: CatalogColumn[], extra: Partial<CatalogRelation> = {}): CatalogRelation => {
  const [schema = '', name = ''] = id.split('.');
  return { oid: 0, id, schema, name, kind: 'table', columns, primaryKey: [], partitionOf: null, definition: null, extensionOwned: false, comment: null, ...extra };
};

/** public.orders is alive with one dead column; public.legacy is a dead table its columns fold into. */
const catalog: Catalog = {
  schemas: ['public'],
  searchPath: ['public'],
  relations: [
    relation('public.orders', [column('id'), column('fax', 'Old. @dead-schema-ignore: kept for the 2019 audit'), column('note', '@dead-schema-ignore')]),
    relation('public.legacy', [column('a'), column('b', '@dead-schema-ignore: folded into its dead table')]),
    relation('public.order_totals', [column('total')], { kind: 'view' }),
  ],
  functions: [],
  triggers: [
    { oid: 0, id: 'public.legacy.legacy_touch', schema: 'public', relationId: 'public.legacy', name: 'legacy_touch', functionId: 'public.touch()', events: ['UPDATE'], columns: [], timing: 'BEFORE', extensionOwned: false },
  ],
  types: [],
  sequences: [],
  dependencies: [],
  extensions: [],
  serverVersion: '17',
};

const dead = (id: string, kind: Finding['kind'] = 'column'): Finding => ({ kind, id, verdict: 'unreferenced', confidence: 'high', reasons: ['no-mentions'], evidence: [], evidenceCount: 0 });
const alive = (id: string, kind: Finding['kind'] = 'column'): Finding => ({ kind, id, verdict: 'alive', confidence: null, reasons: [], evidence: [], evidenceCount: 1 });

const verdicts: Finding[] = [
  alive('public.orders', 'table'),
  alive('public.orders.id'),
  dead('public.orders.fax'),
  dead('public.orders.note'),
  dead('public.legacy', 'table'),
  alive('public.order_totals', 'view'),
];

const ids = (findings: Finding[]): string[] => findings.map((f) => f.id);

describe('applySuppressions', () => {
  it('hides a dead object whose comment has @dead-schema-ignore with a reason; a marker without one is an event', () => {
    const result = applySuppressions({ catalog, verdicts });
    expect(ids(result.kept)).not.toContain('public.orders.fax');
    expect(ids(result.kept)).toContain('public.orders.note');
    expect(result.suppressed).toEqual({ ignored: 1, baselined: 0 });
    expect(result.events).toEqual([expect.objectContaining({ kind: 'invalid-ignore', id: 'public.orders.note' })]);
  });

  it('does not call a comment on a column folded into a dead table stale', () => {
    const result = applySuppressions({ catalog, verdicts });
    expect(result.events.filter((e) => e.kind === 'stale-ignore')).toEqual([]);
  });

  it('hides config ignore matches and reports entries that match no dead object, with their reason', () => {
    const result = applySuppressions({
      catalog,
      verdicts,
      ignore: [
        { id: 'public.legacy', reason: 'finance reads it' },
        // Columns folded into the dead table are dead objects: not stale, though no finding of their own matched.
        { id: 'public.legacy.*', reason: 'its columns too' },
        { id: 'public.order_totals.*', reason: 'view columns follow the alive view' },
        { id: 'public.order_*', reason: 'matches only the alive view' },
        { id: 'public.gone_*', reason: 'dropped last year' },
        { id: 'reporting.*', reason: 'another schema, not audited in this run' },
      ],
    });
    expect(ids(result.kept)).not.toContain('public.legacy');
    expect(result.suppressed.ignored).toBe(2);
    const stale = result.events.filter((e) => e.kind === 'stale-ignore');
    expect(stale.map((e) => [e.id, e.reason])).toEqual([
      ['public.order_totals.*', 'view columns follow the alive view'],
      ['public.order_*', 'matches only the alive view'],
      ['public.gone_*', 'dropped last year'],
    ]);
    expect(stale[0]?.message).toMatch(/matches only alive objects/);
    expect(stale[2]?.message).toMatch(/matches no object in the schema/);
  });

  it('requires a reason on every config ignore', () => {
    expect(() => applySuppressions({ catalog, verdicts, ignore: [{ id: 'public.*', reason: ' ' }] })).toThrow(ConfigError);
  });

  it('hides baselined dead objects whatever their confidence, and reports entries no longer dead', () => {
    const entry = { kind: 'column' as const, verdict: 'unreferenced' as const, confidence: 'low' as const, reasons: [], since: '2024-01-01' };
    const result = applySuppressions({
      catalog,
      verdicts,
      baseline: {
        version: 1,
        findings: {
          'public.orders.note': entry,
          'public.orders.fax': entry,
          'public.legacy.a': entry,
          'public.orders.id': entry,
          'public.dropped': entry,
          'reporting.other': entry,
        },
      },
    });
    // fax is hidden by its comment first, so it counts as ignored, not baselined.
    expect(result.suppressed).toEqual({ ignored: 1, baselined: 1 });
    expect(ids(result.kept)).not.toContain('public.orders.note');
    const stale = result.events.filter((e) => e.kind === 'stale-baseline');
    expect(stale.map((e) => e.id)).toEqual(['public.dropped', 'public.orders.id']);
    expect(stale[0]?.message).toMatch(/no longer in the schema/);
    expect(stale[1]?.message).toMatch(/alive now/);
  });

  it('keeps suppressed findings when asked (explain), counting them all the same', () => {
    const result = applySuppressions({ catalog, verdicts, ignore: [{ id: 'public.legacy', reason: 'x' }], keepSuppressed: true });
    expect(ids(result.kept)).toEqual(ids(verdicts));
    expect(result.suppressed.ignored).toBe(2);
  });
});
