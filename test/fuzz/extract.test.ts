/**
 * The reference extractor against statements whose truth is known (./statements.ts, checked
 * against PGlite by ./statements.test.ts): SELECT with joins (ON, USING, NATURAL), aliases,
 * derived and LATERAL tables, correlated subqueries, CTEs (recursive, data-modifying, some
 * shadowing a table name), INSERT ... VALUES/SELECT/ON CONFLICT/RETURNING, UPDATE ... FROM,
 * DELETE ... USING, MERGE, with qualified, bare, quoted and upper-case names; then the same
 * statements with `${}` holes and nested fragments cut in. Replay a failure as described in
 * ./arbitraries.ts; the message carries the generated SQL.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql, initSqlParser, sqlTemplateFromText } from '../../src/sql/index.js';
import type { SqlChunk, SqlHole, SqlRef, SqlTemplate } from '../../src/sql/types.js';
import { refLines } from '../sql/describe-refs.js';
import { createFakeLookup } from '../sql/fake-lookup.js';
import { choiceTape, Choices, fuzzParameters, fuzzRuns } from './arbitraries.js';
import { StatementGenerator, statementSchema, type Generated } from './statements.js';

const lookup = createFakeLookup(statementSchema);
const statements = choiceTape.map((tape): Generated => StatementGenerator.generate(new Choices(tape)));

const sorted = (values: Iterable<string>): string[] => [...values].sort();

function actual(refs: SqlRef[]): { relations: string[]; columns: string[]; wildcards: string[]; others: SqlRef[] } {
  const relations = new Set<string>();
  const columns = new Set<string>();
  const wildcards = new Set<string>();
  const others: SqlRef[] = [];
  for (const ref of refs) {
    if (ref.kind === 'relation') relations.add(`${ref.relationId}:${ref.role}`);
    else if (ref.kind === 'column' && !ref.ambiguous) columns.add(`${ref.relationId}.${ref.column}:${ref.role}`);
    else if (ref.kind === 'wildcard') wildcards.add(ref.relationId);
    else others.push(ref);
  }
  return { relations: sorted(relations), columns: sorted(columns), wildcards: sorted(wildcards), others };
}

/**
 * The statement with `${}` holes cut in: each `$n` and the `x` of each `'x'` as a bound value
 * (postgres.js tag) or, in string interpolation, an expression the scanner cannot see; each table
 * name as a known identifier (`sql('public.users')`). Positions are those in `marked`.
 */
function withHoles(marked: string, kind: 'value' | 'unknown'): SqlTemplate {
  const template: SqlTemplate = { chunks: [], holes: [], interpolated: kind === 'unknown' };
  let from = 0;
  for (const match of marked.matchAll(/\$\d+|(?<=')x(?=')|\u0001([^\u0002]*)\u0002[^\u0003]*\u0003/g)) {
    template.chunks.push({ text: marked.slice(from, match.index), start: from });
    const hole: SqlHole =
      match[1] !== undefined
        ? { kind: 'identifier', name: match[1], start: match.index }
        : kind === 'value'
          ? { kind, start: match.index }
          : { kind, text: 'x', start: match.index };
    template.holes.push(hole);
    from = match.index + match[0].length;
  }
  template.chunks.push({ text: marked.slice(from), start: from });
  return template;
}

/**
 * The statement with the tokens between two token starts moved into a `${sql`...`}` fragment,
 * parameters (inside and outside it) as value holes. Cuts fall between tokens with no space
 * around them too (`count` + `(*)`), where only the shaper's padding keeps tokens apart.
 */
