import { lineStarts } from '../text/lines.js';
import type { FileScan } from './types.js';

/**
 * A `.sql` file outside the migrations is a query the app sends (pgtyped, sqlc, plain files
 * read at runtime). Their parameter syntaxes (`:id`, `@id`, `sqlc.arg(id)`) are not Postgres;
 * each is replaced by a same-length `$n` so positions still point at the right line.
 */
export function scanSqlFile(file: string, text: string, isTest: boolean): FileScan {
  const normalized = text
    .replace(/sqlc\.n?arg\(\s*'?[A-Za-z_][A-Za-z0-9_]*'?\s*\)/g, (m) => padParam(m))
    .replace(/(?<![:\w])[:@][A-Za-z_][A-Za-z0-9_]*(?:!)?/g, (m) => padParam(m));
  return {
    file,
    isTest,
    sqlSites: [
      {
        template: { chunks: [{ text: normalized, start: 0 }], holes: [], interpolated: false },
        origin: 'sql-file',
        allowFragment: false,
        position: 0,
      },
    ],
    mentions: [],
    libraryRefs: [],
    rules: [],
    lineStarts: lineStarts(text),
    events: [],
  };
}

function padParam(original: string): string {
  return '$1'.padEnd(original.length, ' ');
}
