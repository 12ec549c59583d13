import { readFile } from 'node:fs/promises';
import type {
  Catalog,
  CatalogColumn,
  CatalogDependency,
  CatalogFunction,
  CatalogObjectKind,
  CatalogRelation,
  CatalogSequence,
  CatalogTrigger,
  CatalogType,
  DependencyKind,
  FunctionKind,
  RelationKind,
  TriggerEvent,
} from '../catalog.js';
import { relationObjectKind } from '../catalog.js';
import { SchemaSourceError } from '../errors.js';
import { formatSearchPath, resolveSearchPath, sqlLiteral } from './search-path.js';

/**
 * Bump whenever the queries or the catalog they build change: cached catalogs carry it and
 * are re-introspected from the cached data directory when it differs.
 */
export const INTROSPECTION_VERSION = 5;

/** Runs one read-only query and returns its rows as plain JSON values. */
export type QueryRunner = (sql: string) => Promise<unknown[]>;

type Row = Record<string, unknown>;

const QUERY_NAMES = [
  'search-path',
  'database',
  'schemas',
  'relations',
  'columns',
  'functions',
  'triggers',
  'types',
  'sequences',
  'view-dependencies',
  'default-dependencies',
  'foreign-keys',
  'policy-dependencies',
] as const;
type QueryName = (typeof QUERY_NAMES)[number];

/** pg_get_function_sqlbody and prosqlbody arrived in 14; prokind, attgenerated earlier. */
const MIN_SERVER_VERSION = 140000;

let queries: Promise<Record<QueryName, string>> | undefined;

function loadQueries(): Promise<Record<QueryName, string>> {
  queries ??= Promise.all(
    QUERY_NAMES.map(async (name) => {
      const text = await readFile(new URL(`./queries/${name}.sql`, import.meta.url), 'utf8');
      // Each query becomes one JSON value so both drivers hand back identical plain data.
      const body = text.trim().replace(/;$/, '');
      return [name, `select coalesce(pg_catalog.json_agg(q), '[]'::pg_catalog.json) as rows from (\n${body}\n) q`] as const;
    }),
  ).then((entries) => Object.fromEntries(entries) as Record<QueryName, string>);
  return queries;
}

/**
 * Every query is pg_catalog-qualified, but names still print relative to the search path
 * (format_type, pg_get_viewdef, function ids): pinned to pg_catalog first so nothing a database
 * sets can change what the path query reads, then set to the application's own path so ids
 * read as the application writes them.
 */
export const PIN_SEARCH_PATH = `select pg_catalog.set_config('search_path', 'pg_catalog', false)`;

export function setSearchPathStatement(searchPath: readonly string[]): string {
  return `select pg_catalog.set_config('search_path', ${sqlLiteral(formatSearchPath(searchPath))}, false)`;
}

/** Every statement introspection sends, in order, given the search path it resolves (for tests and docs). */
export async function introspectionStatements(searchPath: readonly string[]): Promise<string[]> {
  const sql = await loadQueries();
  return [PIN_SEARCH_PATH, sql['search-path'], sql.schemas, setSearchPathStatement(searchPath), ...CATALOG_QUERIES.map((name) => sql[name])];
}

const CATALOG_QUERIES = QUERY_NAMES.filter((name) => name !== 'search-path' && name !== 'schemas');

/**
 * Reads every non-system schema into a Catalog. Filtering to the audited schemas and removing
 * ledger tables happen afterwards, so one introspection serves any `--schemas` choice.
 */
