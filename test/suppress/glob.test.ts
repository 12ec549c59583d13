import { describe, expect, it } from 'vitest';
import { compileIdGlob, globSchema } from '../../src/suppress/glob.js';

const matching = (pattern: string, ids: string[]): string[] => ids.filter(compileIdGlob(pattern));

const IDS = [
  'public.legacy_orders',
  'public.legacy_orders.fax',
  'public.legacy_orders.legacy_orders_touch',
  'public.orders',
  'public.orders.legacy_code',
  'public.audit_log',
  'billing.audit_log',
  'billing.audit_log.payload',
  'public.touch()',
  'public.touch(integer, text[])',
  'public.touch(billing.money_amount)',
  'public.touched',
];

describe('object-id globs', () => {
  it('treats a dot like a path separator: * stays within one part', () => {
    expect(matching('public.legacy_*', IDS)).toEqual(['public.legacy_orders']);
    expect(matching('public.legacy_*.*', IDS)).toEqual(['public.legacy_orders.fax', 'public.legacy_orders.legacy_orders_touch']);
    expect(matching('*.audit_log', IDS)).toEqual(['public.audit_log', 'billing.audit_log']);
    expect(matching('public.*', IDS)).not.toContain('public.orders.legacy_code');
  });

  it('lets ** span parts, including the part it follows', () => {
    expect(matching('public.legacy_orders.**', IDS)).toEqual([
      'public.legacy_orders',
      'public.legacy_orders.fax',
      'public.legacy_orders.legacy_orders_touch',
    ]);
    expect(matching('**.audit_log', IDS)).toEqual(['public.audit_log', 'billing.audit_log']);
    expect(matching('billing.**', IDS)).toEqual(['billing.audit_log', 'billing.audit_log.payload']);
  });

  it('matches exact ids, and nothing more', () => {
    expect(matching('public.orders', IDS)).toEqual(['public.orders']);
    expect(matching('public.orders.legacy_code', IDS)).toEqual(['public.orders.legacy_code']);
    // Ids are case-sensitive, like quoted Postgres identifiers.
    expect(matching('public.Orders', IDS)).toEqual([]);
  });

  it('keeps function argument lists literal: parentheses, brackets and dots in types', () => {
    expect(matching('public.touch(integer, text[])', IDS)).toEqual(['public.touch(integer, text[])']);
    expect(matching('public.touch()', IDS)).toEqual(['public.touch()']);
    expect(matching('public.touch(billing.money_amount)', IDS)).toEqual(['public.touch(billing.money_amount)']);
    expect(matching('public.touch(*)', IDS)).toEqual(['public.touch()', 'public.touch(integer, text[])', 'public.touch(billing.money_amount)']);
    expect(matching('public.touch*', IDS)).toEqual(['public.touch()', 'public.touch(integer, text[])', 'public.touch(billing.money_amount)', 'public.touched']);
  });

  it('supports braces and character classes outside argument lists', () => {
    expect(matching('{public,billing}.audit_log', IDS)).toEqual(['public.audit_log', 'billing.audit_log']);
    expect(matching('public.[ol]*_orders', IDS)).toEqual(['public.legacy_orders']);
  });

  it('knows which schema a glob is about when its first part is literal', () => {
    expect(globSchema('billing.audit_log.*')).toBe('billing');
    expect(globSchema('*.audit_log')).toBeUndefined();
    expect(globSchema('{public,billing}.x')).toBeUndefined();
    expect(globSchema('public.touch(billing.x)')).toBe('public');
  });
});
