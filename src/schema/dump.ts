import { readText } from '../text/decode.js';
import path from 'node:path';
import { SchemaSourceError, messageOf } from '../errors.js';
import { loadSqlScanner, splitStatements, type SqlStatement } from './split.js';

export interface SchemaFile {
  /** Absolute path. */
  file: string;
  content: string;
  statements: SqlStatement[];
}

export async function readSchemaFile(file: string): Promise<SchemaFile> {
  const absolute = path.resolve(file);
  let content: string;
  try {
    content = await readText(absolute);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new SchemaSourceError(`cannot read schema file ${file}: ${typeof code === 'string' ? code : messageOf(error)}`, {
      path: absolute,
      cause: error,
    });
  }
  await loadSqlScanner();
  return { file: absolute, content, statements: splitStatements(content) };
}

/**
 * Statements of a pg_dump file that concern roles, privileges or replication rather than the
 * schema: they would fail against a fresh database (missing roles) or try to reach other servers.
 */
const SKIPPED = [
  /^ALTER\s[\s\S]*\sOWNER\s+TO\s/i,
  /^(GRANT|REVOKE)\s/i,
  /^ALTER\s+DEFAULT\s+PRIVILEGES\s/i,
  /^COMMENT\s+ON\s+EXTENSION\s/i,
  /^SECURITY\s+LABEL\s/i,
  /^SET\s+(SESSION\s+AUTHORIZATION|ROLE)\s/i,
  // Publications are local catalog entries (and say who else reads a table); subscriptions reach other servers.
  /^(CREATE|ALTER)\s+SUBSCRIPTION\s/i,
  // Every PGlite database has it; running it would fail the file's fast path for nothing.
  /^CREATE\s+SCHEMA\s+(public|"public")$/i,
];

export function isSkippedDumpStatement(statement: SqlStatement): boolean {
  return SKIPPED.some((pattern) => pattern.test(statement.sql));
}

/** A schema the dump creates may already exist (pg_dump --clean output, extensions' schemas). */
export function isHarmlessDumpError(statement: SqlStatement, error: unknown): boolean {
  return /^CREATE\s+SCHEMA\s/i.test(statement.sql) && (error as { code?: unknown }).code === '42P06';
}

/**
 * Migrations and dumps SET session settings (pg_dump empties search_path, sets
 * client_min_messages, check_function_bodies, ...); none of them should shape what
 * introspection prints. Introspection pins search_path itself and reads the application's
 * path from pg_db_role_setting; this clears the rest.
 */
export async function resetSession(db: { query: (sql: string) => Promise<unknown> }): Promise<void> {
  await db.query('RESET ALL');
}
