import { describe, expect, it } from 'vitest';
import { scanTypeScript } from '../../src/scan/typescript.js';
import rule from './index.js';

function scan(text: string) {
  const result = scanTypeScript('src/repo.ts', text, false, {
    interestingNames: new Set(['name', 'text', 'hazmat_class']),
    rules: [rule],
    packages: new Set(['pg', 'pg-cursor']),
  });
  const lineOf = (position: number): number => text.slice(0, position).split('\n').length;
  return {
    ...result,
    /** Lines of SQL only this rule recognised (the core did not take the text for SQL on its own). */
    ruleSites: result.sqlSites.filter((site) => site.origin === 'library-call').map((site) => lineOf(site.position)),
  };
}

// An English comment in the text keeps the core's own detection from taking it for SQL.
const PROSE = '-- the carriers refuse these by air';

describe('pg rule: query objects', () => {
  it('reads the text of new Query / new pg.Query / new Cursor', () => {
    const { ruleSites } = scan(`
import pg, { Query } from 'pg';
import Cursor from 'pg-cursor';
export function run(client: pg.PoolClient) {
  client.query(new Query('SELECT id FROM shipments ${PROSE}'));
  client.query(new pg.Query({ text: 'SELECT hazmat_class FROM shipments ${PROSE}', rowMode: 'array' }));
  return client.query(new Cursor('SELECT id FROM shipment_scans ${PROSE}', [1]));
}
`);
    expect(ruleSites).toEqual([5, 6, 7]);
  });

  it('ignores a Query class that is not pg', () => {
    const { ruleSites } = scan(`
import { Query } from './search/query.js';
export const late = new Query('SELECT carrier ${PROSE}');
`);
    expect(ruleSites).toEqual([]);
  });
});

describe('pg rule: .query() arguments', () => {
  it('reads config objects held in same-file constants, spreads included', () => {
    const { ruleSites } = scan(`
import { Pool } from 'pg';
const pool = new Pool();
const HAZMAT = {
  name: 'hazmat',
  text: \`SELECT id FROM shipments
         ${PROSE}
         WHERE hazmat_class IS NOT NULL\`,
};
const ROAD = { text: 'SELECT id FROM shipments ${PROSE}' };
export const hazmat = (limit: number) => pool.query({ ...HAZMAT, values: [limit] });
export const road = () => pool.query(ROAD);
`);
    expect(ruleSites).toEqual([6, 10]);
  });

  it('reads text on learned and conventional receivers only', () => {
    const { ruleSites } = scan(`
import pg from 'pg';
const replica = new pg.Pool();
export async function run(router: { query(q: string): void }, client: pg.Client) {
  await replica.query('SELECT id FROM shipments ${PROSE}');
  await client.query('UPDATE shipments SET hazmat_class = NULL ${PROSE}');
  router.query('SELECT id FROM shipments ${PROSE}');
}
`);
    expect(ruleSites).toEqual([5, 6]);
  });

  it('reads text on private fields and replica/writer handles of a repository', () => {
    const { ruleSites } = scan(`
export class ShipmentStore {
  constructor(private readonly _writer: unknown, private readonly _replica: unknown, private readonly _pool: unknown, private readonly _router: { query(q: string): void }) {}
  async run() {
    await this._writer.query('UPDATE shipments SET hazmat_class = NULL ${PROSE}');
    await this._replica.query('SELECT id FROM shipments ${PROSE}');
    await this._pool.query('SELECT id FROM shipment_scans ${PROSE}');
    this._router.query('SELECT id FROM shipments ${PROSE}');
  }
}
`);
    expect(ruleSites).toEqual([5, 6, 7]);
  });

  it("covers pg's own config keys so they are not column mentions", () => {
    const { mentions } = scan(`
import { pool } from './db.js';
export const byName = (name: string) => pool.query({ name: 'by-name', text: 'SELECT id FROM carriers WHERE name = $1', values: [name] });
`);
    expect(mentions.filter((m) => m.kind === 'key' && m.coveredBy === undefined)).toEqual([]);
  });
});
