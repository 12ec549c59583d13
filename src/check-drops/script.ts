import { asArray, asString, bodyOf, isObject, stringList, unwrap, type AstObject } from '../sql/ast.js';
import { parseSql } from '../sql/parser.js';
import { splitStatements } from '../schema/split.js';
import { qualified, rangeVar, type QualifiedName } from './names.js';
import { snapshotOf, type ScriptSnapshot } from './snapshot.js';
import type { DropAction, ScriptProblem, TargetKind } from './types.js';

/** One object a statement drops, renames or moves, as written; resolve.ts maps it to the catalog. */
export interface ScriptTarget {
  line: number;
  statement: string;
  action: DropAction;
  kind: TargetKind;
  name: QualifiedName;
  /** The table of a column or trigger. */
  relation?: QualifiedName;
  /** Function argument types (format_type spelling) when the statement gives a signature. */
  args?: string[];
  /** Every parameter type, OUT ones included: procedures are identified by those. */
  allArgs?: string[];
  ifExists: boolean;
  cascade: boolean;
  newName?: string;
}

/** A relation, type, sequence or function the script creates, or an old object's name after a rename. */
export interface ScriptName {
  line: number;
  kind: 'relation' | 'function' | 'type' | 'sequence';
  name: QualifiedName;
}

export interface ParsedScript {
  targets: ScriptTarget[];
  snapshots: ScriptSnapshot[];
  created: ScriptName[];
  problems: ScriptProblem[];
}

const KINDS: Record<string, { kind: TargetKind; word: string }> = {
  OBJECT_TABLE: { kind: 'table', word: 'TABLE' },
  OBJECT_FOREIGN_TABLE: { kind: 'table', word: 'FOREIGN TABLE' },
  OBJECT_VIEW: { kind: 'view', word: 'VIEW' },
  OBJECT_MATVIEW: { kind: 'materializedView', word: 'MATERIALIZED VIEW' },
  OBJECT_SEQUENCE: { kind: 'sequence', word: 'SEQUENCE' },
  OBJECT_FUNCTION: { kind: 'function', word: 'FUNCTION' },
  OBJECT_AGGREGATE: { kind: 'function', word: 'AGGREGATE' },
  OBJECT_ROUTINE: { kind: 'function', word: 'ROUTINE' },
  OBJECT_PROCEDURE: { kind: 'procedure', word: 'PROCEDURE' },
  OBJECT_TRIGGER: { kind: 'trigger', word: 'TRIGGER' },
  OBJECT_TYPE: { kind: 'type', word: 'TYPE' },
  OBJECT_DOMAIN: { kind: 'type', word: 'DOMAIN' },
  OBJECT_SCHEMA: { kind: 'schema', word: 'SCHEMA' },
};

// Dropping these removes audited objects wholesale in ways this check does not follow.
const UNCHECKED_DROPS: Record<string, string> = {
  OBJECT_EXTENSION: 'DROP EXTENSION ... CASCADE also drops every column of its types',
};

/**
 * Reads a proposed script statement by statement. Requires initSqlParser() and loadSqlScanner()
 * to have resolved. A statement that does not parse is a problem with its line, not a throw:
 * the others are still checked.
 */
export function parseScript(text: string): ParsedScript {
  const out: ParsedScript = { targets: [], snapshots: [], created: [], problems: [] };
  for (const statement of splitStatements(text)) {
    const parsed = parseSql(statement.sql);
    if (!parsed.ok) {
      const before = parsed.cursor > 0 ? statement.sql.slice(0, parsed.cursor) : '';
      const line = statement.line + (before.match(/\n/g)?.length ?? 0);
      out.problems.push({ kind: 'parse-error', line, message: `${parsed.message}; this statement is not checked` });
      continue;
    }
    for (const raw of parsed.ast.stmts ?? []) {
      const unwrapped = unwrap((raw as { stmt?: unknown }).stmt);
      if (unwrapped === undefined) continue;
      readStatement(unwrapped[0], unwrapped[1], statement.line, out);
    }
  }
  return out;
}

