import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql, initSqlParser } from '../../src/sql/index.js';
import { shapeTemplate } from '../../src/sql/shape.js';
import { positionOf, refLines } from './describe-refs.js';
import { createFakeLookup } from './fake-lookup.js';
import { columns, fragment, identifier, someColumns, sqlSource, unknown, value, type Part } from './template-helper.js';

const lookup = createFakeLookup();

const shaped = (parts: Part[], interpolated = false): string =>
  shapeTemplate(sqlSource(parts, { interpolated }).template).text.replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  await initSqlParser();
});

describe('hole shaping', () => {
  it('substitutes a known identifier after FROM, quoted', () => {
    expect(shaped(['SELECT id FROM ', identifier('runs'), ' WHERE id = ', value()])).toBe('SELECT id FROM "runs" WHERE id = $1');
    const { template, source } = sqlSource(['SELECT id FROM ', identifier('audit.events')]);
    const analysis = analyzeSql(template, lookup);
    expect(refLines(analysis)).toEqual(['column audit.events.id read', 'relation audit.events read']);
    expect(positionOf(analysis, 'relation audit.events read')).toBe(source.indexOf('${'));
  });

  it('turns an unknown hole in condition position into TRUE and marks the analysis dynamic', () => {
    expect(shaped(['SELECT id FROM runs WHERE ', unknown(), ' AND status = ', value()], true)).toBe(
      'SELECT id FROM runs WHERE TRUE AND status = $2',
    );
    expect(shaped(['SELECT id FROM runs WHERE status = 1 AND ', unknown()], true)).toBe('SELECT id FROM runs WHERE status = 1 AND TRUE');
    const { template } = sqlSource(['SELECT id FROM runs WHERE ', unknown(), ' AND status = ', value()], { interpolated: true });
    const analysis = analyzeSql(template, lookup);
    expect(analysis.outcome).toBe('parsed');
    expect(analysis.dynamic).toBe(true);
    expect(refLines(analysis)).toContain('column public.runs.status read');
  });

  it('makes an unknown column operand a placeholder that yields no ref', () => {
    expect(shaped(['SELECT id FROM runs WHERE ', unknown('col'), ' = ', value()], true)).toBe(
      'SELECT id FROM runs WHERE __ds_hole_1 = $1',
    );
  });

  it('shapes value holes as parameters, in IN lists and after IN', () => {
    expect(shaped(['SELECT id FROM runs WHERE id = ', value(), ' LIMIT ', value()])).toBe('SELECT id FROM runs WHERE id = $1 LIMIT $2');
    expect(shaped(['SELECT id FROM runs WHERE id IN ', value()])).toBe('SELECT id FROM runs WHERE id IN ($1)');
    expect(shaped(['SELECT id FROM runs WHERE id IN (', value(), ', ', value(), ')'])).toBe('SELECT id FROM runs WHERE id IN ( $1 , $2 )');
    expect(shaped(['INSERT INTO orgs (id, name) VALUES ', value()])).toBe('INSERT INTO orgs (id, name) VALUES ($1)');
    expect(shaped(['SELECT id FROM runs ORDER BY ', unknown()], true)).toBe('SELECT id FROM runs ORDER BY 1');
  });

  it('keeps holes inside quotes as plain characters', () => {
    expect(shaped(["SELECT id FROM runs WHERE status = '", unknown(), "'"], true)).toBe("SELECT id FROM runs WHERE status = 'x'");
    expect(shaped(['SELECT id FROM "', unknown(), '"'], true)).toBe('SELECT id FROM "__ds_hole_1"');
  });

  it('makes a hole in relation position a placeholder whose columns become tokens', () => {
    const { template } = sqlSource(['SELECT id FROM ', unknown('table'), ' WHERE status = ', value()], { interpolated: true });
    const analysis = analyzeSql(template, lookup);
    expect(analysis.dynamic).toBe(true);
    expect(refLines(analysis)).toEqual(['token id', 'token status']);
    expect(shaped(['SELECT id FROM ', unknown('schema'), '.runs'], true)).toBe('SELECT id FROM __ds_hole_1.runs');
    expect(shaped(['SELECT id FROM runs_', unknown('suffix')], true)).toBe('SELECT id FROM runs___ds_hole_1');
  });

  it('drops an unknown hole that stands for a whole clause', () => {
    expect(shaped(['SELECT id FROM runs ', unknown('where'), ' ORDER BY created_at'], true)).toBe('SELECT id FROM runs ORDER BY created_at');
    expect(shaped([unknown('query')], true)).toBe('SELECT 1');
  });

  it('expands the postgres.js column helper by statement', () => {
    expect(shaped(['INSERT INTO runs ', columns('id', 'status'), ' RETURNING id'])).toBe(
      'INSERT INTO runs ("id", "status") VALUES ($1, $2) RETURNING id',
    );
    expect(shaped(['UPDATE runs SET ', columns('status'), ' WHERE id = ', value()])).toBe('UPDATE runs SET "status" = $1 WHERE id = $2');
    expect(shaped(['SELECT ', columns('id', 'status'), ' FROM runs'])).toBe('SELECT "id", "status" FROM runs');
    expect(shaped(['INSERT INTO runs ', someColumns()])).toBe('INSERT INTO runs DEFAULT VALUES');
    expect(shaped(['UPDATE runs SET ', someColumns(), ' WHERE id = ', value()])).toBe('UPDATE runs SET __ds_hole = $1 WHERE id = $2');

    const insert = sqlSource(['INSERT INTO runs ', columns('retry_delay_seconds', 'status'), ' RETURNING id']);
    const analysis = analyzeSql(insert.template, lookup);
    expect(refLines(analysis)).toEqual([
      'column public.runs.id read',
      'column public.runs.retry_delay_seconds write',
      'column public.runs.status write',
      'relation public.runs write',
    ]);
    expect(positionOf(analysis, 'column public.runs.retry_delay_seconds write')).toBe(insert.source.indexOf('${sql(row'));
    const update = analyzeSql(sqlSource(['UPDATE runs SET ', someColumns(), ' WHERE id = ', value()]).template, lookup);
    expect(update.dynamic).toBe(true);
    expect(refLines(update)).toEqual(['column public.runs.id read', 'relation public.runs write']);
  });

  it('inlines nested fragments and maps their refs to absolute positions', () => {
    const { template, source } = sqlSource([
      'SELECT r.id FROM runs r WHERE r.status = ',
      value(),
      fragment(' AND r.created_at > ', value(), fragment(' AND r.retry_delay_seconds > 0')),
      ' ORDER BY r.organization_id',
    ]);
    const analysis = analyzeSql(template, lookup);
    expect(analysis.outcome).toBe('parsed');
    expect(positionOf(analysis, 'column public.runs.created_at read')).toBe(source.indexOf('r.created_at'));
    expect(positionOf(analysis, 'column public.runs.retry_delay_seconds read')).toBe(source.indexOf('r.retry_delay_seconds'));
    expect(positionOf(analysis, 'column public.runs.organization_id read')).toBe(source.indexOf('r.organization_id'));
    expect(positionOf(analysis, 'relation public.runs read')).toBe(source.indexOf('runs r'));
  });

  it('finds the incident: an interpolated INSERT whose RETURNING reads retry_delay_seconds', () => {
    const { template, source } = sqlSource(
      [
        'WITH r AS (INSERT INTO public.runs (organization_id, id, retry_delay_seconds, status) VALUES (',
        unknown('orgId'),
        ', ',
        unknown('id'),
        ', ',
        unknown('delay'),
        ", '",
        unknown('status'),
        "') ON CONFLICT DO NOTHING RETURNING *) SELECT r.id, r.retry_delay_seconds FROM r",
      ],
      { interpolated: true, prefix: 'await tx.unsafe; ' },
    );
    const analysis = analyzeSql(template, lookup);
    expect(analysis.outcome).toBe('parsed');
    const refs = refLines(analysis);
    expect(refs).toContain('column public.runs.retry_delay_seconds write');
    expect(refs).toContain('column public.runs.retry_delay_seconds read');
    expect(refs).toContain('wildcard public.runs');
    expect(positionOf(analysis, 'column public.runs.retry_delay_seconds write')).toBe(source.indexOf('retry_delay_seconds'));
    expect(positionOf(analysis, 'column public.runs.retry_delay_seconds read')).toBe(source.indexOf('r.retry_delay_seconds'));
  });

  it('reads RETURNING r.col through an INSERT alias', () => {
    const { template } = sqlSource(
      [
        'INSERT INTO public.runs AS r (organization_id, id, retry_delay_seconds, status) VALUES (',
        unknown(),
        ', ',
        unknown(),
        ', ',
        unknown(),
        ', ',
        unknown(),
        ') ON CONFLICT DO NOTHING RETURNING r.id, r.retry_delay_seconds',
      ],
      { interpolated: true },
    );
    const refs = refLines(analyzeSql(template, lookup));
    expect(refs).toContain('column public.runs.retry_delay_seconds read');
    expect(refs).toContain('column public.runs.retry_delay_seconds write');
  });
});
