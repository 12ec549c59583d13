import { asArray, asNumber, bodyOf, stringConstant, stringList, unwrap } from './ast.js';
import { parseSql } from './parser.js';
import type { SqlChunk, SqlHole, SqlTemplate } from './types.js';

const prefix = 'SELECT ';

/**
 * The SQL an `EXECUTE <expr>` runs, as far as it is literal: `'DELETE FROM t'`,
 * `format('UPDATE %I SET a = %L', ...)`, `'SELECT ' || quote_ident(c) || ' FROM t'`.
 * Unknown pieces become holes. `start` is where `expr` sits in the body.
 */
export function dynamicSqlTemplate(expr: string, start: number): SqlTemplate | undefined {
  const parsed = parseSql(prefix + expr);
  if (!parsed.ok) return undefined;
  const target = bodyOf(parsed.ast.stmts?.[0]?.stmt, 'SelectStmt');
  const value = bodyOf(asArray(target?.targetList)[0], 'ResTarget')?.val;
  const builder = new TemplateBuilder(start - prefix.length, expr, prefix.length);
  if (!builder.piece(value)) return undefined;
  return builder.template();
}

class TemplateBuilder {
  private readonly chunks: SqlChunk[] = [];
  private readonly holes: SqlHole[] = [];
  private pending: SqlChunk = { text: '', start: 0 };
  private literal = false;

  constructor(
    private readonly base: number,
    private readonly expr: string,
    private readonly offset: number,
  ) {
    this.pending.start = this.position(undefined);
  }

  /** Source position of a parser location in `SELECT <expr>`, skipping the opening quote of a literal. */
  private position(location: number | undefined, skipQuote = false): number {
    if (location === undefined || location < 0) return this.base + this.offset;
    const index = location - this.offset;
    const quote = skipQuote ? (/^(?:[eE]?'|\$[^$]*\$)/.exec(this.expr.slice(index))?.[0].length ?? 0) : 0;
    return this.base + location + quote;
  }

  piece(node: unknown): boolean {
    const literal = stringConstant(node);
    if (literal) {
      this.text(literal.value, this.position(literal.location, true));
      return true;
    }
    const unwrapped = unwrap(node);
    if (!unwrapped) return false;
    const [type, body] = unwrapped;
    if (type === 'A_Expr' && stringList(body.name)[0] === '||') {
      const left = this.piece(body.lexpr);
      const right = this.piece(body.rexpr);
      return left || right;
    }
    if (type === 'FuncCall' && stringList(body.funcname).at(-1) === 'format') {
      const format = stringConstant(asArray(body.args)[0]);
      if (format) {
        this.format(format.value, this.position(format.location, true));
        return true;
      }
    }
    this.hole({ kind: 'unknown', text: '', start: this.position(asNumber(body.location)) });
    return false;
  }

  private text(text: string, start: number): void {
    if (this.pending.text.length === 0) this.pending = { text, start };
    else this.pending.text += text;
    this.literal = true;
  }

  private hole(hole: SqlHole): void {
    this.chunks.push(this.pending);
    this.holes.push(hole);
    this.pending = { text: '', start: hole.start };
  }

  /** format()'s %I / %s / %L become holes; `%%` is a literal percent sign. */
  private format(text: string, start: number): void {
    const pattern = /%(?:\d+\$)?-?\d*([sIL%])/g;
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      const at = match.index;
      this.text(text.slice(last, at), start + last);
      if (match[1] === '%') this.text('%', start + at);
      else if (match[1] === 'L') this.hole({ kind: 'value', start: start + at });
      else this.hole({ kind: 'unknown', text: match[0], start: start + at });
      last = at + match[0].length;
    }
    this.text(text.slice(last), start + last);
  }

  template(): SqlTemplate | undefined {
    if (!this.literal) return undefined;
    return { chunks: [...this.chunks, this.pending], holes: this.holes, interpolated: true };
  }
}
