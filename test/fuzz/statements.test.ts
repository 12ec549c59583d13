/**
 * The statement generator's own check: what it produces is valid Postgres, run against the
 * same schema in embedded Postgres. Name-binding mistakes (unknown or ambiguous columns,
 * invisible FROM items) would make its truth wrong; type mismatches do not matter, since
 * the generator compares anything with anything.
 */
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choiceTape, Choices, fuzzParameters, fuzzRuns } from './arbitraries.js';
import { StatementGenerator, statementSchema } from './statements.js';

/** SQLSTATEs of type errors: undefined operator or function, datatype mismatch, bad literal, undeterminable parameter type, grouping. */
const typeErrors = new Set(['42883', '42804', '22P02', '22007', '22008', '42P18', '42P08', '42803']);

let db: PGlite;

beforeAll(async () => {
  db = new PGlite();
  const ddl = statementSchema.relations.map((relation) => {
    const columns = relation.columns.map((column) => `"${column}" text UNIQUE`).join(', ');
    return `CREATE SCHEMA IF NOT EXISTS "${relation.schema ?? 'public'}"; CREATE TABLE "${relation.schema ?? 'public'}"."${relation.name}" (${columns});`;
  });
  await db.exec(ddl.join('\n'));
});

afterAll(async () => {
  await db.close();
});

describe('generated statements (property)', () => {
  it('are valid Postgres for the schema, apart from types', async () => {
    await fc.assert(
      fc.asyncProperty(choiceTape, async (tape) => {
        const { sql } = StatementGenerator.generate(new Choices(tape));
        const parameters = Math.max(0, ...(sql.match(/\$\d+/g) ?? []).map((parameter) => Number(parameter.slice(1))));
        const types = parameters === 0 ? '' : `(${Array.from({ length: parameters }, () => 'text').join(', ')})`;
        try {
          await db.exec(`PREPARE generated${types} AS ${sql}`);
        } catch (error) {
          const code = (error as { code?: string }).code ?? '';
          expect(typeErrors.has(code), `${code} ${(error as Error).message}\n${sql}`).toBe(true);
        } finally {
          await db.exec('DEALLOCATE ALL');
        }
      }),
      fuzzParameters(fuzzRuns(40, 2000)),
    );
  });
});
