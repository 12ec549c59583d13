import { loadModule, scanSync, type ScanToken } from 'libpg-query';
import { lineAndColumn, lineStarts } from '../text/lines.js';

/** One top-level SQL statement and the 1-based line of its first token in the file. */
export interface SqlStatement {
  sql: string;
  line: number;
}

export interface SplitOptions {
  /** Drizzle ends statements with a `--> statement-breakpoint` comment, sometimes without `;`. */
  breakpoints?: boolean;
}

let scannerReady: Promise<void> | undefined;

/** libpg-query's WASM module must be loaded once before `splitStatements` can run. */
export function loadSqlScanner(): Promise<void> {
  scannerReady ??= loadModule();
  return scannerReady;
}

const BREAKPOINT = /^-->\s*statement-breakpoint/;
const META_LINE = /^[ \t]*\\/;
const COPY_FROM_STDIN = /^\s*COPY\s[\s\S]*\bFROM\s+stdin\b[^;]*;\s*$/i;

/**
 * Splits a SQL file the way psql would: `;` inside strings, dollar quotes, comments and
 * `BEGIN ATOMIC ... END` bodies does not end a statement. psql meta-commands (`\connect`,
 * `\restrict KEY`) and `COPY ... FROM stdin` data blocks are dropped because only psql
 * understands them. Requires `loadSqlScanner()` to have resolved.
 */
export function splitStatements(text: string, options: SplitOptions = {}): SqlStatement[] {
  // Editors on Windows save a BOM; Postgres would take it as part of the first keyword.
  const cleaned = blankPsqlOnlyLines(text.replace(/^\uFEFF/, ''));
  let tokens: ScanToken[];
  try {
    tokens = scanSync(cleaned).tokens;
  } catch {
    // The scanner rejects unterminated quotes and comments; the server would too, but the
    // statements before the broken one still deserve to run and be reported by line.
    return splitByLines(cleaned, options);
  }
  return splitTokens(cleaned, tokens, options);
}

function splitTokens(text: string, tokens: ScanToken[], options: SplitOptions): SqlStatement[] {
  const bytes = Buffer.from(text, 'utf8');
  const lines = lineStarts(bytes);
  const out: SqlStatement[] = [];
  let start = -1;
  let end = -1;
  let firstWord = '';
  let previousWord = '';
  let atomicDepth = 0;

  const flush = (): void => {
    if (start >= 0) out.push({ sql: bytes.subarray(start, end).toString('utf8'), line: lineAndColumn(lines, start).line });
    start = -1;
    firstWord = '';
    previousWord = '';
    atomicDepth = 0;
  };

  for (const token of tokens) {
    if (token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT') {
      if (options.breakpoints && atomicDepth === 0 && BREAKPOINT.test(token.text)) flush();
      continue;
    }
    if (token.text === ';' && atomicDepth === 0) {
      flush();
      continue;
    }
    if (start < 0) start = token.start;
    end = token.end;
    const word = token.keywordName === 'NO_KEYWORD' ? '' : token.text.toLowerCase();
    if (firstWord === '') firstWord = word || '?';
    // SQL-standard function bodies contain `;` at top level; psql tracks BEGIN ATOMIC / CASE / END the same way.
    if (firstWord === 'create' && previousWord === 'begin' && word === 'atomic') atomicDepth++;
    else if (atomicDepth > 0 && word === 'case') atomicDepth++;
    else if (atomicDepth > 0 && word === 'end') atomicDepth--;
    previousWord = word;
  }
  flush();
  return out;
}

/** Fallback when the scanner fails: a statement ends with a line whose last character is `;`. */
function splitByLines(text: string, options: SplitOptions): SqlStatement[] {
  const out: SqlStatement[] = [];
  let buffer: string[] = [];
  let startLine = 0;
  const flush = (): void => {
    const sql = buffer.join('\n').trim().replace(/;$/, '').trim();
    if (sql !== '') out.push({ sql, line: startLine });
    buffer = [];
    startLine = 0;
  };
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (options.breakpoints && BREAKPOINT.test(trimmed)) {
      flush();
      return;
    }
    if (startLine === 0) {
      if (trimmed === '' || trimmed.startsWith('--')) return;
      startLine = index + 1;
    }
    buffer.push(raw);
    if (trimmed.endsWith(';')) flush();
  });
  flush();
  return out;
}

/**
 * Replaces psql-only lines with blanks so line numbers stay put. A backslash line inside a
 * string or dollar-quoted body is left alone when the scanner can tell.
 */
function blankPsqlOnlyLines(text: string): string {
  const lines = text.split('\n');
  let inCopyData = false;
  let candidates: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (inCopyData) {
      lines[i] = '';
      if (line.replace(/\r$/, '') === '\\.') inCopyData = false;
      continue;
    }
    if (COPY_FROM_STDIN.test(line)) {
      lines[i] = '';
      inCopyData = true;
      continue;
    }
    if (META_LINE.test(line)) candidates.push(i);
  }
  if (candidates.length > 0) {
    const insideLiteral = literalLineChecker(lines);
    candidates = candidates.filter((i) => !insideLiteral(i));
    for (const i of candidates) lines[i] = '';
  }
  return lines.join('\n');
}

function literalLineChecker(lines: string[]): (lineIndex: number) => boolean {
  let tokens: ScanToken[];
  try {
    tokens = scanSync(lines.join('\n')).tokens.filter((t) => LITERAL_TOKENS.has(t.tokenName));
  } catch {
    return () => false;
  }
  const offsets: number[] = [];
  let offset = 0;
  for (const line of lines) {
    offsets.push(offset);
    offset += Buffer.byteLength(line, 'utf8') + 1;
  }
  return (lineIndex) => {
    const at = offsets[lineIndex] ?? 0;
    return tokens.some((t) => t.start < at && t.end > at);
  };
}

const LITERAL_TOKENS = new Set(['SCONST', 'USCONST', 'XCONST', 'BCONST', 'C_COMMENT', 'IDENT', 'UIDENT']);

/** 1-based line of a byte offset inside a statement, counted from the statement's own first line. */
export function lineOfOffset(statement: SqlStatement, byteOffset: number): number {
  const bytes = Buffer.from(statement.sql, 'utf8');
  let line = statement.line;
  for (let i = 0; i < byteOffset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

const TRANSACTION_CONTROL = /^(begin|start\s+transaction|commit|end|rollback|abort|savepoint|release)\b/i;

/**
 * Migration tools wrap files in BEGIN/COMMIT; running them would commit half a file before a
 * failure is seen, so the loader drops them and applies each file as its own transaction.
 */
export function isTransactionControl(sql: string): boolean {
  return TRANSACTION_CONTROL.test(sql) && !/^begin\s+atomic\b/i.test(sql);
}

/** First ~200 characters of a statement on one line, for events. */
export function excerpt(sql: string, max = 200): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