function readStatement(type: string, node: AstObject, line: number, out: ParsedScript): void {
  const snapshot = snapshotOf(type, node, line);
  if (snapshot) out.snapshots.push(snapshot);
  switch (type) {
    case 'DropStmt':
      return readDrop(node, line, out);
    case 'AlterTableStmt':
      return readAlterTable(node, line, out);
    case 'RenameStmt':
      return readRename(node, line, out);
    case 'AlterObjectSchemaStmt':
      return readSetSchema(node, line, out);
    default:
      return readCreate(type, node, line, out);
  }
}

function readDrop(node: AstObject, line: number, out: ParsedScript): void {
  const removeType = asString(node.removeType) ?? '';
  const unchecked = UNCHECKED_DROPS[removeType];
  if (unchecked !== undefined) {
    out.problems.push({ kind: 'unsupported-statement', line, message: `not checked object by object: ${unchecked}; review it by hand` });
    return;
  }
  const known = KINDS[removeType];
  if (known === undefined) return;
  const common = {
    line,
    statement: `DROP ${known.word}`,
    action: 'drop' as const,
    kind: known.kind,
    ifExists: node.missing_ok === true,
    cascade: node.behavior === 'DROP_CASCADE',
  };
  for (const object of asArray(node.objects)) {
    const target = objectTarget(known.kind, object);
    if (target) out.targets.push({ ...common, ...target });
  }
}

/** The name part of a target from a DropStmt/RenameStmt/AlterObjectSchemaStmt `object`. */
function objectTarget(kind: TargetKind, object: unknown): Pick<ScriptTarget, 'name' | 'relation' | 'args' | 'allArgs'> | undefined {
  const withArgs = bodyOf(object, 'ObjectWithArgs');
  if (withArgs) {
    const name = qualified(stringList(withArgs.objname));
    if (!name) return undefined;
    if (withArgs.args_unspecified === true) return { name };
    const args = asArray(withArgs.objargs).map(typeNameText);
    const allArgs = asArray(withArgs.objfuncargs).map((p) => typeNameText(bodyOf(p, 'FunctionParameter')?.argType));
    return { name, args, allArgs };
  }
  const typeName = bodyOf(object, 'TypeName');
  if (typeName) {
    const name = qualified(stringList(typeName.names));
    return name && { name };
  }
  const schema = bodyOf(object, 'String');
  if (schema) return { name: { name: asString(schema.sval) ?? '' } };
  const parts = stringList(bodyOf(object, 'List')?.items);
  if (kind === 'trigger') {
    // DROP TRIGGER name ON [schema.]table arrives as [schema?, table, name].
    const name = parts.at(-1);
    const relation = qualified(parts.slice(0, -1));
    return name !== undefined && relation ? { name: { name }, relation } : undefined;
  }
  const name = qualified(parts);
  return name && { name };
}

function readAlterTable(node: AstObject, line: number, out: ParsedScript): void {
  const relation = rangeVar(node.relation);
  if (!relation) return;
  for (const item of asArray(node.cmds)) {
    const cmd = bodyOf(item, 'AlterTableCmd');
    if (!cmd || cmd.subtype !== 'AT_DropColumn') continue;
    const column = asString(cmd.name);
    if (column === undefined) continue;
    out.targets.push({
      line,
      statement: 'ALTER TABLE ... DROP COLUMN',
      action: 'drop-column',
      kind: 'column',
      name: { name: column },
      relation,
      ifExists: cmd.missing_ok === true,
      cascade: cmd.behavior === 'DROP_CASCADE',
    });
  }
}

