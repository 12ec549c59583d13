import { beforeAll, describe, expect, it } from 'vitest';
import { scanTypeScript } from '../../src/scan/typescript.js';
import { initSqlParser } from '../../src/sql/index.js';
import type { SqlTemplate } from '../../src/sql/types.js';

const names = new Set(['runs', 'retry_delay_seconds', 'soul_md', 'soulMd', 'file_path', 'status', 'agents', 'createdAt']);
const scan = (text: string, file = 'src/x.ts', isTest = false) => scanTypeScript(file, text, isTest, { interestingNames: names });
const sqlText = (template: SqlTemplate): string =>
  template.chunks.map((c, i) => c.text + (template.holes[i] ? `<${template.holes[i]!.kind}>` : '')).join('');

beforeAll(async () => {
  await initSqlParser();
});

describe('TypeScript scanner', () => {
  it('finds the INSERT inside a template string passed to tx.unsafe, with interpolated holes', () => {
    const text = [
      'export async function createRun(tx: Tx, orgId: string, delay: number) {',
      '  const [row] = await tx.unsafe(`',
      '    INSERT INTO public.runs (',
      '      organization_id, id,',
      '      retry_delay_seconds',
      '    ) VALUES ($1, $2, ${delay})',
      '    RETURNING r.retry_delay_seconds`, [orgId, id]);',
      '  return row.retry_delay_seconds;',
      '}',
    ].join('\n');
    const result = scan(text);
    expect(result.sqlSites).toHaveLength(1);
    const site = result.sqlSites[0]!;
    expect(site.origin).toBe('call-argument');
    expect(site.callee).toBe('tx.unsafe');
    expect(site.template.interpolated).toBe(true);
    expect(site.template.holes).toEqual([expect.objectContaining({ kind: 'unknown', text: 'delay' })]);
    // Chunk positions are absolute: the chunk starts right after the backtick on line 2.
    expect(text.slice(site.template.chunks[0]!.start, site.template.chunks[0]!.start + 5)).toBe('\n    ');
    const property = result.mentions.find((m) => m.kind === 'property' && m.name === 'retry_delay_seconds');
    expect(property?.receiver).toBe('row');
  });

  it('treats sql-tagged templates as SQL, holes as bound values, and inlines same-file fragments', () => {
    const text = [
      'const where = sql`WHERE status = ${status}`;',
      'const rows = await sql`SELECT id FROM runs ${where} ORDER BY id`;',
      'const other = await this.sql`SELECT soul_md FROM agents WHERE id = ${id}`;',
    ].join('\n');
    const result = scan(text);
    expect(result.sqlSites.map((s) => sqlText(s.template))).toEqual([
      'SELECT id FROM runs <fragment> ORDER BY id',
      'SELECT soul_md FROM agents WHERE id = <value>',
    ]);
    const fragment = result.sqlSites[0]!.template.holes[0]!;
    expect(fragment.kind === 'fragment' && sqlText(fragment.template)).toBe('WHERE status = <value>');
  });

  it('describes postgres.js helpers: sql(identifier) and sql(obj, ...columns)', () => {
    const text = [
      "await sql`INSERT INTO runs ${sql(run, 'id', 'retry_delay_seconds')}`;",
      "await sql`SELECT * FROM ${sql('agents')}`;",
    ].join('\n');
    const [insert, select] = scan(text).sqlSites;
    expect(insert!.template.holes[0]).toMatchObject({ kind: 'columns', columns: ['id', 'retry_delay_seconds'] });
    expect(select!.template.holes[0]).toMatchObject({ kind: 'identifier', name: 'agents' });
  });

  it('finds SQL in pg query calls, query configs and SQL-looking strings, not in prose', () => {
    const text = [
      "await pool.query('SELECT soul_md FROM agents WHERE id = $1', [id]);",
      "await client.query({ text: 'UPDATE runs SET status = $1', values: [s] });",
      "const q = 'DELETE FROM runs WHERE id = $1';",
      "const label = 'Select an agent from the list';",
      "router.query('status');",
    ].join('\n');
    const sites = scan(text).sqlSites;
    expect(sites.map((s) => s.origin)).toEqual(['call-argument', 'call-argument', 'string-literal']);
  });

  it('records name mentions by kind, with receivers, and only for schema names', () => {
    const text = [
      '// soul_md is loaded lazily',
      'interface Agent { soulMd: string }',
      'const settings = { soulMd: row.soul_md, unrelated: 1 };',
      'const { file_path } = args;',
      "const v = row['status'];",
      'use(args.file_path, settings.soulMd);',
    ].join('\n');
    const kinds = scan(text).mentions.map((m) => `${m.kind}:${m.name}${m.receiver ? `@${m.receiver}` : ''}`);
    expect(kinds).toEqual([
      'comment:soul_md',
      'type:soulMd',
      'key:soulMd',
      'property:soul_md@row',
      'destructure:file_path',
      'element:status@row',
      'property:file_path@args',
      'property:soulMd@settings',
    ]);
  });

  it('reports a syntax error as an event and still scans the file', () => {
    const result = scan('const x = ;\nawait sql`SELECT status FROM runs`;');
    expect(result.events).toEqual([expect.objectContaining({ kind: 'ts-parse-error', line: 1 })]);
    expect(result.sqlSites).toHaveLength(1);
  });

  it('keeps every position inside the file when a template is cut off at its end', () => {
    const text = 'const rows = await sql`SELECT status FROM runs WHERE id = ${id';
    const template = scan(text).sqlSites[0]!.template;
    expect(template.chunks.at(-1)).toEqual({ text: '', start: text.length });
  });

  it('points a quoted destructuring key at its name, after the quote', () => {
    const text = "const { 'soul_md': soul } = row;";
    const mention = scan(text).mentions.find((m) => m.kind === 'destructure');
    expect(mention).toEqual({ name: 'soul_md', kind: 'destructure', position: text.indexOf('soul_md') });
  });
});

describe('configured SQL wrappers', () => {
  it('treats the first argument of a configured wrapper function as SQL, whatever it looks like', () => {
    const text = "export const gold = () => whereClause('loyalty_tier = $1');";
    const scanWith = (extraSqlTags?: RegExp) =>
      scanTypeScript('src/a.ts', text, false, { interestingNames: new Set(), ...(extraSqlTags ? { extraSqlTags } : {}) }).sqlSites.map((s) => s.origin);
    expect(scanWith()).toEqual([]);
    expect(scanWith(/^whereClause$/)).toEqual(['call-argument']);
  });
});
