import { parseSync } from 'libpg-query';

const STARTS_WITH_COPY = /^copy\b/i;
const PROGRAM = /\bprogram\b/i;
const SERVER_FILE = /\b(from|to)\s+e?'/i;

/**
 * Why a migration statement must never run, or undefined when it may. `COPY ... TO/FROM
 * PROGRAM` runs a shell command and `COPY ... TO/FROM 'file'` reads or writes a file as the
 * server: from an untrusted repository neither says anything about the schema. `COPY ... FROM
 * stdin` stays (split.ts already drops the dump data that follows it). Needs libpg-query's
 * module loaded (loadSqlScanner).
 */
export function refusalReason(sql: string): string | undefined {
  if (!STARTS_WITH_COPY.test(sql)) return undefined;
  let copy: { is_program?: boolean; filename?: string; is_from?: boolean } | undefined;
  try {
    const statement = parseSync(sql).stmts?.[0]?.stmt as { CopyStmt?: typeof copy } | undefined;
    copy = statement?.CopyStmt;
  } catch {
    // Postgres would reject it too, but a grammar difference must not let a program through.
    if (PROGRAM.test(sql)) return 'COPY ... PROGRAM would run a program on this machine';
    if (SERVER_FILE.test(sql)) return 'COPY with a file name would read or write a file as the server';
    return undefined;
  }
  if (copy === undefined) return undefined;
  if (copy.is_program === true) return `COPY ... ${copy.is_from === true ? 'FROM' : 'TO'} PROGRAM would run a program on this machine`;
  if (copy.filename !== undefined) return `COPY ... ${copy.is_from === true ? 'FROM' : 'TO'} '${copy.filename}' would read or write a file as the server`;
  return undefined;
}
