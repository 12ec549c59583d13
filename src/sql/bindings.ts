import type { SqlChunk, SqlHole, SqlTemplate } from './types.js';

/**
 * knex raw SQL and Sequelize replacements write bound values as `?` and `:name`, and bound
 * identifiers as `??` and `:name:`; Postgres' grammar knows none of them. Each becomes a hole,
 * as if it had been a `${}`, so the shaper fills it by context and positions stay exact.
 * Quoted text, quoted identifiers, comments and `::` casts are left alone.
 */
export function splitBindings(template: SqlTemplate): SqlTemplate {
  // The lexer's state carries from one chunk to the next, across the holes between them.
  let state: 'code' | 'single' | 'double' | 'line-comment' | 'block-comment' = 'code';
  return cutTemplate(template, (chunk, cut) => {
    const { text } = chunk;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      const next = text[i + 1];
      if (state === 'single') {
        if (ch === "'") state = 'code';
        continue;
      }
      if (state === 'double') {
        if (ch === '"') state = 'code';
        continue;
      }
      if (state === 'line-comment') {
        if (ch === '\n') state = 'code';
        continue;
      }
      if (state === 'block-comment') {
        if (ch === '*' && next === '/') {
          state = 'code';
          i++;
        }
        continue;
      }
      if (ch === "'") state = 'single';
      else if (ch === '"') state = 'double';
      else if (ch === '-' && next === '-') state = 'line-comment';
      else if (ch === '/' && next === '*') state = 'block-comment';
      else if (ch === '\\' && next === '?') i++; // knex's escaped literal question mark
      else if (ch === '?') {
        const identifier = next === '?';
        cut(i, identifier ? 2 : 1, identifier ? { kind: 'unknown', text: '??', start: chunk.start + i } : { kind: 'value', start: chunk.start + i });
        if (identifier) i++;
      } else if (ch === ':' && text[i - 1] !== ':' && next !== ':' && next !== undefined && /[A-Za-z_]/.test(next)) {
        const name = /^[A-Za-z_]\w*/.exec(text.slice(i + 1))![0];
        const identifier = text[i + 1 + name.length] === ':';
        const length = 1 + name.length + (identifier ? 1 : 0);
        cut(i, length, identifier ? { kind: 'unknown', text: `:${name}:`, start: chunk.start + i } : { kind: 'value', start: chunk.start + i });
        i += length - 1;
      }
    }
    // A placeholder list built in a variable (`let placeholders = '?,?'`) is inlined as a fragment.
  }, splitBindings);
}

/**
 * Cuts each chunk of a template where `cutsIn` says, each cut becoming a hole in its place, and
 * keeps the holes that were already there in order. `cut` must be called in increasing `at`.
 * `nested` rewrites an existing fragment hole's own template.
 */
function cutTemplate(
  template: SqlTemplate,
  cutsIn: (chunk: SqlChunk, cut: (at: number, length: number, hole: SqlHole) => void) => void,
  nested?: (inner: SqlTemplate) => SqlTemplate,
): SqlTemplate {
  const chunks: SqlChunk[] = [];
  const holes: SqlHole[] = [];
  template.chunks.forEach((chunk, chunkIndex) => {
    let from = 0;
    cutsIn(chunk, (at, length, hole) => {
      chunks.push({ text: chunk.text.slice(from, at), start: chunk.start + from });
      holes.push(hole);
      from = at + length;
    });
    chunks.push({ text: chunk.text.slice(from), start: chunk.start + from });
    const hole = template.holes[chunkIndex];
    if (hole !== undefined) holes.push(hole.kind === 'fragment' && nested !== undefined ? { ...hole, template: nested(hole.template) } : hole);
  });
  return { ...template, chunks, holes };
}

/**
 * pg-promise formats its own parameters before Postgres sees the text: `$(name)`, `$<name>`,
 * `$[name]`, `$/name/` and, in plain strings, `${name}`, each with an optional modifier
 * (`:name`/`~` and `:alias` an identifier, `:raw`/`^` raw text, `:csv`/`:list`, `:json`,
 * `:value`/`#` values), and `$1:name`-style modifiers on numbered ones; and the `{{name}}` /
 * `{{name::uuid}}` placeholders apps substitute themselves (umami's raw queries). None is
 * Postgres syntax, so each becomes a hole (an identifier or raw text becomes one of unknown text, filled by
 * context like any `${}`); quoted text and comments are left alone.
 */
const FORMATTER_PARAM =
  /'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|\$(?:\(([\w.$]+)\)|<([\w.$]+)>|\[([\w.$]+)\]|\/([\w.$]+)\/|\{([\w.$]+)\})|\$(?:[(<[/{])([\w.$]+)(?::(\w+)|([\^~#]))[)>\]/}]|\$\d+(?::(name|alias|raw|csv|list|json|value)\b|([\^~#]))|\{\{\s*[\w.]+\s*(?:::\s*[\w[\]]+\s*)?\}\}/g;
const FORMATTER_HINT = /\$[(<[/{]|\$\d+(?::(?:name|alias|raw|csv|list|json|value)\b|[\^~#])|\{\{\s*[\w.]+/;
const IDENTIFIER_MODIFIERS = new Set(['name', 'alias', '~', 'raw', '^']);

export function hasFormatterParams(template: SqlTemplate): boolean {
  return (
    template.chunks.some((chunk) => FORMATTER_HINT.test(chunk.text)) ||
    template.holes.some((hole) => hole.kind === 'fragment' && hasFormatterParams(hole.template))
  );
}

export function splitFormatterParams(template: SqlTemplate): SqlTemplate {
  return cutTemplate(
    template,
    (chunk, cut) => {
      for (const match of chunk.text.matchAll(FORMATTER_PARAM)) {
        const [whole] = match;
        if (whole.startsWith("'") || whole.startsWith('"') || whole.startsWith('--') || whole.startsWith('/*')) continue;
        const modifier = match[7] ?? match[8] ?? match[9] ?? match[10];
        const start = chunk.start + match.index;
        cut(match.index, whole.length, modifier !== undefined && IDENTIFIER_MODIFIERS.has(modifier) ? { kind: 'unknown', text: whole, start } : { kind: 'value', start });
      }
    },
    splitFormatterParams,
  );
}
