/**
 * Word wrapping for help text. Node has no wrapper of its own and the CLI's help is plain ASCII,
 * so a string's length is its width.
 */

/**
 * `text` broken at spaces into lines of at most `width` columns. Each `\n`-separated paragraph
 * keeps its leading spaces on every line it wraps to (an indented example stays indented). A
 * word longer than the width gets a line of its own rather than being cut: a path or URL split
 * in two cannot be copied.
 */
export function wrap(text: string, width: number): string[] {
  return text.split('\n').flatMap((paragraph) => {
    const indent = /^ */.exec(paragraph)![0];
    const lines: string[] = [];
    let line = '';
    for (const word of paragraph.split(' ').filter(Boolean)) {
      if (line !== '' && indent.length + line.length + 1 + word.length > width) {
        lines.push(indent + line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(line === '' ? '' : indent + line);
    return lines;
  });
}

export interface ColumnLayout {
  /** Spaces before each term. */
  indent: number;
  /** Terms up to this long share their first line with the text; longer ones get a line of their own. */
  termWidth: number;
  /** Spaces between the term column and the text. */
  gap: number;
  width: number;
}

/** `--flag VALUE   text` rows: the text wrapped in its own column, so the terms stay readable at a glance. */
export function twoColumns(rows: readonly (readonly [term: string, text: string])[], layout: ColumnLayout): string[] {
  const textColumn = layout.indent + layout.termWidth + layout.gap;
  const pad = ' '.repeat(textColumn);
  return rows.flatMap(([term, text]) => {
    const head = `${' '.repeat(layout.indent)}${term}`;
    const body = text === '' ? [] : wrap(text, layout.width - textColumn);
    if (body.length === 0) return [head];
    if (term.length > layout.termWidth) return [head, ...body.map((line) => pad + line)];
    return [head.padEnd(textColumn) + body[0]!, ...body.slice(1).map((line) => pad + line)];
  });
}
