import { ts } from 'ts-morph';
import { lineOf, unwrap } from './parse.js';

/**
 * Turns the SQL argument of a migration call into text without running anything. A string
 * keeps the line it sits on in the script so each statement maps back to `file:line`.
 */

/** A run of SQL text and the script line its first character is on. */
interface Piece {
  text: string;
  line: number;
  /** Template text: its newlines are the script's newlines, so later lines follow on. */
  followsSource: boolean;
}

export type Folded = { ok: true; pieces: Piece[] } | { ok: false; hole: ts.Node; before: string };

/**
 * How a `${}` hole becomes SQL: pasted as text (a JS template passed to `query()`), or sent as
 * a bind parameter (Kysely's `sql` tag), which Postgres sees as a literal value.
 */
export type HoleMode = 'interpolate' | 'parameters';

const MAX_DEPTH = 8;

export class ConstantFolder {
  private readonly constants = new Map<string, ts.Expression | null>();

  constructor(private readonly sourceFile: ts.SourceFile) {
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.Const) !== 0) {
        for (const decl of node.declarations) {
          if (!ts.isIdentifier(decl.name) || decl.initializer === undefined) continue;
          // Two constants of one name in different scopes: which one a use means is not worth guessing.
          this.constants.set(decl.name.text, this.constants.has(decl.name.text) ? null : decl.initializer);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }

  fold(expr: ts.Expression, mode: HoleMode, depth = 0): Folded {
    const node = unwrap(expr);
    const line = lineOf(node, this.sourceFile);
    if (ts.isNumericLiteral(node)) return { ok: true, pieces: [{ text: node.text, line, followsSource: false }] };
    if (ts.isStringLiteral(node)) return { ok: true, pieces: [{ text: node.text, line, followsSource: false }] };
    if (ts.isNoSubstitutionTemplateLiteral(node)) return { ok: true, pieces: [{ text: node.text, line, followsSource: true }] };
    if (ts.isTemplateExpression(node)) return this.template(node, mode, depth);
    if (ts.isTaggedTemplateExpression(node) && isSqlTag(node.tag)) {
      return ts.isNoSubstitutionTemplateLiteral(node.template)
        ? { ok: true, pieces: [{ text: node.template.text, line, followsSource: true }] }
        : this.template(node.template, 'parameters', depth);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = this.fold(node.left, mode, depth);
      if (!left.ok) return left;
      const right = this.fold(node.right, mode, depth);
      if (!right.ok) return { ...right, before: textOf(left.pieces) + right.before };
      return { ok: true, pieces: [...left.pieces, ...right.pieces] };
    }
    if (ts.isIdentifier(node) && depth < MAX_DEPTH) {
      const value = this.constants.get(node.text);
      if (value) return this.fold(value, mode, depth + 1);
    }
    return { ok: false, hole: node, before: '' };
  }

  private template(node: ts.TemplateExpression, mode: HoleMode, depth: number): Folded {
    const pieces: Piece[] = [{ text: node.head.text, line: lineOf(node.head, this.sourceFile), followsSource: true }];
    for (const span of node.templateSpans) {
      const value = this.hole(span.expression, mode, depth);
      if (value === undefined) return { ok: false, hole: span.expression, before: textOf(pieces) };
      // A folded value is pasted where the hole is, so it takes the hole's line.
      pieces.push({ text: value, line: lineOf(span.expression, this.sourceFile), followsSource: false });
      pieces.push({ text: span.literal.text, line: lineOf(span.literal, this.sourceFile), followsSource: true });
    }
    return { ok: true, pieces };
  }

  private hole(expr: ts.Expression, mode: HoleMode, depth: number): string | undefined {
    if (mode === 'parameters') return this.kyselyHole(expr, depth);
    const folded = this.fold(expr, mode, depth + 1);
    return folded.ok ? textOf(folded.pieces) : undefined;
  }

  /** Kysely's helpers that write SQL text (`sql.raw`, `sql.ref`, `sql.id`, `sql.table`, `sql.lit`); anything else is a bind parameter. */
  private kyselyHole(expr: ts.Expression, depth: number): string | undefined {
    const node = unwrap(expr);
    if (ts.isTaggedTemplateExpression(node) && isSqlTag(node.tag)) {
      const nested = this.fold(node, 'parameters', depth + 1);
      return nested.ok ? textOf(nested.pieces) : undefined;
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && isSqlTag(node.expression.expression)) {
      const args = node.arguments.map((a) => this.constant(a, depth));
      if (args.some((a) => a === undefined)) return undefined;
      const values = args as string[];
      switch (node.expression.name.text) {
        case 'raw':
          return values[0];
        case 'lit':
        case 'val':
          return values[0] === undefined ? undefined : literal(node.arguments[0], values[0]);
        case 'id':
          return values.map(quoteIdent).join('.');
        case 'ref':
        case 'table':
          return values[0]?.split('.').map(quoteIdent).join('.');
        default:
          return undefined;
      }
    }
    const value = this.constant(node, depth);
    return value === undefined ? undefined : literal(node, value);
  }

  private constant(expr: ts.Expression, depth: number): string | undefined {
    const folded = this.fold(expr, 'interpolate', depth + 1);
    return folded.ok ? textOf(folded.pieces) : undefined;
  }
}

/**
 * Joins pieces into one SQL text and, for each of its lines, the script line it came from.
 * Escaped newlines in a plain string (`'a\nb'`) stay on the string's own line.
 */
export function compose(pieces: Piece[]): { text: string; scriptLines: number[] } {
  const scriptLines: number[] = [pieces[0]?.line ?? 1];
  let text = '';
  for (const piece of pieces) {
    const parts = piece.text.split('\n');
    parts.forEach((part, index) => {
      if (index > 0) scriptLines.push(piece.followsSource ? piece.line + index : piece.line);
      text += index > 0 ? `\n${part}` : part;
    });
  }
  return { text, scriptLines };
}

export function textOf(pieces: Piece[]): string {
  return pieces.map((p) => p.text).join('');
}

function isSqlTag(expr: ts.Expression): boolean {
  return ts.isIdentifier(expr) && expr.text === 'sql';
}

function literal(node: ts.Node | undefined, value: string): string {
  return node !== undefined && ts.isNumericLiteral(unwrapNode(node)) ? value : `'${value.replaceAll("'", "''")}'`;
}

function unwrapNode(node: ts.Node): ts.Node {
  return ts.isExpression(node) ? unwrap(node) : node;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