function readRename(node: AstObject, line: number, out: ParsedScript): void {
  const renameType = asString(node.renameType) ?? '';
  const newName = asString(node.newname);
  if (newName === undefined) return;
  const common = { line, action: 'rename' as const, ifExists: node.missing_ok === true, cascade: false, newName };
  if (renameType === 'OBJECT_COLUMN' || renameType === 'OBJECT_TRIGGER') {
    const relation = rangeVar(node.relation);
    const sub = asString(node.subname);
    if (!relation || sub === undefined) return;
    const on = renameType === 'OBJECT_COLUMN' ? `ALTER ${KINDS[asString(node.relationType) ?? '']?.word ?? 'TABLE'} ... RENAME COLUMN` : 'ALTER TRIGGER ... RENAME';
    out.targets.push({ ...common, statement: on, kind: renameType === 'OBJECT_COLUMN' ? 'column' : 'trigger', name: { name: sub }, relation });
    return;
  }
  const known = KINDS[renameType];
  if (known === undefined) return;
  const statement = `ALTER ${known.word} ... RENAME`;
  if (known.kind === 'schema') {
    const sub = asString(node.subname);
    if (sub !== undefined) out.targets.push({ ...common, statement, kind: 'schema', name: { name: sub } });
    return;
  }
  const target = node.relation !== undefined ? relationTarget(node.relation) : objectTarget(known.kind, node.object);
  if (!target) return;
  out.targets.push({ ...common, statement, kind: known.kind, ...target });
  out.created.push({ line, kind: createdKind(known.kind), name: { ...(target.name.schema !== undefined ? { schema: target.name.schema } : {}), name: newName } });
}

function readSetSchema(node: AstObject, line: number, out: ParsedScript): void {
  const known = KINDS[asString(node.objectType) ?? ''];
  const newSchema = asString(node.newschema);
  if (known === undefined || newSchema === undefined || known.kind === 'schema' || known.kind === 'trigger') return;
  const target = node.relation !== undefined ? relationTarget(node.relation) : objectTarget(known.kind, node.object);
  if (!target) return;
  out.targets.push({
    line,
    statement: `ALTER ${known.word} ... SET SCHEMA`,
    action: 'set-schema',
    kind: known.kind,
    ...target,
    ifExists: node.missing_ok === true,
    cascade: false,
    newName: `${newSchema}.${target.name.name}`,
  });
  out.created.push({ line, kind: createdKind(known.kind), name: { schema: newSchema, name: target.name.name } });
}

/** Objects the script makes, so a later drop of them is not reported as unknown. */
function readCreate(type: string, node: AstObject, line: number, out: ParsedScript): void {
  const add = (kind: ScriptName['kind'], name: QualifiedName | undefined): void => {
    if (name) out.created.push({ line, kind, name });
  };
  switch (type) {
    case 'CreateStmt':
      return add('relation', rangeVar(node.relation));
    case 'CreateTableAsStmt':
      return add('relation', rangeVar(isObject(node.into) ? node.into.rel : undefined));
    case 'SelectStmt':
      return add('relation', rangeVar(isObject(node.intoClause) ? node.intoClause.rel : undefined));
    case 'ViewStmt':
      return add('relation', rangeVar(node.view));
    case 'CreateSeqStmt':
      return add('sequence', rangeVar(node.sequence));
    case 'CreateFunctionStmt':
      return add('function', qualified(stringList(node.funcname)));
    case 'CreateEnumStmt':
    case 'CreateRangeStmt':
      return add('type', qualified(stringList(node.typeName)));
    case 'CompositeTypeStmt':
      return add('type', rangeVar(node.typevar));
    case 'CreateDomainStmt':
      return add('type', qualified(stringList(node.domainname)));
  }
}

function createdKind(kind: TargetKind): ScriptName['kind'] {
  if (kind === 'function' || kind === 'procedure') return 'function';
  if (kind === 'type' || kind === 'sequence') return kind;
  return 'relation';
}

function relationTarget(node: unknown): { name: QualifiedName } | undefined {
  const name = rangeVar(node);
  return name && { name };
}

// What format_type() prints for the spellings a DROP FUNCTION signature can use.
const TYPE_NAMES: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  varchar: 'character varying',
  bpchar: 'character',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  time: 'time without time zone',
  timetz: 'time with time zone',
  varbit: 'bit varying',
  decimal: 'numeric',
};

/** A TypeName node as format_type() spells it, unqualified (pg qualifies only invisible types). */
export function typeNameText(node: unknown): string {
  const body = isObject(node) && !('TypeName' in node) ? node : bodyOf(node, 'TypeName');
  if (!body) return '?';
  const names = stringList(body.names);
  const last = names.at(-1) ?? '?';
  // `int` arrives as pg_catalog.int4, `timestamptz` as written: both are built-in spellings.
  const base = names.length === 1 || names[0] === 'pg_catalog' ? (TYPE_NAMES[last] ?? last) : last;
  return base + '[]'.repeat(asArray(body.arrayBounds).length);
}
