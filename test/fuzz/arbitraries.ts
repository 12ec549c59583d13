/**
 * Shared settings and generators for the property-based tests in test/fuzz/.
 *
 * `npm test` runs each property a few dozen times; `npm run fuzz` (FUZZ_SCALE set by
 * test/fuzz/vitest.config.ts) runs each one `full` times. A failure prints fast-check's seed and
 * path; to replay exactly that case:
 *
 *   FUZZ_SEED=<seed> FUZZ_PATH=<path> npx vitest run test/fuzz/<file> -t '<property name>'
 *
 * (with FUZZ_SEED alone the whole run is repeated from that seed).
 */
import fc from 'fast-check';
import type { Parameters } from 'fast-check';
import { columns, fragment, identifier, someColumns, unknown, value, type HoleInput, type Part } from '../sql/template-helper.js';

const scale = Number(process.env.FUZZ_SCALE ?? '0');

/** Runs for one property: `quick` in the regular suite, `full` under `npm run fuzz`. */
export function fuzzRuns(quick: number, full: number): number {
  return scale > 0 ? Math.ceil(full * scale) : quick;
}

/** fast-check parameters with the replay settings from the environment, when given. */
export function fuzzParameters<T>(numRuns: number): Parameters<T> {
  const parameters: Parameters<T> = { numRuns };
  if (process.env.FUZZ_SEED !== undefined) parameters.seed = Number(process.env.FUZZ_SEED);
  if (process.env.FUZZ_PATH !== undefined) {
    parameters.path = process.env.FUZZ_PATH;
    parameters.endOnFailure = true;
  }
  return parameters;
}

/**
 * Pieces of SQL-ish text: keywords that decide hole contexts, names, literals, and every way
 * of opening something that a hole may then sit inside (quotes, comments, dollar quotes).
 */
const sqlPieces = [
  'SELECT', 'DISTINCT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'VALUES', 'INSERT INTO', 'UPDATE', 'SET',
  'DELETE FROM', 'USING', 'JOIN', 'LEFT JOIN', 'ON', 'ORDER BY', 'GROUP BY', 'LIMIT', 'OFFSET', 'RETURNING', 'AS', 'WITH',
  'EXISTS', 'LATERAL', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'ON CONFLICT', 'DO NOTHING', 'DO UPDATE SET', 'DEFAULT VALUES',
  'UNION', 'TRUNCATE', 'ANY', 'DESC', 'FETCH FIRST', 'ROWS ONLY', 'BETWEEN', 'LIKE', 'interval', 'TRUE',
  'runs', 'id', 'status', 'agents', 'soul_md', 'audit.events', 'r', 'r.id', 'public.runs', '"Mixed Case"', 'x', 'ä', '😀',
  '(', ')', ',', '.', ';', '=', '<>', '*', '+', '::', '::text', '[1]', '||', '->>',
  "'", '"', '--', '/*', '*/', '$$', '$tag$', "E'", "'it''s'", "E'\\''", '\\', '\n', '$1', '?', '??', ':name', ':name:', '1',
  '1.5e3', 'now()', 'count(*)', '$', 'tag',
];

export const sqlPiece = fc.constantFrom(...sqlPieces);

/** A run of literal SQL text: pieces glued directly, by a space or by a newline. */
export const sqlChunk: fc.Arbitrary<string> = fc
  .array(fc.tuple(sqlPiece, fc.constantFrom('', ' ', ' ', ' ', '\n')), { maxLength: 8 })
  .map((pieces) => pieces.map(([piece, separator]) => piece + separator).join(''));

const identifierName = fc.constantFrom('runs', 'audit.events', 'agents', 'Weird"Name', 'a.b.c', '', 'x y', 'ä', 'runs"; DROP');
const columnList = fc.array(fc.constantFrom('id', 'status', 'soul_md', 'Mixed"Col', ''), { maxLength: 3 });

/** Any kind of `${}` hole, fragments nested at most `depth` deep. */
function holeInput(depth: number): fc.Arbitrary<HoleInput> {
  const leaves: fc.Arbitrary<HoleInput>[] = [
    fc.constant(value()),
    fc.constantFrom(unknown('x'), unknown('cond ? a : b'), unknown('table')),
    identifierName.map(identifier),
    columnList.map((names) => columns(...names)),
    fc.constant(someColumns()),
  ];
  if (depth <= 0) return fc.oneof(...leaves);
  return fc.oneof(...leaves, templateParts(depth - 1).map((parts) => fragment(...parts)));
}

/** Alternating chunks and holes, as the scanner would cut a template literal. */
export function templateParts(depth = 2): fc.Arbitrary<Part[]> {
  return fc
    .tuple(sqlChunk, fc.array(fc.tuple(holeInput(depth), sqlChunk), { maxLength: depth === 2 ? 6 : 3 }))
    .map(([head, rest]) => [head, ...rest.flat()]);
}

/**
 * A tape of choices for generators written as plain code: each decision consumes the next
 * number, and shrinking moves numbers toward 0, i.e. toward each decision's first (simplest)
 * option. A tape that runs out keeps answering 0.
 */
export class Choices {
  private index = 0;

  constructor(private readonly tape: readonly number[]) {}

  /** An integer in [0, count). */
  int(count: number): number {
    const next = this.tape[this.index++] ?? 0;
    return count <= 1 ? 0 : next % count;
  }

  /** True with about `percent` % chance; false when the tape runs out. */
  chance(percent: number): boolean {
    return this.int(100) >= 100 - percent;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Choices.pick: nothing to pick from');
    return items[this.int(items.length)] as T;
  }
}

export const choiceTape = fc.array(fc.nat({ max: 0xffff }), { minLength: 150, maxLength: 400, size: 'max' });
