/**
 * A cheap test, run on every string literal and template in a codebase, for whether the text is
 * SQL worth parsing. It must say no to UI prose ("Select an option", "Update the settings").
 */

const ident = String.raw`(?:"(?:[^"]|"")+"|[a-z_][\w$]*)`;
const qualified = String.raw`${ident}(?:\s*\.\s*${ident})?`;

/** Words that occur in English sentences and essentially never as bare SQL identifiers. */
const proseWords = new Set([
  'the', 'an', 'your', 'you', 'please', 'our', 'we', 'they', 'their', 'them', 'this', 'these', 'those', 'which',
  'would', 'should', 'could', 'will', 'can', 'cannot', 'here', 'there', 'below', 'above', 'it', 'its', "don't",
  "can't", "won't", 'again',
]);

const statementShapes: RegExp[] = [
  new RegExp(String.raw`^insert\s+into\s+${qualified}`, 'i'),
  new RegExp(String.raw`^update\s+(?:only\s+)?${qualified}(?:\s+(?:as\s+)?${ident})?\s+set\s`, 'i'),
  new RegExp(String.raw`^delete\s+from\s+(?:only\s+)?${qualified}\s*(?:$|;|\s+(?:as\s+)?${ident}|\s+(?:where|using|returning)\b)`, 'i'),
  new RegExp(String.raw`^with\s+(?:recursive\s+)?${ident}\s*(?:\([^)]*\)\s*)?as\s+(?:not\s+)?(?:materialized\s+)?\(`, 'i'),
  new RegExp(String.raw`^truncate\s+(?:table\s+)?(?:only\s+)?${qualified}\s*(?:$|;|,|\s+(?:restart|continue|cascade|restrict)\b)`, 'i'),
  new RegExp(String.raw`^copy\s+(?:${qualified}|\()[^]*\b(?:from|to)\s+(?:stdin|stdout|'|program\b)`, 'i'),
  new RegExp(String.raw`^merge\s+into\s+${qualified}`, 'i'),
  new RegExp(String.raw`^call\s+${qualified}\s*\(`, 'i'),
  /^values\s*\(/i,
  /^create\s+(?:or\s+replace\s+)?(?:(?:global\s+|local\s+)?(?:temp|temporary)\s+|unlogged\s+|unique\s+|materialized\s+|recursive\s+)*(?:table|view|index|function|procedure|trigger|type|sequence|schema|extension|policy|rule|domain|aggregate|role|publication)\b/i,
  /^alter\s+(?:table|type|sequence|view|function|procedure|index|schema|materialized\s+view|domain|role|policy)\s/i,
  /^drop\s+(?:table|type|sequence|view|function|procedure|index|schema|materialized\s+view|domain|trigger|policy|extension|role)\s/i,
  /^refresh\s+materialized\s+view\s/i,
  new RegExp(String.raw`^lock\s+(?:table\s+)?(?:only\s+)?${qualified}\s*(?:$|;|,|\s+in\s|\s+nowait\b)`, 'i'),
  /^explain\s+(?:analyze\s+|verbose\s+|\([^)]*\)\s*)*(?:select|insert|update|delete|with|merge|values)\b/i,
  /^do\s+(?:language\s+\w+\s+)?(?:\$[\w]*\$|')/i,
  /^(?:grant|revoke)\s[^]*\bon\b[^]*\b(?:to|from)\s/i,
  /^comment\s+on\s+(?:table|column|function|type|view|schema|index)\s/i,
];

const fragmentShapes: RegExp[] = [
  new RegExp(String.raw`^(?:where|and|or)\s+(?:not\s+)?(?:\(|exists\s*\(|${qualified}\s*(?:[=<>!~@&|?]|::|\bis\b|\bin\b|\blike\b|\bilike\b|\bbetween\b|\bnot\b|\bsimilar\b|\)|$)|${ident}\s*\()`, 'i'),
  new RegExp(String.raw`^(?:order|group)\s+by\s+(?:\d+|${qualified}|${ident}\s*\()(?:\s*(?:,|asc\b|desc\b|nulls\b|$))`, 'i'),
  new RegExp(String.raw`^(?:(?:left|right|full)\s+(?:outer\s+)?|inner\s+|cross\s+|natural\s+)?join\s+(?:lateral\s+)?(?:${qualified}|\()`, 'i'),
  new RegExp(String.raw`^set\s+${ident}\s*=`, 'i'),
  new RegExp(String.raw`^returning\s+(?:\*|${qualified})\s*(?:,|$|\bas\b|\s*;)`, 'i'),
  /^on\s+conflict\s*(?:\(|on\s+constraint\b|do\b)/i,
  /^limit\s+(?:\d+|\$\d+|all\b|\?)/i,
  /^offset\s+(?:\d+|\$\d+|\?)/i,
  new RegExp(String.raw`^having\s+(?:\(|${ident}\s*\()`, 'i'),
];

export function looksLikeSql(text: string): 'statement' | 'fragment' | false {
  const trimmed = stripLeading(withoutComments(text));
  if (trimmed.length < 4) return false;
  const first = /^[a-z]+/i.exec(trimmed)?.[0];
  if (!first) return false;
  if (isProse(trimmed)) return false;
  if (/^select$/i.test(first)) return looksLikeSelect(trimmed) ? 'statement' : false;
  if (statementShapes.some((shape) => shape.test(trimmed))) return 'statement';
  if (fragmentShapes.some((shape) => shape.test(trimmed))) return 'fragment';
  return false;
}

/**
 * SQL comments are prose by nature (`-- the oldest unpaid invoice first`) and may sit between
 * keywords; quoted text is kept as is so a `--` inside a literal is not a comment.
 */
function withoutComments(text: string): string {
  if (!text.includes('--') && !text.includes('/*')) return text;
  return text.replace(/('(?:[^']|'')*'|"(?:[^"]|"")*")|--[^\n]*|\/\*[^]*?\*\//g, (match, quoted: string | undefined) => quoted ?? ' ');
}

/** Drops leading whitespace and opening parentheses (`(SELECT ...) UNION ...`). */
function stripLeading(text: string): string {
  let rest = text;
  for (;;) {
    const next = rest.replace(/^\s+/, '').replace(/^\(\s*(?=select\b|with\b|values\b)/i, '');
    if (next === rest) return rest;
    rest = next;
  }
}

/** Sentence punctuation at the end, or words SQL never uses bare, outside quotes. */
function isProse(text: string): boolean {
  const unquoted = text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\$\$[^]*?\$\$/g, ' ');
  if (/[a-z][.!]\s*$/i.test(unquoted) || /[a-z]\?\s*$/i.test(unquoted)) return true;
  for (const word of unquoted.toLowerCase().match(/[a-z']+/g) ?? []) {
    if (proseWords.has(word)) return true;
  }
  // "Order by date", "Select all": sentence case and no SQL punctuation. SQL keywords are written
  // in upper or lower case, rarely capitalised like the start of a sentence.
  return /^[A-Z][a-z]+\b/.test(text) && !/[,*()=<>;:$]/.test(unquoted);
}

/**
 * `SELECT` needs SQL shape: a FROM with a relation after it, or a select list made of
 * things prose lacks (calls, `*`, literals, parameters, casts, commas between names).
 */
function looksLikeSelect(text: string): boolean {
  const afterSelect = text.replace(/^select\s+(?:distinct\s+(?:on\s*\([^)]*\)\s*)?|all\s+)?/i, '');
  if (afterSelect === text) return false;
  if (new RegExp(String.raw`\bfrom\s+(?:only\s+)?(?:${qualified}|\(|lateral\b)`, 'i').test(afterSelect)) return true;
  if (/^from\b/i.test(afterSelect)) return false;
  return new RegExp(
    String.raw`^(?:\*|\d|\$\d|'|\(|true\b|false\b|null\b|exists\b|case\b|not\b|current_\w+|${qualified}\s*(?:\(|::|,|\bas\b|$|;|\s+into\b|\s+where\b|\s*[-+*/|=<>]))`,
    'i',
  ).test(afterSelect);
}
