/**
 * check-drops: judges a proposed drop script against an audit of the code before anyone runs it.
 * The incident this project starts from (INCIDENT.md) was a reviewed drop script that removed a
 * live column; this is the check that script needed.
 */
import { loadSqlScanner } from '../schema/split.js';
import { initSqlParser } from '../sql/index.js';
import { parseScript, type ParsedScript } from './script.js';

export { checkDrops, isSafe, type CheckDropsInput } from './check.js';
export { formatCheckDrops } from './format.js';
export type * from './types.js';
export type { ParsedScript } from './script.js';

/** Parses a drop script with the real Postgres grammar, loading the parser first. */
export async function readDropScript(text: string): Promise<ParsedScript> {
  await Promise.all([initSqlParser(), loadSqlScanner()]);
  return parseScript(text);
}