export async function introspect(run: QueryRunner): Promise<Catalog> {
  const sql = await loadQueries();
  await run(PIN_SEARCH_PATH);
  const pathRow = rowsOf(await run(sql['search-path']))[0] ?? {};
  const schemaRows = rowsOf(await run(sql.schemas));
  const searchPath = resolveSearchPath(strArr(pathRow, 'settings'), str(pathRow, 'role'), schemaRows.map((row) => str(row, 'name')));
  await run(setSearchPathStatement(searchPath));
  const results = await Promise.all(CATALOG_QUERIES.map(async (name) => [name, rowsOf(await run(sql[name]))] as const));
  const r = { ...Object.fromEntries(results), 'search-path': [pathRow], schemas: schemaRows } as Record<QueryName, Row[]>;

  const database = r.database[0] ?? {};
  const versionNum = num(database, 'server_version_num');
  if (versionNum < MIN_SERVER_VERSION) {
    throw new SchemaSourceError(`PostgreSQL ${str(database, 'server_version')} is too old to introspect`, {
      reason: 'dead-schema needs PostgreSQL 14 or newer',
    });
  }

  const relations = r.relations.map(toRelation);
  const relationByOid = new Map(relations.map((rel) => [rel.oid, rel]));
  const columnIds = new Map<string, string>();
  const columnKey = (relid: number, attnum: number): string => `${relid}:${attnum}`;

  for (const row of r.columns) {
    const relation = relationByOid.get(num(row, 'relid'));
    if (relation === undefined) continue;
    const column: CatalogColumn = {
      name: str(row, 'name'),
      attnum: num(row, 'attnum'),
      type: str(row, 'type'),
      notNull: bool(row, 'not_null'),
      default: optStr(row, 'default'),
      generated: optStr(row, 'generated'),
      identity: bool(row, 'identity'),
      isPrimaryKey: relation.primaryKey.includes(str(row, 'name')),
      comment: optStr(row, 'comment'),
    };
    relation.columns.push(column);
    columnIds.set(columnKey(relation.oid, column.attnum), `${relation.id}.${column.name}`);
  }
  for (const relation of relations) relation.columns.sort((a, b) => a.attnum - b.attnum);

  const functions = r.functions.map(toFunction);
  const functionByOid = new Map(functions.map((fn) => [fn.oid, fn]));
  const functionById = new Map(functions.map((fn) => [fn.id, fn]));
  const types = r.types.map(toType);
  const typeByOid = new Map(types.map((t) => [t.oid, t]));
  const sequences: CatalogSequence[] = r.sequences.map((row) => {
    const ownerRel = optNum(row, 'owner_relid');
    const ownerAtt = optNum(row, 'owner_attnum');
    const schema = str(row, 'schema');
    const name = str(row, 'name');
    return {
      oid: num(row, 'oid'),
      id: `${schema}.${name}`,
      schema,
      name,
      ownedBy: ownerRel === null || ownerAtt === null ? null : (columnIds.get(columnKey(ownerRel, ownerAtt)) ?? null),
      extensionOwned: bool(row, 'extension_owned'),
    };
  });
  const sequenceByOid = new Map(sequences.map((s) => [s.oid, s]));

  const triggers: CatalogTrigger[] = [];
  for (const row of r.triggers) {
    const relation = relationByOid.get(num(row, 'relid'));
    if (relation === undefined) continue;
    const name = str(row, 'name');
    const tgtype = num(row, 'tgtype');
    triggers.push({
      oid: num(row, 'oid'),
      id: `${relation.id}.${name}`,
      schema: relation.schema,
      relationId: relation.id,
      name,
      functionId: functionByOid.get(num(row, 'function_oid'))?.id ?? str(row, 'function_id'),
      events: triggerEvents(tgtype),
      columns: strArr(row, 'columns'),
      timing: tgtype & TRIGGER_INSTEAD ? 'INSTEAD OF' : tgtype & TRIGGER_BEFORE ? 'BEFORE' : 'AFTER',
      extensionOwned: bool(row, 'extension_owned'),
    });
  }

  /** Resolves a pg_depend reference to a catalog object; pg_catalog objects resolve to nothing. */
  const target = (refKind: unknown, oid: number, subid: number): { id: string; kind: CatalogObjectKind } | undefined => {
    if (refKind === 'class') {
      if (subid > 0) {
        const id = columnIds.get(columnKey(oid, subid));
        return id === undefined ? undefined : { id, kind: 'column' };
      }
      const relation = relationByOid.get(oid);
      if (relation !== undefined) return { id: relation.id, kind: relationObjectKind(relation.kind) };
      const sequence = sequenceByOid.get(oid);
      return sequence === undefined ? undefined : { id: sequence.id, kind: 'sequence' };
    }
    if (refKind === 'proc') {
      const fn = functionByOid.get(oid);
      return fn === undefined ? undefined : { id: fn.id, kind: fn.kind === 'procedure' ? 'procedure' : 'function' };
    }
    if (refKind === 'type') {
      const type = typeByOid.get(oid);
      return type === undefined ? undefined : { id: type.id, kind: 'type' };
    }
    return undefined;
  };

  const dependencies: CatalogDependency[] = [];
  const add = (
    kind: DependencyKind,
    from: { id: string; kind: CatalogObjectKind } | undefined,
    to: { id: string; kind: CatalogObjectKind } | undefined,
  ): void => {
    if (from === undefined || to === undefined || from.id === to.id) return;
    dependencies.push({ kind, from: from.id, fromKind: from.kind, to: to.id, toKind: to.kind });
  };
  const relationRef = (oid: number): { id: string; kind: CatalogObjectKind } | undefined => {
    const relation = relationByOid.get(oid);
    return relation === undefined ? undefined : { id: relation.id, kind: relationObjectKind(relation.kind) };
  };
  const columnRef = (relid: number, attnum: number): { id: string; kind: CatalogObjectKind } | undefined => {
    const id = columnIds.get(columnKey(relid, attnum));
    return id === undefined ? undefined : { id, kind: 'column' };
  };

  for (const row of r['view-dependencies']) {
    const view = relationRef(num(row, 'view_oid'));
    const refOid = num(row, 'ref_oid');
    const subid = num(row, 'ref_subid');
    add('view', view, target(row.ref_kind, refOid, subid));
    // A view reading columns also reads their relation, which pg_depend records only for whole-row use.
    if (row.ref_kind === 'class' && subid > 0) add('view', view, relationRef(refOid));
  }
  for (const row of r['default-dependencies']) {
    const column = columnRef(num(row, 'relid'), num(row, 'attnum'));
    add(bool(row, 'generated') ? 'generated' : 'default', column, target(row.ref_kind, num(row, 'ref_oid'), num(row, 'ref_subid')));
  }
  for (const row of r['foreign-keys']) {
    add('foreignKey', columnRef(num(row, 'relid'), num(row, 'attnum')), columnRef(num(row, 'ref_relid'), num(row, 'ref_attnum')));
  }
  for (const row of r['policy-dependencies']) {
    const refOid = num(row, 'ref_oid');
    const subid = num(row, 'ref_subid');
    const relid = num(row, 'relid');
    if (row.ref_kind === 'class' && refOid === relid && subid === 0) continue;
    add('policy', relationRef(relid), target(row.ref_kind, refOid, subid));
  }
  for (const trigger of triggers) {
    const fn = functionById.get(trigger.functionId);
    add('trigger', { id: trigger.id, kind: 'trigger' }, fn && { id: fn.id, kind: fn.kind === 'procedure' ? 'procedure' : 'function' });
  }
  for (const row of r.columns) {
    const column = columnRef(num(row, 'relid'), num(row, 'attnum'));
    const type = typeByOid.get(num(row, 'type_oid')) ?? typeByOid.get(optNum(row, 'element_type_oid') ?? -1);
    add('columnType', column, type && { id: type.id, kind: 'type' });
  }
  for (const sequence of sequences) {
    if (sequence.ownedBy !== null) add('sequenceOwner', { id: sequence.id, kind: 'sequence' }, { id: sequence.ownedBy, kind: 'column' });
  }

  return {
    schemas: r.schemas.map((row) => str(row, 'name')).sort(compareStrings),
    // An empty path (search_path = '') would resolve no unqualified name; public is what code means then.
    searchPath: searchPath.length > 0 ? searchPath : ['public'],
    relations: relations.sort(byId),
    functions: functions.sort(byId),
    triggers: triggers.sort(byId),
    types: types.sort(byId),
    sequences: sequences.sort(byId),
    dependencies: dedupeDependencies(dependencies),
    extensions: strArr(database, 'extensions').sort(compareStrings),
    serverVersion: str(database, 'server_version'),
  };
}

