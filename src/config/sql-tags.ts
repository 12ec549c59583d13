import { ConfigError } from '../errors.js';

/*
 * `sqlTags` entries are tested against the last name of a tag or callee (`sql` in
 * `db.sql\`...\``, `query` in `pool.query(...)`), so a name must be one identifier; anything
 * else is a `/regex/`. All entries become one RegExp because that is what the scanner takes.
 */

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;
const REGEX_FORM = /^\/(.+)\/([a-z]*)$/s;

/** Why a `sqlTags` entry is unusable, or undefined when it is fine. */
export function sqlTagProblem(tag: string): string | undefined {
  if (!tag.startsWith('/')) {
    if (IDENTIFIER.test(tag)) return undefined;
    const last = tag.split('.').pop();
    const example = last !== undefined && IDENTIFIER.test(last) ? ` (write "${last}" for ${tag}\`...\`)` : '';
    return `"${tag}" is not a tag name: names match the last identifier of a tag or callee${example}; write a pattern as "/regex/"`;
  }
  const match = REGEX_FORM.exec(tag);
  if (match === null) return `"${tag}" starts with "/" but is not a "/regex/"`;
  const [, source = '', flags = ''] = match;
  if (flags !== '') return `"${tag}": regex flags are not supported (all patterns are combined into one case-sensitive RegExp)`;
  // Combined patterns renumber capture groups, so a backreference would point at another pattern's group.
  if (/\\[1-9]|\\k</.test(source)) return `"${tag}": backreferences are not supported in sqlTags patterns`;
  try {
    new RegExp(source);
  } catch (error) {
    return `"${tag}" is not a valid regex: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  return undefined;
}

/**
 * One RegExp for every entry: names anchored as whole identifiers, patterns as written
 * (unanchored, like any RegExp test). Undefined when there are none.
 */
export function sqlTagPattern(tags: readonly string[] | undefined, where = 'config'): RegExp | undefined {
  if (tags === undefined || tags.length === 0) return undefined;
  const names: string[] = [];
  const patterns: string[] = [];
  tags.forEach((tag, index) => {
    const problem = sqlTagProblem(tag);
    if (problem !== undefined) throw new ConfigError(`${where}: sqlTags[${index}]: ${problem}`);
    const regex = REGEX_FORM.exec(tag);
    if (regex === null) names.push(tag.replace(/[$]/g, '\\$'));
    else patterns.push(`(?:${regex[1] ?? ''})`);
  });
  const parts = [...(names.length > 0 ? [`^(?:${names.join('|')})$`] : []), ...patterns];
  try {
    return new RegExp(parts.join('|'));
  } catch (error) {
    // Each entry compiles alone; only duplicate named groups across entries get here.
    throw new ConfigError(`${where}: sqlTags: the patterns do not combine into one regex: ${(error as Error).message}`, {
      hint: 'give each named group a distinct name, or use (?:...) groups',
    });
  }
}
