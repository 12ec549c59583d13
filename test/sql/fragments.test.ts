import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql, initSqlParser, sqlTemplateFromText } from '../../src/sql/index.js';
import type { SqlAnalysis } from '../../src/sql/index.js';
import { positionOf, refLines } from './describe-refs.js';
import { createFakeLookup } from './fake-lookup.js';
import { sqlSource, value } from './template-helper.js';

const lookup = createFakeLookup();
const analyze = (sql: string): SqlAnalysis => analyzeSql(sqlTemplateFromText(sql), lookup);

beforeAll(async () => {
  await initSqlParser();
});

describe('fragments', () => {
  it('parses a condition fragment and guesses its columns from the schema', () => {
    const { template, source } = sqlSource(['AND retry_delay_seconds > ', value()]);
    const analysis = analyzeSql(template, lookup);
    expect(analysis.outcome).toBe('fragment');
    expect(refLines(analysis)).toEqual(['column public.runs.retry_delay_seconds read ambiguous']);
    expect(positionOf(analysis, 'column public.runs.retry_delay_seconds read ambiguous')).toBe(source.indexOf('retry_delay_seconds'));
  });

  it('binds a column several tables have to each of them, all ambiguous', () => {
    expect(refLines(analyze('WHERE status = $1'))).toEqual([
      'column public.active_runs.status read ambiguous',
      'column public.agents.status read ambiguous',
      'column public.orgs.status read ambiguous',
      'column public.runs.status read ambiguous',
    ]);
  });

  it('guesses columns qualified by an alias the fragment does not define', () => {
    expect(refLines(analyze('OR r.soul_md IS NOT NULL'))).toEqual(['column public.agents.soul_md read ambiguous']);
  });

  it('resolves tables the fragment names itself', () => {
    const analysis = analyze('LEFT JOIN orgs o ON o.id = r.organization_id');
    expect(analysis.outcome).toBe('fragment');
    expect(refLines(analysis)).toEqual([
      'column public.orgs.id read',
      'column public.runs.organization_id read ambiguous',
      'relation public.orgs read',
    ]);
  });

  it('wraps ORDER BY, GROUP BY, SET, select lists, RETURNING and ON CONFLICT', () => {
    expect(refLines(analyze('ORDER BY created_at DESC'))).toEqual(['column public.runs.created_at read ambiguous']);
    expect(refLines(analyze('GROUP BY nix_config'))).toEqual(['column public.agents.nix_config read ambiguous']);
    expect(refLines(analyze('SET soul_md = $1, nix_config = $2'))).toEqual([
      'column public.agents.nix_config write ambiguous',
      'column public.agents.soul_md write ambiguous',
    ]);
    expect(refLines(analyze('soul_md = $1, "createdAt" = now()'))).toEqual([
      'column public.agents.createdAt write ambiguous',
      'column public.agents.soul_md write ambiguous',
    ]);
    expect(refLines(analyze('soul_md, "createdAt"'))).toEqual([
      'column public.agents.createdAt read ambiguous',
      'column public.agents.soul_md read ambiguous',
    ]);
    expect(refLines(analyze('RETURNING nix_config'))).toEqual(['column public.agents.nix_config read ambiguous']);
    const conflict = refLines(analyze('ON CONFLICT (soul_md) DO UPDATE SET nix_config = excluded.nix_config'));
    expect(conflict).toEqual(['column public.agents.nix_config write ambiguous', 'column public.agents.soul_md read ambiguous']);
  });

  it('parses an expression fragment', () => {
    const analysis = analyze('retry_delay_seconds = ANY($1)');
    expect(analysis.outcome).toBe('fragment');
    expect(refLines(analysis)).toEqual(['column public.runs.retry_delay_seconds read ambiguous']);
  });
});

describe('fallback', () => {
  it('reports identifier tokens with the parser error when nothing parses', () => {
    const sql = 'SELEC id, retry_delay_seconds FROM runs WHERE "createdAt" = 1';
    const analysis = analyze(sql);
    expect(analysis.outcome).toBe('fallback');
    expect(analysis.error).toMatch(/syntax error/);
    expect(analysis.refs.every((ref) => ref.kind === 'token')).toBe(true);
    expect(refLines(analysis)).toEqual(expect.arrayContaining(['token retry_delay_seconds', 'token runs', 'token createdAt']));
    expect(positionOf(analysis, 'token createdAt')).toBe(sql.indexOf('"createdAt"'));
  });

  it('keeps unreserved keywords only when the schema knows the name', () => {
    const analysis = analyze('SELECT name, type FROM orgs WHERE (((');
    expect(analysis.outcome).toBe('fallback');
    expect(refLines(analysis)).toEqual(['token name', 'token orgs']);
  });

  it('survives unterminated quotes', () => {
    const analysis = analyze("SELECT status FROM runs WHERE name = 'oops");
    expect(analysis.outcome).toBe('fallback');
    expect(refLines(analysis)).toEqual(['token name', 'token runs', 'token status']);
  });
});
