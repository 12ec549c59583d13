import { beforeAll, describe, expect, it } from 'vitest';
import { splitBindings } from '../../src/sql/bindings.js';
import { analyzeSql, initSqlParser } from '../../src/sql/index.js';
import { refLines } from './describe-refs.js';
import { createFakeLookup } from './fake-lookup.js';

const lookup = createFakeLookup();
const template = (text: string) => ({ chunks: [{ text, start: 100 }], holes: [], interpolated: true });

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
    expect(analyzeSql(template(text), lookup).outcome).toBe('fallback');
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
