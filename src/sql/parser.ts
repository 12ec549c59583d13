import { loadModule, parsePlPgSQLSync, parseSync, scanSync } from 'libpg-query';
import type { ParseResult, ScanToken } from 'libpg-query';

export type ParseAttempt =
  | { ok: true; ast: ParseResult }
  | { ok: false; message: string; cursor: number };

export type PlpgsqlAttempt = { ok: true; ast: unknown } | { ok: false; message: string };

let loading: Promise<void> | undefined;
let ready = false;

/** Loads the WebAssembly parser; safe to call many times. */
export async function initSqlParser(): Promise<void> {
  loading ??= loadModule().then(() => {
    ready = true;
  });
  await loading;
}

function assertReady(): void {
  if (!ready) throw new Error('SQL parser used before initSqlParser() resolved; await initSqlParser() once at startup.');
}

// The same statement text shows up many times in a codebase (copy-pasted queries, shaping retries),
// and parsing is pure, so a bounded cache of results pays for itself.
const cacheLimit = 2000;
const parseCache = new Map<string, ParseAttempt>();

export function parseSql(text: string): ParseAttempt {
  assertReady();
  const cached = parseCache.get(text);
  if (cached) return cached;
  let result: ParseAttempt;
  // libpg-query throws on empty input; for us an empty string is an empty statement list.
  if (text.trim().length === 0) return { ok: true, ast: { stmts: [] } };
  try {
    result = { ok: true, ast: parseSync(text) };
  } catch (error) {
    result = { ok: false, message: errorMessage(error), cursor: errorCursor(error, text) };
  }
  if (parseCache.size >= cacheLimit) {
    const oldest = parseCache.keys().next();
    if (!oldest.done) parseCache.delete(oldest.value);
  }
  parseCache.set(text, result);
  return result;
}

export function parsePlpgsql(text: string): PlpgsqlAttempt {
  assertReady();
  try {
    return { ok: true, ast: parsePlPgSQLSync(text) };
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  }
}

/** Scanner tokens with offsets converted to string indexes; undefined when the scanner gives up (unterminated quotes). */
export function scanSql(text: string): ScanToken[] | undefined {
  assertReady();
  try {
    const toIndex = byteOffsetMapper(text);
    return scanSync(text).tokens.map((token) => ({ ...token, start: toIndex(token.start), end: toIndex(token.end) }));
  } catch {
    return undefined;
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function errorCursor(error: unknown, text: string): number {
  const details = (error as { sqlDetails?: { cursorPosition?: number } } | undefined)?.sqlDetails;
  const cursor = details?.cursorPosition;
  if (typeof cursor !== 'number' || cursor < 0) return -1;
  return byteOffsetMapper(text)(cursor);
}

/**
 * libpg-query reports UTF-8 byte offsets; JS strings index UTF-16 code units. Returns a converter
 * that is the identity for ASCII text (the common case) and a table lookup otherwise.
 */
export function byteOffsetMapper(text: string): (byteOffset: number) => number {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return (byteOffset) => byteOffset;
  const byteToIndex: number[] = [];
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.codePointAt(index) ?? 0;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let b = 0; b < width; b++) byteToIndex[bytes + b] = index;
    bytes += width;
    if (code >= 0x10000) index++;
  }
  return (byteOffset) => {
    if (byteOffset >= bytes) return text.length + (byteOffset - bytes);
    return byteToIndex[byteOffset] ?? byteOffset;
  };
}
