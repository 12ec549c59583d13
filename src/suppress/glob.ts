import picomatch from 'picomatch';

/**
 * Object-id globs for `ignore` entries. An id is a dotted path (`schema.table.column`), so a
 * dot is matched like a path separator: `*` stays inside one part (`public.*` is every table,
 * not every column), `**` spans parts (`public.orders.**` is the table, its columns and
 * triggers). Function ids end in an argument list (`public.touch(integer, text[])`) whose
 * dots, brackets and parentheses are literal; only `*` and `?` keep their meaning there, so an
 * exact function id matches itself and `public.touch(*)` matches every overload.
 */
export function compileIdGlob(pattern: string): (id: string) => boolean {
  const matcher = picomatch(globToPath(pattern), { dot: true, windows: false });
  return (id) => id === pattern || matcher(idToPath(id));
}

/** The part of a glob before its first literal part decides which schema it is about, if any. */
export function globSchema(pattern: string): string | undefined {
  const first = splitOutsideParens(pattern)[0] ?? '';
  return /[*?[\]{}()!+@\\]/.test(first) ? undefined : first;
}

function idToPath(id: string): string {
  return splitOutsideParens(id).join('/');
}

function globToPath(pattern: string): string {
  let out = '';
  let depth = 0;
  for (const ch of pattern) {
    if (ch === '(') {
      depth++;
      out += '\\(';
    } else if (ch === ')') {
      depth = Math.max(0, depth - 1);
      out += '\\)';
    } else if (depth > 0) {
      out += ch === '*' || ch === '?' ? ch : /[[\]{}!+@\\|]/.test(ch) ? `\\${ch}` : ch;
    } else {
      out += ch === '.' ? '/' : ch;
    }
  }
  return out;
}

function splitOutsideParens(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === '.' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}
