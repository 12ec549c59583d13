import type { SqlHole, SqlTemplate } from '../../src/sql/types.js';

/** A hole as a test writes it; positions are filled in from the source text the helper builds. */
export type HoleInput =
  | { kind: 'value'; expr: string }
  | { kind: 'unknown'; expr: string }
  | { kind: 'identifier'; name: string; expr: string }
  | { kind: 'columns'; columns: string[] | undefined; expr: string }
  | { kind: 'fragment'; parts: Part[] };

export type Part = string | HoleInput;

export const value = (expr = 'x'): HoleInput => ({ kind: 'value', expr });
export const unknown = (expr = 'x'): HoleInput => ({ kind: 'unknown', expr });
export const identifier = (name: string): HoleInput => ({ kind: 'identifier', name, expr: `sql('${name}')` });
export const columns = (...names: string[]): HoleInput => ({
  kind: 'columns',
  columns: names,
  expr: `sql(row${names.map((name) => `, '${name}'`).join('')})`,
});
export const someColumns = (): HoleInput => ({ kind: 'columns', columns: undefined, expr: 'sql(row, keys)' });
export const fragment = (...parts: Part[]): HoleInput => ({ kind: 'fragment', parts });

/**
 * Builds the template the scanner would produce for `sql\`...\`` source text, and the source text
 * itself, so tests can assert absolute positions with `source.indexOf(...)`.
 */
export function sqlSource(parts: Part[], options: { interpolated?: boolean; prefix?: string } = {}): { template: SqlTemplate; source: string } {
  let source = `${options.prefix ?? 'const q = '}${options.interpolated ? 'tx.unsafe(`' : 'sql`'}`;
  const build = (items: Part[]): SqlTemplate => {
    const template: SqlTemplate = { chunks: [{ text: '', start: source.length }], holes: [] };
    for (const item of items) {
      if (typeof item === 'string') {
        const chunk = template.chunks.at(-1);
        if (chunk) chunk.text += item;
        source += item;
        continue;
      }
      const start = source.length;
      let hole: SqlHole;
      if (item.kind === 'fragment') {
        source += '${sql`';
        hole = { kind: 'fragment', template: build(item.parts), start };
        source += '`}';
      } else {
        source += `\${${item.expr}}`;
        if (item.kind === 'value') hole = { kind: 'value', start };
        else if (item.kind === 'unknown') hole = { kind: 'unknown', text: item.expr, start };
        else if (item.kind === 'identifier') hole = { kind: 'identifier', name: item.name, start };
        else hole = { kind: 'columns', columns: item.columns, start };
      }
      template.holes.push(hole);
      template.chunks.push({ text: '', start: source.length });
    }
    return template;
  };
  const template = build(parts);
  if (options.interpolated) template.interpolated = true;
  source += options.interpolated ? '`)' : '`';
  return { template, source };
}
