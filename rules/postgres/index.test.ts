import { beforeAll, describe, expect, it } from 'vitest';
import { scanTypeScript } from '../../src/scan/typescript.js';
import { analyzeSql, initSqlParser } from '../../src/sql/index.js';
import { describeRef } from '../../test/sql/describe-refs.js';
import { createFakeLookup } from '../../test/sql/fake-lookup.js';
import rule from './index.js';

const lookup = createFakeLookup({
  relations: [
    { name: 'customers', columns: ['id', 'full_name', 'loyalty_tier', 'shipping_notes'] },
    { name: 'orders', columns: ['id', 'customer_id', 'gift_message', 'total_cents'] },
    { name: 'order_lines', columns: ['id', 'sku'] },
    { name: 'bins', columns: ['id', 'units', 'units_on_hand', 'last_counted_at'] },
  ],
});

beforeAll(async () => {
  await initSqlParser();
});

function scanWith(text: string, withRule: boolean) {
  return scanTypeScript('src/repo.ts', text, false, {
    interestingNames: new Set(['loyalty_tier', 'loyaltyTier', 'shipping_notes']),
    rules: withRule ? [rule] : [],
    packages: new Set(['postgres']),
  });
}

function columnsOf(text: string, withRule: boolean): string[] {
  const lineOf = (position: number): number => text.slice(0, position).split('\n').length;
  return scanWith(text, withRule)
    .sqlSites.flatMap((site) => analyzeSql(site.template, lookup).refs)
    .filter((ref) => ref.kind === 'column')
    .map((ref) => `${describeRef(ref)} @${lineOf(ref.position)}`);
}

function scan(text: string) {
  const result = scanWith(text, true);
  const lineOf = (position: number): number => text.slice(0, position).split('\n').length;
  const without = new Set(scanWith(text, false).sqlSites.map((site) => site.position));
  return {
    ...result,
    /** Lines of SQL sites only the rule's learned client names make SQL. */
    ruleSites: result.sqlSites.filter((site) => !without.has(site.position)).map((site) => lineOf(site.position)),
    /** Column refs the core's SQL analysis finds, with their lines. */
    columns: columnsOf(text, true),
  };
}

describe('postgres rule: clients under any name', () => {
  // What a learned name adds: its helpers expand (without the rule `t(row, 'a')` is an opaque value
  // and the statement around it does not parse).
  const gained = (text: string): string[] => {
    const before = new Set(columnsOf(text, false));
    return scan(text).columns.filter((line) => !before.has(line));
  };

  it('learns a client made by postgres() in the file', () => {
    expect(
      gained(`
import postgres from 'postgres';
const pgc = postgres(process.env.REPLICA_URL);
export const relabel = (row: object) => pgc\`UPDATE bins SET \${pgc(row, 'units_on_hand')} WHERE id = 1\`;
`),
    ).toEqual(['column public.bins.units_on_hand write @4', 'column public.bins.id read @4']);
  });

  it('learns begin and savepoint callback parameters only inside their callbacks', () => {
    expect(
      gained(`
import { t } from './i18n.js';
import { sql } from './db.js';
export async function receive(id: string, row: object) {
  await sql.begin('read write', async (t) => {
    await t\`UPDATE bins SET \${t(row, 'units')} WHERE id = \${id}\`;
    await t.savepoint(async (sp) => sp\`UPDATE bins SET \${sp(row, 'last_counted_at')} WHERE id = \${id}\`);
  });
  return t\`UPDATE bins SET \${t(row, 'units_on_hand')} WHERE id = \${id}\`;
}
`),
    ).toEqual([
      'column public.bins.units write @6',
      'column public.bins.id read @6',
      'column public.bins.last_counted_at write @7',
      'column public.bins.id read @7',
    ]);
  });

  it('learns reserved connections and members typed Sql', () => {
    expect(
      gained(`
import type { Sql } from './db.js';
export class Counter {
  constructor(private readonly replica: Sql) {}
  async count(row: object) {
    const r = await this.replica.reserve();
    await r\`UPDATE bins SET \${r(row, 'last_counted_at')} WHERE id = 1\`;
    return this.replica\`UPDATE bins SET \${this.replica(row, 'units')} WHERE id = 1\`;
  }
}
`),
    ).toEqual([
      'column public.bins.last_counted_at write @7',
      'column public.bins.id read @7',
      'column public.bins.units write @8',
      'column public.bins.id read @8',
    ]);
  });

  it('leaves tags that are not clients alone', () => {
    const { ruleSites, libraryRefs, sqlSites } = scan(`
import { html } from 'lit';
export const row = (name: string) => html\`<td>\${name}</td>\`;
`);
    expect(ruleSites).toEqual([]);
    expect(sqlSites).toEqual([]);
    expect(libraryRefs).toEqual([]);
  });
});

