import { beforeAll, describe, expect, it } from 'vitest';
import { introspectionStatements } from '../../src/schema/introspect.js';
import { initSqlParser, parseSql } from '../../src/sql/parser.js';

/**
 * Issue 9: a database owner can put objects ahead of pg_catalog in the search path (an operator
 * `evil.=`, a view `evil.pg_namespace`). Every name a catalog query resolves must therefore be
 * pg_catalog-qualified. This walks the real parse tree of every statement introspection sends
 * and lists each name the server would look up through the search path.
 */
function unqualifiedLookups(tree: unknown): string[] {
  const found: string[] = [];
  const names = (list: unknown): string[] =>
    Array.isArray(list) ? list.map((n) => (n as { String?: { sval?: string } }).String?.sval ?? '?') : [];
  const qualified = (parts: string[]): boolean => parts.length === 2 && parts[0] === 'pg_catalog';
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const v = value as Record<string, unknown>;
      if (key === 'RangeVar' && v.schemaname !== 'pg_catalog') found.push(`relation ${String(v.relname)}`);
      if (key === 'FuncCall' && !qualified(names(v.funcname))) found.push(`function ${names(v.funcname).join('.')}`);
      if (key === 'TypeName' && names(v.names)[0] !== 'pg_catalog') found.push(`type ${names(v.names).join('.')}`);
      if (key === 'A_Expr' && !qualified(names(v.name))) found.push(`operator ${names(v.name).join('.')} (${String(v.kind)})`);
      if (key === 'SubLink' && (v.subLinkType === 'ANY_SUBLINK' || v.subLinkType === 'ALL_SUBLINK') && !qualified(names(v.operName))) {
        // `x IN (select …)` has no operName at all: an implicit `=`.
        found.push(`operator ${names(v.operName).join('.') || '= (IN)'} in a sublink`);
      }
      if (key === 'CaseExpr' && v.arg !== undefined) found.push('CASE x WHEN (an implicit =)');
      if (key === 'JoinExpr' && (v.usingClause !== undefined || v.isNatural === true)) found.push('JOIN USING / NATURAL (an implicit =)');
      if (key === 'TypeCast') {
        // A cast's type name is not wrapped in a TypeName key.
        const type = names((v.typeName as { names?: unknown } | undefined)?.names);
        if (type[0] !== 'pg_catalog') found.push(`type ${type.join('.')}`);
        const literal = (v.arg as { A_Const?: { sval?: { sval?: string } } } | undefined)?.A_Const?.sval?.sval;
        // 'pg_class'::regclass looks the name up through the search path at run time.
        if (/^reg/.test(type.at(-1) ?? '') && literal !== undefined && !literal.startsWith('pg_catalog.')) found.push(`${type.at(-1)} literal '${literal}'`);
      }
      visit(value);
    }
  };
  visit(tree);
  return found;
}

describe('catalog queries resolve nothing through the search path', () => {
  let statements: string[];
  beforeAll(async () => {
    await initSqlParser();
    statements = await introspectionStatements(['public', 'app']);
  });

  it('every statement parses and names only pg_catalog objects and operators', () => {
    expect(statements.length).toBeGreaterThan(10);
    for (const sql of statements) {
      const parsed = parseSql(sql);
      expect(parsed.ok, sql.slice(0, 200)).toBe(true);
      if (parsed.ok) expect(unqualifiedLookups(parsed.ast), sql.slice(0, 200)).toEqual([]);
    }
  });

  it('the checker itself sees each kind of unqualified lookup', () => {
    const sql = `select lower(n.nspname), x::text, 'pg_class'::pg_catalog.regclass, case a when 1 then 2 end
      from pg_namespace n join pg_catalog.pg_class c using (oid)
      where n.oid = 1 and n.oid in (select 1) and n.nspname not in ('a')`;
    const parsed = parseSql(sql);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(unqualifiedLookups(parsed.ast).sort()).toEqual(
      [
        'function lower',
        'type text',
        "regclass literal 'pg_class'",
        'CASE x WHEN (an implicit =)',
        'relation pg_namespace',
        'JOIN USING / NATURAL (an implicit =)',
        'operator = (AEXPR_OP)',
        'operator = (IN) in a sublink',
        'operator <> (AEXPR_IN)',
      ].sort(),
    );
  });
});
