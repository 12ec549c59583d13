import { ts } from 'ts-morph';
import { columnCandidates, tableCandidates, toSnake } from '../../src/names/case.js';
import { textStartOf, unwrap } from '../../src/rules/helpers.js';
import type { HookResult, RuleFileContext, RuleRef } from '../../src/rules/types.js';
import { fileInfo, tableDeclaration, type FileInfo, type RelationDecl, type TableDecl } from './file-info.js';

/**
 * Relation paths (`users.posts.comments`) declared from one `relations()` call; deeper
 * `with` nesting is named by its key alone.
 */
export const MAX_RELATION_DEPTH = 2;

/** The variable a declaration is assigned to, through `.enableRLS()`-style modifiers. */
function variableOf(call: ts.CallExpression): string | undefined {
  let node: ts.Node = call;
  while (ts.isPropertyAccessExpression(node.parent) && ts.isCallExpression(node.parent.parent) && node.parent.parent.expression === node.parent) node = node.parent.parent;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  return ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
}

/** `pgTable(...)` and friends: the variable is the model, its keys the fields. */
export function tableDeclarationHook(node: ts.CallExpression, ctx: RuleFileContext): HookResult {
  const info = fileInfo(ctx.sourceFile);
  const table = tableDeclaration(node, info);
  if (table === undefined) return undefined;
  const variable = variableOf(node);
  if (variable === undefined) return { declares: node };
  const refs: RuleRef[] = [
    {
      kind: 'model',
      model: variable,
      tables: [table.name],
      ...(table.schema ? { schema: table.schema } : {}),
      ...(table.open ? { open: true } : {}),
      position: textStartOf(table.nameNode, ctx),
    },
  ];
  for (const column of table.columns) {
    refs.push({ kind: 'field', model: variable, field: column.key, ...(column.column !== undefined ? { column: column.column } : {}), position: column.keyNode.getStart(ctx.sourceFile) });
  }
  return { refs, declares: node };
}

/** The database column a key of a same-file table holds; `casing: 'snake_case'` is assumed for unnamed keys. */
function columnOf(table: TableDecl | undefined, key: string): string {
  const column = table?.columns.find((c) => c.key === key)?.column;
  return column ?? toSnake(key);
}

/** The one() on the other side of a many() (same relationName, pointing back), holding the foreign key. */
function opposite(info: FileInfo, source: string, relation: RelationDecl): RelationDecl | undefined {
  return info.relations
    .get(relation.target)
    ?.find((other) => other.target === source && other.fields.length > 0 && other.relationName === relation.relationName);
}

/**
 * `relations(users, ({ many }) => ({ posts: many(posts) }))`: a declaration, never a use.
 * A relation's name maps to the foreign key it joins on, and each relation path is declared
 * as a model (`users.posts` → the posts table) so `db.query.users.findMany({ with })` can
 * name the related table's columns.
 */
export function relationsHook(node: ts.CallExpression, ctx: RuleFileContext): HookResult {
  const callee = unwrap(node.expression);
  const source = node.arguments[0] === undefined ? undefined : unwrap(node.arguments[0]);
  if (!ts.isIdentifier(callee) || callee.text !== 'relations' || source === undefined || !ts.isIdentifier(source)) return undefined;
  const info = fileInfo(ctx.sourceFile);
  const refs: RuleRef[] = [];
  const at = (n: ts.Node): number => n.getStart(ctx.sourceFile);
  for (const relation of info.relations.get(source.text) ?? []) {
    const fk = relation.fields[0];
    if (fk !== undefined) refs.push({ kind: 'field', model: source.text, field: relation.name, column: columnOf(info.tables.get(source.text), fk), position: at(relation.keyNode) });
  }
  const walk = (path: string, variable: string, depth: number): void => {
    for (const relation of info.relations.get(variable) ?? []) {
      const alias = `${path}.${relation.name}`;
      const target = info.tables.get(relation.target);
      const position = at(relation.keyNode);
      const tables = target !== undefined ? [target.name] : tableCandidates(relation.target);
      refs.push({ kind: 'model', model: alias, tables, ...(target?.schema ? { schema: target.schema } : {}), position });
      for (const column of target?.columns ?? []) {
        if (column.column !== undefined && !columnCandidates(column.key).includes(column.column)) {
          refs.push({ kind: 'field', model: alias, field: column.key, column: column.column, position: at(column.keyNode) });
        }
      }
      for (const other of info.relations.get(relation.target) ?? []) {
        const fk = other.fields[0];
        if (fk !== undefined && other.name !== relation.name) refs.push({ kind: 'field', model: alias, field: other.name, column: columnOf(target, fk), position: at(other.keyNode) });
      }
      const back = relation.fields.length === 0 ? opposite(info, variable, relation)?.fields[0] : undefined;
      if (back !== undefined) refs.push({ kind: 'field', model: alias, field: relation.name, column: columnOf(target, back), position });
      if (depth < MAX_RELATION_DEPTH) walk(alias, relation.target, depth + 1);
    }
  };
  walk(source.text, source.text, 1);
  return { refs, declares: node };
}
