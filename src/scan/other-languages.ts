import { lineStarts } from '../text/lines.js';
import type { FileScan, Mention } from './types.js';

/**
 * Services written in other languages often share the database (a Python worker, a Go
 * exporter). dead-schema cannot parse their queries, but a table or column they name is not
 * safe to call dead at high confidence: such names become `other-language` mentions, which
 * lower a dead verdict to medium and never make an object alive.
 */
export const OTHER_LANGUAGE_GLOBS = ['**/*.{py,go,rb,java,kt,rs,php,ex,exs,cs,scala,clj}'];

/**
 * Words and double-quoted identifiers; quotes keep the case (`"serviceExecutions"`). Only a
 * quoted run shaped like one identifier counts as one: in most languages `"select ... from t"`
 * is a string literal, whose words are read one by one.
 */
const WORD = /"([A-Za-z_][A-Za-z0-9_$]{0,62})"|\b([A-Za-z_][A-Za-z0-9_]{0,62})\b/g;

export function scanOtherLanguageFile(file: string, text: string, isTest: boolean, interestingNames: ReadonlySet<string>): FileScan {
  const mentions: Mention[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(WORD)) {
    const name = match[1] ?? match[2]!;
    if (!interestingNames.has(name)) continue;
    // One mention per name and line is enough to show where the other service names it.
    const position = match.index + (match[1] !== undefined ? 1 : 0);
    const key = `${name}\0${text.lastIndexOf('\n', position)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    mentions.push({ name, kind: 'other-language', position });
  }
  return { file, isTest, sqlSites: [], mentions, libraryRefs: [], rules: [], lineStarts: lineStarts(text), events: [] };
}
