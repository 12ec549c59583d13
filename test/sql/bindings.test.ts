import { beforeAll, describe, expect, it } from 'vitest';
import { hasFormatterParams, splitBindings, splitFormatterParams } from '../../src/sql/bindings.js';
import { analyzeSql, initSqlParser } from '../../src/sql/index.js';
import { refLines } from './describe-refs.js';
import { createFakeLookup } from './fake-lookup.js';

const lookup = createFakeLookup();
const template = (text: string) => ({ chunks: [{ text, start: 100 }], holes: [], interpolated: true });
/** Text as one plain string (not a template), analysed as it stands. */
const analyze = (text: string) => analyzeSql({ chunks: [{ text, start: 0 }], holes: [], interpolated: false }, lookup);

beforeAll(async () => {
  await initSqlParser();
});

describe('knex / Sequelize bindings', () => {
  it('turns ? and :name into value holes and ?? / :name: into identifier holes at their positions', () => {
    const split = splitBindings(template('select ?? from runs where id = ? and status = :status and x::int = :n:'));
    expect(split.holes).toEqual([
      { kind: 'unknown', text: '??', start: 107 },
      { kind: 'value', start: 131 },
      { kind: 'value', start: 146 },
      { kind: 'unknown', text: ':n:', start: 167 },
    ]);
    expect(split.chunks.map((chunk) => chunk.text)).toEqual(['select ', ' from runs where id = ', ' and status = ', ' and x::int = ', '']);
    expect(split.chunks[1]!.start).toBe(109);
  });

  it('leaves quoted text, quoted identifiers, comments and escaped marks alone', () => {
    const split = splitBindings(template(`select '?', "a?b" from runs -- why?\nwhere id = \\? /* :not */ and a = ?`));
    expect(split.holes).toEqual([{ kind: 'value', start: 100 + split.chunks[0]!.text.length }]);
  });

  it('keeps holes that were already there, in order', () => {
    const split = splitBindings({
      chunks: [{ text: 'select * from runs where id = ? and ', start: 0 }, { text: ' = :v', start: 40 }],
      holes: [{ kind: 'identifier', name: 'status', start: 36 }],
      interpolated: false,
    });
    expect(split.holes.map((hole) => hole.kind)).toEqual(['value', 'identifier', 'value']);
    expect(split.chunks).toHaveLength(4);
  });

  it('lets knex raw SQL with bindings parse', () => {
    const text = 'select retry_delay_seconds from runs where organization_id = ? and status = :status';
    const analysis = analyzeSql(splitBindings(template(text)), lookup);
    expect(analysis.outcome).toBe('parsed');
    expect(refLines(analysis)).toEqual([
      'column public.runs.organization_id read',
      'column public.runs.retry_delay_seconds read',
      'column public.runs.status read',
      'relation public.runs read',
    ]);
  });
});

describe('? placeholders in text no library call claimed', () => {
  it('are tried as bound values once the statement fails as written (a wrapper passing text to knex.raw)', () => {
    const analysis = analyze('SELECT pg_advisory_xact_lock(?::bigint), retry_delay_seconds FROM runs WHERE id = ? AND status = ?');
    expect(analysis.outcome).toBe('parsed');
    expect(refLines(analysis)).toContain('column public.runs.retry_delay_seconds read');
  });

  it("leave Postgres's own ? operators alone: jsonb key tests parse as written", () => {
    const analysis = analyze("SELECT id FROM runs WHERE status::jsonb ? 'queued'");
    expect(analysis.outcome).toBe('parsed');
    expect(refLines(analysis)).toContain('column public.runs.status read');
  });

  it('keep a statement that fails either way a fallback', () => {
    expect(analyze('SELECT FROM WHERE ? ?').outcome).toBe('fallback');
  });
});

describe('pg-promise parameters', () => {
  it('parses statements with named, bracketed and numbered parameters and their modifiers', () => {
    const analysis = analyze(
      'update runs set status = $(status), retry_delay_seconds = $<delay> where id in ($(ids:csv)) and organization_id = $[org] and created_at > ${since} and id <> $/skip/',
    );
    expect(analysis.outcome).toBe('parsed');
    expect(refLines(analysis)).toEqual([
      'column public.runs.created_at read',
      'column public.runs.id read',
      'column public.runs.organization_id read',
      'column public.runs.retry_delay_seconds write',
      'column public.runs.status write',
      'relation public.runs write',
    ]);
  });

  it('treats :name, ~ and :raw as identifiers of unknown text, and leaves quoted text alone', () => {
    const split = splitFormatterParams({ chunks: [{ text: "select $(col:name), '$(x)' from $1~ where a = $2:json -- $(y)", start: 10 }], holes: [], interpolated: false });
    expect(split.holes).toEqual([
      { kind: 'unknown', text: '$(col:name)', start: 17 },
      { kind: 'unknown', text: '$1~', start: 42 },
      { kind: 'value', start: 56 },
    ]);
    expect(hasFormatterParams({ chunks: [{ text: 'select $1, $tag$x$tag$', start: 0 }], holes: [] })).toBe(false);
  });
});

describe('application placeholders and other dialects', () => {
  it('parses {{name}} and {{name::type}} placeholders as values', () => {
    const analysis = analyze('select count(distinct id) from runs where organization_id = {{orgId::uuid}} and created_at > {{ since }}');
    expect(analysis.outcome).toBe('parsed');
    expect(refLines(analysis)).toContain('column public.runs.organization_id read');
  });

  it('sets ClickHouse, MySQL and psql text aside with no refs, and keeps real Postgres failures', () => {
    expect(analyze('select uniq(id) from runs where organization_id = {orgId:UUID}')).toMatchObject({ outcome: 'other-dialect', dialect: 'clickhouse', refs: [] });
    expect(analyze('select `status` from runs limit 1, 2')).toMatchObject({ outcome: 'other-dialect', dialect: 'mysql', refs: [] });
    expect(analyze('\\copy runs to stdout')).toMatchObject({ outcome: 'other-dialect', dialect: 'psql' });
    expect(analyze('select status from runs where')).toMatchObject({ outcome: 'fallback' });
  });
});