describe('postgres helpers expand through the core once the client is known', () => {
  it('expands this.sql(obj, ...) and learned-client helpers as writes of the statement table', () => {
    const { columns } = scan(`
import postgres from 'postgres';
const warehouse = postgres();
export class Repo {
  constructor(private readonly sql: any) {}
  save(row: object) {
    return this.sql\`INSERT INTO customers \${this.sql(row, 'full_name', 'loyalty_tier')} RETURNING id\`;
  }
}
export const move = (row: object) => warehouse.begin((t) => t\`UPDATE bins SET \${t(row, 'units_on_hand')} WHERE id = 1\`);
`);
    expect(columns).toEqual([
      'column public.customers.full_name write @7',
      'column public.customers.loyalty_tier write @7',
      'column public.customers.id read @7',
      'column public.bins.units_on_hand write @10',
      'column public.bins.id read @10',
    ]);
  });

  it('expands array column lists, same-file objects and mapped rows, and keeps IN lists as values', () => {
    const { columns } = scan(`
import { sql } from './db.js';
const patch = { shipping_notes: 'ring twice' };
export async function run(ids: number[], lines: { sku: string }[]) {
  await sql\`SELECT \${sql(['gift_message', 'total_cents'])} FROM orders WHERE id IN \${sql(ids)}\`;
  await sql\`UPDATE customers SET \${sql(patch)} WHERE id = 1\`;
  await sql\`INSERT INTO order_lines \${sql(lines.map((line) => ({ sku: line.sku })))}\`;
  await sql\`INSERT INTO customers \${sql({ full_name: 'a' }, ['full_name'])}\`;
}
`);
    expect(columns).toEqual([
      'column public.orders.gift_message read @5',
      'column public.orders.total_cents read @5',
      'column public.orders.id read @5',
      'column public.customers.shipping_notes write @6',
      'column public.customers.id read @6',
      'column public.order_lines.sku write @7',
      'column public.customers.full_name write @8',
    ]);
  });

  it('resolves camelCase names a transform maps to their snake_case columns', () => {
    const { columns } = scan(`
import { sql } from './db.js';
export async function run(row: object) {
  await sql\`INSERT INTO customers \${sql(row, 'fullName')}\`;
  await sql\`SELECT id FROM customers ORDER BY \${sql('loyaltyTier')}\`;
  await sql\`SELECT id FROM \${sql('customers')} WHERE \${sql('shippingNotes')} IS NOT NULL\`;
}
`);
    expect(columns).toEqual([
      'column public.customers.full_name write @4',
      'column public.customers.id read @5',
      'column public.customers.loyalty_tier read @5',
      'column public.customers.id read @6',
      'column public.customers.shipping_notes read @6',
    ]);
  });

  it('gives a nested fragment the tables of the statement it sits in', () => {
    const { columns } = scan(`
import { sql } from './db.js';
export const run = (tier?: string) => sql\`
  SELECT c.id FROM customers c JOIN orders o ON o.customer_id = c.id
  \${tier ? sql\`WHERE \${sql('loyaltyTier')} = \${tier}\` : sql\`\`}
\`;
`);
    expect(columns).toContain('column public.customers.loyalty_tier read @5');
  });
});