const TRIGGER_BEFORE = 1 << 1;
const TRIGGER_INSERT = 1 << 2;
const TRIGGER_DELETE = 1 << 3;
const TRIGGER_UPDATE = 1 << 4;
const TRIGGER_TRUNCATE = 1 << 5;
const TRIGGER_INSTEAD = 1 << 6;

function triggerEvents(tgtype: number): TriggerEvent[] {
  const events: TriggerEvent[] = [];
  if (tgtype & TRIGGER_INSERT) events.push('INSERT');
  if (tgtype & TRIGGER_UPDATE) events.push('UPDATE');
  if (tgtype & TRIGGER_DELETE) events.push('DELETE');
  if (tgtype & TRIGGER_TRUNCATE) events.push('TRUNCATE');
  return events;
}

const RELATION_KINDS: Record<string, RelationKind> = {
  r: 'table',
  p: 'partitioned',
  f: 'foreign',
  v: 'view',
  m: 'materializedView',
};


function toRelation(row: Row): CatalogRelation {
  const schema = str(row, 'schema');
  const name = str(row, 'name');
  return {
    oid: num(row, 'oid'),
    id: `${schema}.${name}`,
    schema,
    name,
    kind: RELATION_KINDS[str(row, 'relkind')] ?? 'table',
    columns: [],
    primaryKey: strArr(row, 'primary_key'),
    partitionOf: optStr(row, 'partition_of'),
    definition: optStr(row, 'definition'),
    extensionOwned: bool(row, 'extension_owned'),
    comment: optStr(row, 'comment'),
    replication: { publications: strArr(row, 'publications'), identityFull: optStr(row, 'replica_identity') === 'f' },
  };
}

