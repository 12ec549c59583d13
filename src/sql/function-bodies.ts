import { asArray, asNumber, asString, bodyOf, isObject, stringList, stringNode } from './ast.js';
import type { AstObject } from './ast.js';
import { walkExpr, type ExtractContext } from './expressions.js';
import type { DerivedShape, Scope } from './scope.js';

type StatementFn = (ctx: ExtractContext, node: unknown, outer: Scope) => DerivedShape;

/**
 * Statements that carry code: `DO $$...$$`, `CREATE FUNCTION ... AS $$...$$` (bodies analysed in
 * their language, positions mapped into the statement) and BEGIN ATOMIC bodies. True when handled.
 */
export function functionBodyStatement(ctx: ExtractContext, type: string, body: AstObject, outer: Scope, statement: StatementFn): boolean {
  if (type === 'DoStmt') {
    const options = definitions(body.args);
    const language = asString(options.get('language')?.value) ?? 'plpgsql';
    const code = options.get('as');
    if (code) embeddedBody(ctx, language, stringNode(code.arg) ?? '', code.location);
    return true;
  }
  if (type === 'CreateFunctionStmt') {
    const options = definitions(body.options);
    const language = asString(options.get('language')?.value) ?? 'sql';
    const code = options.get('as');
    const source = code ? stringList(bodyOf(code.arg, 'List')?.items) : [];
    if (code && source.length === 1) embeddedBody(ctx, language, source[0] as string, code.location);
    walkExpr(ctx, [body.parameters, body.returnType], outer);
    const atomic = bodyOf(body.sql_body, 'List');
    for (const item of asArray(atomic?.items)) {
      const statements = bodyOf(item, 'List');
      for (const nested of asArray(statements ? statements.items : [item])) statement(ctx, nested, outer);
    }
    return true;
  }
  if (type === 'CreateTrigStmt') {
    walkExpr(ctx, { FuncCall: { funcname: body.funcname, args: [], location: relationLocation(body.relation) } }, outer);
    walkExpr(ctx, body.whenClause, outer);
    return true;
  }
  return false;
}

function relationLocation(relation: unknown): number | undefined {
  return isObject(relation) ? asNumber(relation.location) : undefined;
}

function definitions(list: unknown): Map<string, { value: unknown; arg: unknown; location: number | undefined }> {
  const map = new Map<string, { value: unknown; arg: unknown; location: number | undefined }>();
  for (const item of asArray(list)) {
    const definition = bodyOf(item, 'DefElem');
    const name = asString(definition?.defname);
    if (!definition || name === undefined) continue;
    map.set(name, { value: stringNode(definition.arg), arg: definition.arg, location: asNumber(definition.location) });
  }
  return map;
}

function embeddedBody(ctx: ExtractContext, language: string, code: string, location: number | undefined): void {
  if (code.length === 0) return;
  const from = ctx.indexOf(location);
  const found = ctx.text.indexOf(code, from);
  const start = found === -1 ? from : found;
  const refs = ctx.analyzeBody(language, code);
  for (const ref of refs) ctx.refs.push({ ...ref, position: ctx.positionOfIndex(start + ref.position) });
}
