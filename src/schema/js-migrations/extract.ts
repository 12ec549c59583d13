import { ts } from 'ts-morph';
import type { AnalysisEvent } from '../../catalog.js';
import { excerpt, splitStatements, type SqlStatement } from '../split.js';
import { compose, ConstantFolder, type Folded } from './fold.js';
import { lineOf, unwrap } from './parse.js';
import type { CallKind, NeedsRunning, ParsedScript, ScriptTool, UpFunction } from './types.js';

export interface ScriptExtraction {
  statements: SqlStatement[];
  needsRunning: NeedsRunning[];
  events: AnalysisEvent[];
}

const LOOP_METHODS = new Set(['forEach', 'map', 'flatMap', 'reduce', 'filter', 'some', 'every']);
const PROMISE_METHODS = new Set(['then', 'catch', 'finally']);
// Statements that only read or write rows: skipping one leaves the schema as the tool would.
const DATA_STATEMENT = /^\s*(?:insert|update|delete|select|merge|with|values|copy\s+\S+\s+from)\b/i;

/**
 * The SQL an `up` function runs, in source order, with the script line each statement starts
 * on. Calls the tool classifies as schema builders, SQL with a part known only at run time,
 * SQL in a loop, and the runner handed to an unknown function are "needs running"; row-only
 * statements with run-time values are skipped with an event. Requires `loadSqlScanner()`.
 */
export function extractScript(script: ParsedScript, tool: ScriptTool): ScriptExtraction {
  const out: ScriptExtraction = { statements: [], needsRunning: [], events: [] };
  const folder = new ConstantFolder(script.sourceFile);
  for (const up of script.ups) {
    const body = up.node.body;
    if (body === undefined) continue;
    const visit = (node: ts.Node, loops: number): void => {
      if (isLoop(node)) {
        ts.forEachChild(node, (child) => visit(child, loops + 1));
        return;
      }
      if (ts.isCallExpression(node) && !isPromiseChain(node)) {
        const kind = tool.classify(node, up);
        if (kind !== undefined) {
          handleCall(script, node, kind, loops, folder, out);
          return;
        }
        const escaped = escapingRunner(node, up);
        if (escaped !== undefined) out.needsRunning.push(need(script, node, escaped));
        const inner = LOOP_METHODS.has(calleeName(node) ?? '') ? loops + 1 : loops;
        visit(node.expression, loops);
        for (const arg of node.arguments) visit(arg, inner);
        return;
      }
      ts.forEachChild(node, (child) => visit(child, loops));
    };
    visit(body, 0);
  }
  return out;
}

function handleCall(
  script: ParsedScript,
  call: ts.CallExpression,
  kind: NonNullable<CallKind>,
  loops: number,
  folder: ConstantFolder,
  out: ScriptExtraction,
): void {
  if (kind.kind === 'data') return;
  if (kind.kind === 'builder') {
    out.needsRunning.push(need(script, call, `${kind.what} (schema builder call)`));
    return;
  }
  if (loops > 0) {
    out.needsRunning.push(need(script, call, 'runs SQL inside a loop, so how often is only known at run time'));
    return;
  }
  const folded: Folded = kind.bound ? { ok: false, hole: call, before: '' } : folder.fold(kind.text, kind.holes);
  if (folded.ok) {
    const { text, scriptLines } = compose(folded.pieces);
    for (const statement of splitStatements(text)) {
      out.statements.push({ sql: statement.sql, line: scriptLines[statement.line - 1] ?? lineOf(call, script.sourceFile) });
    }
    return;
  }
  const shown = folded.before !== '' ? folded.before : staticText(kind.text);
  if (DATA_STATEMENT.test(shown)) {
    out.events.push({
      kind: 'migration-statement-skipped',
      file: script.file,
      line: lineOf(call, script.sourceFile),
      statement: excerpt(shown),
      message: 'this migration statement only changes rows and has a value known only at run time; it is skipped, the schema does not depend on it',
    });
    return;
  }
  const hole = kind.bound ? 'bind parameters' : `\`${excerpt(folded.hole.getText(script.sourceFile), 60)}\``;
  out.needsRunning.push(need(script, call, `runs SQL built from ${hole}, known only at run time`));
}

/** The literal start of a template or string, to tell a data statement from DDL. */
function staticText(expr: ts.Expression): string {
  const node = unwrap(expr);
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text;
  if (ts.isTaggedTemplateExpression(node)) return staticText(node.template);
  return '';
}

/** `helper(queryRunner)`: the helper may change the schema, and its body is not followed. */
function escapingRunner(call: ts.CallExpression, up: UpFunction): string | undefined {
  const runner = up.runner;
  if (runner === undefined) return undefined;
  const passes = call.arguments.some((arg) => {
    const node = unwrap(arg);
    return (ts.isIdentifier(node) && node.text === runner) || (runner === 'this' && node.kind === ts.SyntaxKind.ThisKeyword);
  });
  if (!passes) return undefined;
  return `hands \`${runner}\` to \`${excerpt(call.expression.getText(), 60)}()\`, whose SQL is not read`;
}

function need(script: ParsedScript, node: ts.Node, reason: string): NeedsRunning {
  return { file: script.file, line: lineOf(node, script.sourceFile), reason };
}

function isLoop(node: ts.Node): boolean {
  return (
    ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)
  );
}

/** `.then(cb)` continues a chain; the calls before it and inside the callback are what run. */
function isPromiseChain(call: ts.CallExpression): boolean {
  return PROMISE_METHODS.has(calleeName(call) ?? '');
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}