const FUNCTION_KINDS: Record<string, FunctionKind> = { f: 'function', p: 'procedure', a: 'aggregate', w: 'window' };

function toFunction(row: Row): CatalogFunction {
  const schema = str(row, 'schema');
  const name = str(row, 'name');
  return {
    oid: num(row, 'oid'),
    id: `${schema}.${name}(${str(row, 'arg_types')})`,
    schema,
    name,
    kind: FUNCTION_KINDS[str(row, 'prokind')] ?? 'function',
    identityArgs: str(row, 'identity_args'),
    argCount: num(row, 'arg_count'),
    returnType: str(row, 'return_type'),
    language: str(row, 'language'),
    body: optStr(row, 'body'),
    isTriggerFunction: bool(row, 'is_trigger_function'),
    extensionOwned: bool(row, 'extension_owned'),
    comment: optStr(row, 'comment'),
  };
}

const TYPE_KINDS: Record<string, CatalogType['kind']> = { e: 'enum', c: 'composite', d: 'domain', r: 'range' };

function toType(row: Row): CatalogType {
  const schema = str(row, 'schema');
  const name = str(row, 'name');
  return {
    oid: num(row, 'oid'),
    id: `${schema}.${name}`,
    schema,
    name,
    kind: TYPE_KINDS[str(row, 'typtype')] ?? 'domain',
    enumValues: strArr(row, 'enum_values'),
    extensionOwned: bool(row, 'extension_owned'),
  };
}

function dedupeDependencies(dependencies: CatalogDependency[]): CatalogDependency[] {
  const seen = new Map<string, CatalogDependency>();
  for (const dep of dependencies) seen.set(`${dep.kind}\0${dep.from}\0${dep.to}`, dep);
  return [...seen.values()].sort(compareDependencies);
}

export function compareDependencies(a: CatalogDependency, b: CatalogDependency): number {
  return compareStrings(a.from, b.from) || compareStrings(a.kind, b.kind) || compareStrings(a.to, b.to);
}

/** Code-point order: locale collation would make output differ between machines. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byId(a: { id: string }, b: { id: string }): number {
  return compareStrings(a.id, b.id);
}

function rowsOf(result: unknown[]): Row[] {
  const first = result[0] as Row | undefined;
  let rows = first?.rows;
  if (typeof rows === 'string') rows = JSON.parse(rows) as unknown;
  return Array.isArray(rows) ? (rows as Row[]) : [];
}

function str(row: Row, key: string): string {
  const value = row[key];
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

function optStr(row: Row, key: string): string | null {
  const value = row[key];
  return typeof value === 'string' ? value : null;
}

function num(row: Row, key: string): number {
  return Number(row[key] ?? 0);
}

function optNum(row: Row, key: string): number | null {
  const value = row[key];
  return value === null || value === undefined ? null : Number(value);
}

function bool(row: Row, key: string): boolean {
  return row[key] === true;
}

function strArr(row: Row, key: string): string[] {
  const value = row[key];
  return Array.isArray(value) ? value.map(String) : [];
}
