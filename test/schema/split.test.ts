import { beforeAll, describe, expect, it } from 'vitest';
import { isTransactionControl, loadSqlScanner, splitStatements } from '../../src/schema/split.js';

beforeAll(async () => {
  await loadSqlScanner();
});

describe('splitStatements', () => {
  it('keeps semicolons inside strings, comments and dollar quotes', () => {
    const sql = [
      "INSERT INTO notes VALUES ('a;b');",
      '/* block; comment */ SELECT 1;',
      '-- line; comment',
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$',
      'BEGIN',
      '  PERFORM 1;',
      '  RETURN 2;',
      'END;',
      '$body$;',
      "SELECT E'it\\'s; fine';",
    ].join('\n');
    const statements = splitStatements(sql);
    expect(statements.map((s) => s.line)).toEqual([1, 2, 4, 10]);
    expect(statements[0]?.sql).toBe("INSERT INTO notes VALUES ('a;b')");
    expect(statements[2]?.sql).toContain('RETURN 2;');
    expect(statements[3]?.sql).toBe("SELECT E'it\\'s; fine'");
  });

  it('treats a BEGIN ATOMIC body as one statement', () => {
    const sql = [
      'CREATE FUNCTION total(a int, b int) RETURNS int LANGUAGE sql',
      'BEGIN ATOMIC',
      '  SELECT CASE WHEN a > 0 THEN a ELSE 0 END + b;',
      'END;',
      'SELECT 2;',
    ].join('\n');
    const statements = splitStatements(sql);
    expect(statements).toHaveLength(2);
    expect(statements[0]?.sql).toMatch(/END$/);
    expect(statements[1]).toEqual({ sql: 'SELECT 2', line: 5 });
  });

  it('drops psql meta-commands and COPY data but keeps line numbers', () => {
    const sql = [
      '\\restrict abc123',
      '\\connect app',
      'CREATE TABLE t (id int);',
      'COPY public.t (id) FROM stdin;',
      '1',
      '2',
      '\\.',
      '',
      'CREATE TABLE u (id int);',
      '\\unrestrict abc123',
    ].join('\n');
    expect(splitStatements(sql)).toEqual([
      { sql: 'CREATE TABLE t (id int)', line: 3 },
      { sql: 'CREATE TABLE u (id int)', line: 9 },
    ]);
  });

  it('leaves backslash lines inside dollar-quoted bodies alone', () => {
    const sql = ['CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$', "\\ SELECT 'x'", '$$;'].join('\n');
    const [statement] = splitStatements(sql);
    expect(statement?.sql).toContain("\\ SELECT 'x'");
  });

  it('splits on drizzle breakpoints even without a semicolon', () => {
    const sql = ['ALTER TABLE "t" ADD COLUMN "a" int', '--> statement-breakpoint', 'CREATE INDEX "i" ON "t" ("a");'].join('\n');
    expect(splitStatements(sql, { breakpoints: true })).toEqual([
      { sql: 'ALTER TABLE "t" ADD COLUMN "a" int', line: 1 },
      { sql: 'CREATE INDEX "i" ON "t" ("a")', line: 3 },
    ]);
  });

  it('counts lines correctly after multi-byte characters', () => {
    const sql = "COMMENT ON TABLE t IS 'héllo wörld';\nSELECT 'ü';\nSELECT 3;";
    expect(splitStatements(sql).map((s) => [s.line, s.sql])).toEqual([
      [1, "COMMENT ON TABLE t IS 'héllo wörld'"],
      [2, "SELECT 'ü'"],
      [3, 'SELECT 3'],
    ]);
  });

  it('ignores a byte-order mark and CRLF line endings', () => {
    expect(splitStatements('\uFEFFCREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n')).toEqual([
      { sql: 'CREATE TABLE a (id int)', line: 1 },
      { sql: 'CREATE TABLE b (id int)', line: 2 },
    ]);
  });

  it('falls back to line endings when the scanner rejects the text', () => {
    const sql = "CREATE TABLE a (id int);\nSELECT 'unterminated;\nCREATE TABLE b (id int);";
    const statements = splitStatements(sql);
    expect(statements[0]).toEqual({ sql: 'CREATE TABLE a (id int)', line: 1 });
    expect(statements.length).toBeGreaterThanOrEqual(2);
  });
});

describe('isTransactionControl', () => {
  it('recognises what migration tools wrap files in', () => {
    for (const sql of ['BEGIN', 'begin transaction', 'COMMIT', 'END', 'ROLLBACK', 'START TRANSACTION ISOLATION LEVEL SERIALIZABLE']) {
      expect(isTransactionControl(sql)).toBe(true);
    }
    expect(isTransactionControl('BEGIN ATOMIC SELECT 1; END')).toBe(false);
    expect(isTransactionControl('CREATE TABLE commit_log (id int)')).toBe(false);
  });
});
