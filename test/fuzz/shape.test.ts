/**
 * Properties of hole shaping: random SQL-ish templates with `${}` holes of every kind in every
 * position (values, names, after keywords, inside strings, comments and dollar quotes, nested
 * fragments). Replay a failure as described in ./arbitraries.ts.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitBindings } from '../../src/sql/bindings.js';
import { analyzeSql, initSqlParser } from '../../src/sql/index.js';
import { IncrementalLexer, lexSql } from '../../src/sql/lex.js';
import { shapeAttempts, shapeTemplate, type ShapeStrategy } from '../../src/sql/shape.js';
import type { SqlChunk, SqlTemplate } from '../../src/sql/types.js';
import { createFakeLookup } from '../sql/fake-lookup.js';
import { sqlSource } from '../sql/template-helper.js';
import { fuzzParameters, fuzzRuns, sqlChunk, templateParts } from './arbitraries.js';

const lookup = createFakeLookup();
/** Text from the characters that start, continue or end tokens, so token boundaries fall anywhere. */
const lexerText = fc
  .array(fc.constantFrom('$', 'a', 'E', '1', '.', "'", '"', '-', '/', '*', ':', '\\', ' ', '\n', '(', 'é'), { maxLength: 8 })
  .map((chars) => chars.join(''));
const strategies: ShapeStrategy[] = ['context', 'alternate', 'params', 'drop', 'truth'];

/** A random template and the source text its chunk and hole positions point into. */
const sourced = fc
  .record({ parts: templateParts(), interpolated: fc.boolean() })
  .map(({ parts, interpolated }) => sqlSource(parts, { interpolated }));

function allChunks(template: SqlTemplate): SqlChunk[] {
  return template.chunks.concat(template.holes.flatMap((hole) => (hole.kind === 'fragment' ? allChunks(hole.template) : [])));
}

function holeCount(template: SqlTemplate): number {
  return template.holes.reduce((count, hole) => count + 1 + (hole.kind === 'fragment' ? holeCount(hole.template) : 0), 0);
}

beforeAll(async () => {
  await initSqlParser();
});

