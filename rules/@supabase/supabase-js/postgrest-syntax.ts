/**
 * The strings PostgREST reads column names from (https://postgrest.org/en/stable/references/api/tables_views.html):
 * select lists with aliases, casts, JSON paths, aggregates and embedded resources; filter columns
 * (`embed.col`, `data->a`); `or()`/`and()` logic trees; `order('embed(col)')`. Offsets are into
 * the parsed text, so evidence can point at the line inside a multi-line select template.
 */

/** One item of a select list. */
export type SelectItem =
  | { kind: 'column'; name: string; offset: number }
  | { kind: 'star'; offset: number }
  /** `alias:target!hint!inner(items)` or `...target(items)`: another relation, or a foreign key leading to one. */
  | { kind: 'embed'; target: string; alias?: string; hints: string[]; offset: number; items: SelectItem[] };

/** A column a filter, order or logic tree names; `path` holds the embeds it goes through (`author.name`). */
export interface ColumnName {
  path: string[];
  name: string;
  offset: number;
}

/** Join kinds, not foreign-key hints. */
const JOIN_HINTS = new Set(['inner', 'left']);

export function parseSelect(text: string): SelectItem[] {
  return segments(text, 0, text.length).flatMap(([start, end]) => selectItem(text, start, end));
}

function selectItem(text: string, start: number, end: number): SelectItem[] {
  let at = skipSpace(text, start, end);
  if (text.startsWith('...', at)) at = skipSpace(text, at + 3, end);
  let alias: string | undefined;
  // `alias:rest`, but not a cast `col::type`.
  const colon = findTopLevel(text, at, end, ':');
  if (colon !== -1 && text[colon + 1] !== ':' && text[colon - 1] !== ':') {
    alias = unquote(text.slice(at, colon).trim());
    at = skipSpace(text, colon + 1, end);
  }
  const open = findTopLevel(text, at, end, '(');
  if (open !== -1) {
    const close = matchingParen(text, open, end);
    const head = text.slice(at, open).trim();
    // `amount.sum()`, `count()`: an aggregate; only the column before the dot is read.
    if (head.includes('.') || (head === 'count' && text.slice(open + 1, close).trim() === '')) {
      return head === 'count' ? [] : columnItem(text, at, at + head.indexOf('.'));
    }
    const [target = '', ...hints] = head.split('!').map((part) => unquote(part.trim()));
    const embed: SelectItem = { kind: 'embed', target, hints: hints.filter((hint) => !JOIN_HINTS.has(hint)), offset: at, items: parseSelectRange(text, open + 1, close) };
    if (alias !== undefined) embed.alias = alias;
    return [embed];
  }
  return columnItem(text, at, end);
}

function parseSelectRange(text: string, start: number, end: number): SelectItem[] {
  return segments(text, start, end).flatMap(([s, e]) => selectItem(text, s, e));
}

/** A plain field: `col`, `col::text`, `data->a->>b`, `*`. */
function columnItem(text: string, start: number, end: number): SelectItem[] {
  const name = bareColumn(text.slice(start, end));
  if (name === '') return [];
  return name === '*' ? [{ kind: 'star', offset: start }] : [{ kind: 'column', name, offset: start }];
}

/** The stored column a field expression starts from: casts, JSON paths and aggregate suffixes removed. */
function bareColumn(field: string): string {
  let name = field.trim();
  for (const cut of ['::', '->']) {
    const index = name.indexOf(cut);
    if (index !== -1) name = name.slice(0, index);
  }
  return unquote(name.trim());
}

/** `author.name`, `data->>city`, `address::text`: the column a filter names, with the embeds before it. */
export function parseColumn(text: string): ColumnName | undefined {
  const start = text.length - text.trimStart().length;
  const bare = text.trim();
  const stop = [bare.indexOf('->'), bare.indexOf('::')].filter((i) => i !== -1);
  const head = stop.length > 0 ? bare.slice(0, Math.min(...stop)) : bare;
  const parts = head.split('.').map((part) => unquote(part.trim()));
  const name = parts.pop();
  if (name === undefined || name === '' || name === '*' || !/^[^\s(),]+$/.test(name)) return undefined;
  const offset = start + head.lastIndexOf(name);
  return { path: parts, name, offset: Math.max(start, offset) };
}

/** `order('section(name)')` orders the parent rows by an embed's column. */
export function parseOrderColumn(text: string): ColumnName | undefined {
  const open = text.indexOf('(');
  if (open === -1 || !text.trimEnd().endsWith(')')) return parseColumn(text);
  const inner = parseColumn(text.slice(open + 1, text.lastIndexOf(')')));
  const embed = text.slice(0, open).trim();
  return inner === undefined ? undefined : { path: [embed, ...inner.path], name: inner.name, offset: open + 1 + inner.offset };
}

/** Columns of an `or('a.eq.1,and(b.gt.2,c.is.null)')` tree: each condition starts with its column. */
export function parseLogicTree(text: string, start = 0, end = text.length): ColumnName[] {
  const out: ColumnName[] = [];
  for (const [s, e] of segments(text, start, end)) {
    let at = skipSpace(text, s, e);
    if (text.startsWith('not.', at)) at += 4;
    const group = /^(?:and|or)\(/.exec(text.slice(at, e));
    if (group !== null) {
      const open = at + group[0].length - 1;
      out.push(...parseLogicTree(text, open + 1, matchingParen(text, open, e)));
      continue;
    }
    // `col.op.value`: the column ends at the first dot outside a JSON path (`data->>a.eq.1`).
    const dot = text.indexOf('.', at);
    const column = parseColumn(text.slice(at, dot === -1 || dot > e ? e : dot));
    if (column !== undefined) out.push({ ...column, offset: at + column.offset });
  }
  return out;
}

/** `[start, end)` of each comma-separated part at the top level (outside parentheses and quotes). */
function segments(text: string, start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let quoted = false;
  let from = start;
  for (let i = start; i < end; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push([from, i]);
      from = i + 1;
    }
  }
  out.push([from, end]);
  return out.filter(([s, e]) => text.slice(s, e).trim() !== '');
}

function findTopLevel(text: string, start: number, end: number, wanted: string): number {
  let quoted = false;
  for (let i = start; i < end; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === wanted) return i;
    else if (!quoted && ch === '(' && wanted !== '(') return -1;
  }
  return -1;
}

function matchingParen(text: string, open: number, end: number): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return end;
}

function skipSpace(text: string, at: number, end: number): number {
  while (at < end && /\s/.test(text[at]!)) at++;
  return at;
}

function unquote(name: string): string {
  return name.length >= 2 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
}
