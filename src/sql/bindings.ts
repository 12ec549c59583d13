import type { SqlChunk, SqlHole, SqlTemplate } from './types.js';

/**
 * knex raw SQL and Sequelize replacements write bound values as `?` and `:name`, and bound
 * identifiers as `??` and `:name:`; Postgres' grammar knows none of them. Each becomes a hole,
 * as if it had been a `${}`, so the shaper fills it by context and positions stay exact.
 * Quoted text, quoted identifiers, comments and `::` casts are left alone.
 */
export function splitBindings(template: SqlTemplate): SqlTemplate {
  const chunks: SqlChunk[] = [];
  const holes: SqlHole[] = [];
  let state: 'code' | 'single' | 'double' | 'line-comment' | 'block-comment' = 'code';
  template.chunks.forEach((chunk, chunkIndex) => {
    const { text } = chunk;
    let from = 0;
    const cut = (at: number, length: number, hole: SqlHole): void => {
      chunks.push({ text: text.slice(from, at), start: chunk.start + from });
      holes.push(hole);
      from = at + length;
    };
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
    chunks.push({ text: text.slice(from), start: chunk.start + from });
    const hole = template.holes[chunkIndex];
    if (hole !== undefined) holes.push(hole);
  });
  return { ...template, chunks, holes };
}