function withFragments(sql: string, cuts: number[]): SqlTemplate {
  const starts = [...sql.matchAll(/::|[\w$]+|"[^"]*"|'[^']*'|\S/g)].map((match) => match.index);
  const [a, b] = [cuts[0]! % starts.length, cuts[1]! % starts.length].sort((x, y) => x - y) as [number, number];
  const [from, to] = [starts[a]!, b === a ? sql.length : starts[b]!];
  if (to <= from) return withHoles(sql, 'value');
  const inner = shift(withHoles(sql.slice(from, to), 'value'), from);
  const outer = withHoles(sql.slice(0, from) + '#'.repeat(to - from) + sql.slice(to), 'value');
  // Replace the run of '#' (a chunk's middle) with the fragment hole.
  const chunks: SqlChunk[] = [];
  const holes: SqlHole[] = [];
  outer.chunks.forEach((chunk, index) => {
    const at = chunk.text.indexOf('#');
    if (at === -1) chunks.push(chunk);
    else {
      chunks.push({ text: chunk.text.slice(0, at), start: chunk.start });
      holes.push({ kind: 'fragment', template: inner, start: chunk.start + at });
      chunks.push({ text: chunk.text.slice(at + (to - from)), start: chunk.start + at + (to - from) });
    }
    const hole = outer.holes[index];
    if (hole) holes.push(hole);
  });
  return { chunks, holes };
}

function shift(template: SqlTemplate, by: number): SqlTemplate {
  return {
    chunks: template.chunks.map((chunk) => ({ ...chunk, start: chunk.start + by })),
    holes: template.holes.map((hole) => ({ ...hole, start: hole.start + by })),
  };
}

const holeKinds = fc.constantFrom('value', 'unknown', 'identifier', 'columns', 'columns?');

/** Holes of any kind cut into a statement at token boundaries, each inserted or replacing the token there. */
const holedStatements = fc
  .record({
    tape: choiceTape,
    cuts: fc.array(fc.record({ at: fc.nat(), replace: fc.boolean(), kind: holeKinds }), { minLength: 1, maxLength: 4 }),
    interpolated: fc.boolean(),
  })
  .map(({ tape, cuts, interpolated }) => {
    const generated = StatementGenerator.generate(new Choices(tape));
    const { sql } = generated;
    const tokens = [...sql.matchAll(/[\w$]+|"[^"]*"|'[^']*'|\S/g)].map((match) => [match.index, match.index + match[0].length] as const);
    const picked = [...new Map(cuts.map((cut) => [cut.at % tokens.length, cut])).entries()].sort(([a], [b]) => a - b);
    const template: SqlTemplate = { chunks: [], holes: [], interpolated };
    let from = 0;
    for (const [index, cut] of picked) {
      const [start, end] = tokens[index]!;
      if (start < from) continue;
      template.chunks.push({ text: sql.slice(from, start), start: from });
      const names = [...generated.truth.relations].map((key) => key.slice(0, key.indexOf(':')));
      const hole: SqlHole =
        cut.kind === 'value'
          ? { kind: 'value', start }
          : cut.kind === 'unknown'
            ? { kind: 'unknown', text: 'x', start }
            : cut.kind === 'identifier'
              ? { kind: 'identifier', name: names[index % names.length] ?? 'users', start }
              : { kind: 'columns', columns: cut.kind === 'columns' ? ['id', 'email'] : undefined, start };
      template.holes.push(hole);
      from = cut.replace ? end : start;
    }
    template.chunks.push({ text: sql.slice(from), start: from });
    return { ...generated, template };
  });

beforeAll(async () => {
  await initSqlParser();
});

describe('SQL reference extraction (property)', () => {
  it('parses every generated statement and reports exactly the reads and writes the generator knows', () => {
    fc.assert(
      fc.property(statements, ({ sql, truth }) => {
        const analysis = analyzeSql(sqlTemplateFromText(sql), lookup);
        expect(analysis.outcome, `${analysis.error}\n${sql}`).toBe('parsed');
        const got = actual(analysis.refs);
        // No token guesses and no ambiguous bindings: every generated name binds one way.
        expect(got.others, sql).toEqual([]);
        expect(got.relations, sql).toEqual(sorted(truth.relations));
        expect(got.columns, sql).toEqual(sorted(truth.columns));
        expect(got.wildcards, sql).toEqual(sorted(truth.wildcards));
      }),
      fuzzParameters(fuzzRuns(80, 4000)),
    );
  });

  it('gives the same references when parameters, string contents and table names are `${}` holes', () => {
    fc.assert(
      fc.property(statements, fc.constantFrom('value' as const, 'unknown' as const), ({ sql, marked }, kind) => {
        const template = withHoles(marked, kind);
        const plain = analyzeSql(sqlTemplateFromText(sql), lookup);
        const holed = analyzeSql(template, lookup);
        expect(holed.outcome, `${holed.error}\n${sql}`).toBe('parsed');
        expect(refLines(holed), sql).toEqual(refLines(plain));
      }),
      fuzzParameters(fuzzRuns(40, 2000)),
    );
  });

  it('gives the same references when part of the statement is a nested sql`` fragment', () => {
    fc.assert(
      fc.property(statements, fc.tuple(fc.nat(), fc.nat()), ({ sql }, cuts) => {
        const plain = analyzeSql(sqlTemplateFromText(sql), lookup);
        const nested = analyzeSql(withFragments(sql, cuts), lookup);
        expect(nested.outcome, `${nested.error}\n${sql}`).toBe('parsed');
        expect(refLines(nested), sql).toEqual(refLines(plain));
      }),
      fuzzParameters(fuzzRuns(40, 2000)),
    );
  });

  it('invents no relation when holes of any kind sit anywhere in a statement', () => {
    fc.assert(
      fc.property(holedStatements, ({ sql, template }) => {
        const analysis = analyzeSql(template, lookup);
        // A hole may change what a name means (glued to a CTE's name, the table of that name is meant
        // again), so the bound is what the text names, not the generator's truth.
        const text = (sql + JSON.stringify(template.holes)).toLowerCase();
        for (const ref of analysis.refs) {
          const where = `${JSON.stringify(ref)} from ${JSON.stringify(template)}\n${sql}`;
          expect(ref.position, where).toBeGreaterThanOrEqual(0);
          expect(ref.position, where).toBeLessThanOrEqual(sql.length);
          if (ref.kind === 'relation' || ref.kind === 'wildcard' || (ref.kind === 'column' && !ref.ambiguous)) {
            expect(text, where).toContain(ref.relationId.slice(ref.relationId.indexOf('.') + 1).toLowerCase());
          }
        }
      }),
      fuzzParameters(fuzzRuns(40, 2000)),
    );
  });

  it('points every reference at a name in the statement', () => {
    fc.assert(
      fc.property(statements, ({ sql }) => {
        const analysis = analyzeSql(sqlTemplateFromText(sql), lookup);
        for (const ref of analysis.refs) {
          const at = sql.slice(ref.position);
          const where = `${JSON.stringify(ref)} at ${JSON.stringify(at.slice(0, 30))} in\n${sql}`;
          expect(ref.position, where).toBeGreaterThanOrEqual(0);
          expect(ref.position, where).toBeLessThan(sql.length);
          if (ref.kind === 'relation') {
            const [schema, name] = [ref.relationId.slice(0, ref.relationId.indexOf('.')), ref.relationId.slice(ref.relationId.indexOf('.') + 1)];
            const spelled = new RegExp(`^(?:"?${schema}"?\\.)?"?${name}"?(?![\\w$])`, 'i');
            expect(at, where).toMatch(spelled);
          } else {
            // A column, star or whole row is reported where a name (or `*`) is written.
            expect(at, where).toMatch(/^["A-Za-z_*]/);
          }
        }
      }),
      fuzzParameters(fuzzRuns(40, 1500)),
    );
  });
});