describe('hole shaping (property)', () => {
  it('maps every shaped character to the same source character or to the start of its hole, and keeps every literal character', () => {
    fc.assert(
      fc.property(sourced, fc.constantFrom(...strategies), ({ template, source }, strategy) => {
        const shaped = shapeTemplate(template, strategy);
        const text = JSON.stringify(shaped.text);
        const literalAt = new Map<number, number>();
        for (let index = 0; index < shaped.text.length; index++) {
          const position = shaped.map.toSource(index);
          const atHole = source.startsWith('${', position);
          if (!atHole && source[position] !== shaped.text[index]) throw new Error(`shaped[${index}] maps to source ${position}: ${text}`);
          if (atHole) continue;
          if (literalAt.has(position)) throw new Error(`source ${position} appears twice in ${text}`);
          literalAt.set(position, index);
        }
        // Every literal character survives, each chunk in one piece.
        for (const chunk of allChunks(template)) {
          for (let offset = 0; offset < chunk.text.length; offset++) {
            const index = literalAt.get(chunk.start + offset);
            if (index === undefined) throw new Error(`chunk ${JSON.stringify(chunk.text)}[${offset}] lost in ${text}`);
            if (offset > 0 && index !== (literalAt.get(chunk.start + offset - 1) as number) + 1) {
              throw new Error(`chunk ${JSON.stringify(chunk.text)} split at ${offset} in ${text}`);
            }
          }
        }
        if (holeCount(template) === 0) {
          expect(shaped.text).toBe(template.chunks.map((chunk) => chunk.text).join(''));
          expect(shaped.dynamic).toBe(false);
        }
      }),
      fuzzParameters(fuzzRuns(50, 3000)),
    );
  });

  it('tries at most five distinct shapings, the context guess first', () => {
    fc.assert(
      fc.property(sourced, ({ template }) => {
        const texts = [...shapeAttempts(template)].map((shaped) => shaped.text);
        expect(texts.length).toBeGreaterThanOrEqual(1);
        expect(texts.length).toBeLessThanOrEqual(strategies.length);
        expect(new Set(texts).size).toBe(texts.length);
        expect(texts[0]).toBe(shapeTemplate(template).text);
      }),
      fuzzParameters(fuzzRuns(30, 1500)),
    );
  });

  it('analyses any template without throwing, deterministically, into well-formed references', () => {
    fc.assert(
      fc.property(sourced, ({ template, source }) => {
        const analysis = analyzeSql(template, lookup);
        expect(analyzeSql(template, lookup)).toEqual(analysis);
        expect(['parsed', 'fragment', 'fallback', 'other-dialect']).toContain(analysis.outcome);
        if (analysis.outcome === 'fallback') expect(typeof analysis.error).toBe('string');
        // Another database's dialect (a backquote, `{x:Type}`) is set aside: named, with no references.
        if (analysis.outcome === 'other-dialect') {
          expect(typeof analysis.dialect).toBe('string');
          expect(analysis.refs).toEqual([]);
        }
        if (holeCount(template) === 0) expect(analysis.dynamic).toBe(false);
        const first = template.chunks[0]!.start;
        for (const ref of analysis.refs) {
          const where = `${JSON.stringify(ref)} in ${JSON.stringify(source)}`;
          expect(ref.position, where).toBeGreaterThanOrEqual(first);
          expect(ref.position, where).toBeLessThan(source.length);
          if (ref.kind === 'relation' || ref.kind === 'wildcard' || ref.kind === 'column') {
            expect(lookup.resolveRelation(...splitId(ref.relationId)), where).toBeDefined();
          }
          if (ref.kind === 'column') expect(lookup.resolveRelation(...splitId(ref.relationId))?.columns, where).toContain(ref.column);
          // No relation is invented: one the analysis is sure of is named in the text (or a hole's helper call).
          if (ref.kind === 'relation' || ref.kind === 'wildcard' || (ref.kind === 'column' && !ref.ambiguous)) {
            expect(source.toLowerCase(), where).toContain(splitId(ref.relationId)[1].toLowerCase());
          }
          if (ref.kind === 'token') expect(ref.name, where).not.toMatch(/__ds_/i);
          if (ref.kind === 'function') expect(ref.functionIds.length, where).toBeGreaterThan(0);
        }
      }),
      fuzzParameters(fuzzRuns(50, 3000)),
    );
  });

  it('turns knex/Sequelize bindings into holes without losing or moving any text', () => {
    fc.assert(
      fc.property(sourced, ({ template, source }) => {
        const split = splitBindings(template);
        expect(split.chunks.length).toBe(split.holes.length + 1);
        for (const chunk of split.chunks) expect(source.slice(chunk.start, chunk.start + chunk.text.length)).toBe(chunk.text);
        // Holes already there stay, in order (a fragment's own text gets its bindings split too).
        const key = (hole: { kind: string; start: number }): string => `${hole.kind}@${hole.start}`;
        const original = new Set(template.holes.map(key));
        const added = split.holes.filter((hole) => !original.has(key(hole)));
        expect(split.holes.filter((hole) => original.has(key(hole))).map(key)).toEqual(template.holes.map(key));
        for (const hole of added) expect(source[hole.start]).toMatch(/[?:]/);
        // Chunks and holes stay in source order.
        split.holes.forEach((hole, index) => {
          expect(hole.start).toBeGreaterThanOrEqual(split.chunks[index]!.start + split.chunks[index]!.text.length);
          expect(split.chunks[index + 1]!.start).toBeGreaterThan(hole.start);
        });
      }),
      fuzzParameters(fuzzRuns(30, 1500)),
    );
  });

  it('lexes a growing text incrementally exactly as in one pass', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(sqlChunk, lexerText), { minLength: 1, maxLength: 6 }), (pieces) => {
        const lexer = new IncrementalLexer();
        let text = '';
        for (const piece of pieces) {
          text += piece;
          const incremental = lexer.lex(text);
          const whole = lexSql(text);
          expect(incremental.state, JSON.stringify(pieces)).toBe(whole.state);
          expect(incremental.tokens, JSON.stringify(pieces)).toEqual(whole.tokens);
        }
      }),
      fuzzParameters(fuzzRuns(80, 3000)),
    );
  });
});

function splitId(id: string): [string, string] {
  const dot = id.indexOf('.');
  return [id.slice(0, dot), id.slice(dot + 1)];
}
