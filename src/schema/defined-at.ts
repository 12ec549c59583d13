import { parseSync } from 'libpg-query';
import type { Catalog } from '../catalog.js';
import { lineOfOffset, type SqlStatement } from './split.js';

export type DefinedAt = Record<string, { file: string; line: number }>;

interface Site {
  file: string;
  line: number;
  order: number;
}

type Node = Record<string, unknown>;

/**
 * Where each object was last created, replaced or renamed, keyed by `kind|schema|name...`
 * with an empty schema for unqualified names. Resolution against the catalog happens later,
 * once it is known which schema an unqualified name landed in.
 */
export class DefinitionIndex {
  private readonly sites = new Map<string, Site>();
  private readonly functions = new Map<string, { argCount: number; site: Site }[]>();
  private order = 0;

  /** Records what one applied file defines; statements that do not parse are skipped. */
  addFile(file: string, statements: SqlStatement[]): void {
    for (const statement of statements) {
      let stmts: { stmt?: Node }[];
      try {
        stmts = parseSync(statement.sql).stmts as { stmt?: Node }[];
      } catch {
        continue;
      }
      for (const { stmt } of stmts) if (stmt !== undefined) this.addStatement(file, statement, stmt);
    }
  }

  /**
   * DDL inside a `DO` block (`IF NOT EXISTS (...) THEN CREATE TABLE ...`, `EXECUTE 'CREATE ...'`):
   * PL/pgSQL is not SQL, so each CREATE/ALTER/COMMENT in its body is cut out and parsed alone,
   * at its own line. What does not parse that way (dynamic text) keeps no definedAt.
   */
  private addDoBlock(file: string, statement: SqlStatement, body: Node): void {
    const code = list(body.args).map((arg) => arg.DefElem).find((d): d is Node => isNode(d) && d.defname === 'as');
    const text = isNode(code?.arg) && isNode(code.arg.String) && typeof code.arg.String.sval === 'string' ? code.arg.String.sval : undefined;
    const offset = text === undefined ? -1 : statement.sql.indexOf(text);
    if (text === undefined || offset < 0) return;
    for (const ddl of embeddedDdl(text)) {
      const line = statement.line + countNewlines(statement.sql, offset + ddl.offset);
      for (const { stmt } of ddl.stmts) if (stmt !== undefined) this.addStatement(file, { sql: ddl.sql, line }, stmt);
    }
  }

  private site(file: string, line: number): Site {
    return { file, line, order: this.order++ };
  }

  private addStatement(file: string, statement: SqlStatement, stmt: Node): void {
    const [type, body] = Object.entries(stmt)[0] ?? [];
    if (type === undefined || !isNode(body)) return;
    const here = this.site(file, statement.line);
    const at = (location: unknown): Site =>
      typeof location === 'number' ? this.site(file, lineOfOffset(statement, location)) : here;

    switch (type) {
      case 'DoStmt':
        this.addDoBlock(file, statement, body);
        return;
      case 'CreateStmt': {
        const rel = rangeVar(body.relation);
        if (rel === undefined) return;
        this.sites.set(key('rel', rel.schema, rel.name), here);
        for (const element of list(body.tableElts)) {
          const column = element.ColumnDef;
          if (isNode(column) && typeof column.colname === 'string') {
            this.sites.set(key('col', rel.schema, rel.name, column.colname), at(column.location));
          }
        }
        return;
      }
      case 'AlterTableStmt': {
        const rel = rangeVar(body.relation);
        if (rel === undefined) return;
        for (const item of list(body.cmds)) {
          const cmd = item.AlterTableCmd;
          if (!isNode(cmd) || cmd.subtype !== 'AT_AddColumn' || !isNode(cmd.def)) continue;
          const column = cmd.def.ColumnDef;
          if (isNode(column) && typeof column.colname === 'string') {
            this.sites.set(key('col', rel.schema, rel.name, column.colname), at(column.location));
          }
        }
        return;
      }
      case 'ViewStmt': {
        const rel = rangeVar(body.view);
        if (rel !== undefined) this.sites.set(key('rel', rel.schema, rel.name), here);
        return;
      }
      case 'CreateTableAsStmt': {
        const rel = isNode(body.into) ? rangeVar(body.into.rel) : undefined;
        if (rel !== undefined) this.sites.set(key('rel', rel.schema, rel.name), here);
        return;
      }
      case 'CreateSeqStmt': {
        const rel = rangeVar(body.sequence);
        if (rel !== undefined) this.sites.set(key('seq', rel.schema, rel.name), here);
        return;
      }
      case 'CreateTrigStmt': {
        const rel = rangeVar(body.relation);
        if (rel !== undefined && typeof body.trigname === 'string') {
          this.sites.set(key('trg', rel.schema, rel.name, body.trigname), here);
        }
        return;
      }
      case 'CreateFunctionStmt': {
        const name = qualifiedName(body.funcname);
        if (name === undefined) return;
        const isProcedure = body.is_procedure === true;
        const argCount = list(body.parameters).filter((p) => {
          const mode = isNode(p.FunctionParameter) ? p.FunctionParameter.mode : undefined;
          if (mode === 'FUNC_PARAM_TABLE') return false;
          return mode !== 'FUNC_PARAM_OUT' || isProcedure;
        }).length;
        const k = key('fn', name.schema, name.name);
        const sites = this.functions.get(k) ?? [];
        sites.push({ argCount, site: here });
        this.functions.set(k, sites);
        return;
      }
      case 'CreateEnumStmt':
      case 'CreateRangeStmt':
      case 'AlterEnumStmt': {
        const name = qualifiedName(body.typeName);
        if (name !== undefined) this.sites.set(key('type', name.schema, name.name), here);
        return;
      }
      case 'CreateDomainStmt': {
        const name = qualifiedName(body.domainname);
        if (name !== undefined) this.sites.set(key('type', name.schema, name.name), here);
        return;
      }
      case 'CompositeTypeStmt': {
        const rel = rangeVar(body.typevar);
        if (rel !== undefined) this.sites.set(key('type', rel.schema, rel.name), here);
        return;
      }
      case 'RenameStmt':
        this.addRename(body, here);
        return;
    }
  }

  /** A renamed object is, under its new id, defined by the rename; its columns keep their lines. */
  private addRename(body: Node, here: Site): void {
    const rel = rangeVar(body.relation);
    if (rel === undefined || typeof body.newname !== 'string') return;
    const renameType = body.renameType;
    if (renameType === 'OBJECT_COLUMN' && typeof body.subname === 'string') {
      this.sites.set(key('col', rel.schema, rel.name, body.newname), here);
      return;
    }
    if (renameType === 'OBJECT_SEQUENCE') {
      this.sites.set(key('seq', rel.schema, body.newname), here);
      return;
    }
    if (renameType !== 'OBJECT_TABLE' && renameType !== 'OBJECT_VIEW' && renameType !== 'OBJECT_MATVIEW') return;
    this.sites.set(key('rel', rel.schema, body.newname), here);
    for (const prefix of ['col', 'trg']) {
      const oldPrefix = key(prefix, rel.schema, rel.name, '');
      for (const [k, site] of [...this.sites]) {
        if (k.startsWith(oldPrefix)) this.sites.set(key(prefix, rel.schema, body.newname, k.slice(oldPrefix.length)), site);
      }
    }
  }

  /** Maps catalog ids to sites: a qualified record wins; an unqualified one applies to search-path schemas or a unique name. */
  resolve(catalog: Catalog): DefinedAt {
    const out: DefinedAt = {};
    const searchPath = new Set(catalog.searchPath.length > 0 ? catalog.searchPath : ['public']);
    const nameCounts = new Map<string, number>();
    const count = (k: string): void => {
      nameCounts.set(k, (nameCounts.get(k) ?? 0) + 1);
    };
    for (const r of catalog.relations) count(`rel|${r.name}`);
    for (const s of catalog.sequences) count(`seq|${s.name}`);
    for (const t of catalog.types) count(`type|${t.name}`);
    for (const f of catalog.functions) count(`fn|${f.name}`);

    const lookup = (kind: string, schema: string, ...names: string[]): Site | undefined => {
      const qualified = this.sites.get(key(kind, schema, ...names));
      const unqualified =
        searchPath.has(schema) || nameCounts.get(`${kind}|${names[0] ?? ''}`) === 1
          ? this.sites.get(key(kind, undefined, ...names))
          : undefined;
      return latest(qualified, unqualified);
    };
    const set = (id: string, site: Site | undefined): void => {
      if (site !== undefined) out[id] = { file: site.file, line: site.line };
    };

    for (const relation of catalog.relations) {
      if (relation.extensionOwned) continue;
      const relationSite = lookup('rel', relation.schema, relation.name);
      set(relation.id, relationSite);
      const isQuery = relation.kind === 'view' || relation.kind === 'materializedView';
      for (const column of relation.columns) {
        const columnSite = lookup('col', relation.schema, relation.name, column.name);
        set(`${relation.id}.${column.name}`, columnSite ?? (isQuery ? relationSite : undefined));
      }
    }
    for (const trigger of catalog.triggers) {
      const table = trigger.relationId.slice(trigger.schema.length + 1);
      set(trigger.id, lookup('trg', trigger.schema, table, trigger.name));
    }
    for (const type of catalog.types) if (!type.extensionOwned) set(type.id, lookup('type', type.schema, type.name));
    for (const sequence of catalog.sequences) {
      if (sequence.extensionOwned) continue;
      const own = lookup('seq', sequence.schema, sequence.name);
      set(sequence.id, own ?? (sequence.ownedBy === null ? undefined : siteOf(out[sequence.ownedBy])));
    }
    for (const fn of catalog.functions) {
      if (fn.extensionOwned) continue;
      const candidates = [
        ...(this.functions.get(key('fn', fn.schema, fn.name)) ?? []),
        ...(searchPath.has(fn.schema) || nameCounts.get(`fn|${fn.name}`) === 1
          ? (this.functions.get(key('fn', undefined, fn.name)) ?? [])
          : []),
      ];
      const overloads = nameCounts.get(`fn|${fn.name}`) ?? 0;
      const matching = candidates.filter((c) => c.argCount === fn.argCount || overloads === 1);
      set(fn.id, matching.map((c) => c.site).reduce<Site | undefined>(latest, undefined));
    }
    return out;
  }
}

function latest(a: Site | undefined, b: Site | undefined): Site | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a.order >= b.order ? a : b;
}

function siteOf(entry: { file: string; line: number } | undefined): Site | undefined {
  return entry === undefined ? undefined : { ...entry, order: 0 };
}

function key(kind: string, schema: string | undefined, ...names: string[]): string {
  return [kind, schema ?? '', ...names].join('\0');
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): Node[] {
  return Array.isArray(value) ? value.filter(isNode) : [];
}

function rangeVar(value: unknown): { schema: string | undefined; name: string } | undefined {
  if (!isNode(value) || typeof value.relname !== 'string') return undefined;
  return { schema: typeof value.schemaname === 'string' ? value.schemaname : undefined, name: value.relname };
}

/** `[schema, name]` or `[name]` String nodes, as in funcname and typeName lists. */
function qualifiedName(value: unknown): { schema: string | undefined; name: string } | undefined {
  const parts = list(value)
    .map((n) => (isNode(n.String) && typeof n.String.sval === 'string' ? n.String.sval : undefined))
    .filter((s): s is string => s !== undefined);
  const name = parts.at(-1);
  if (name === undefined) return undefined;
  return { schema: parts.length > 1 ? parts.at(-2) : undefined, name };
}

/**
 * CREATE / ALTER / COMMENT statements in a PL/pgSQL body: in code up to the next `;` outside
 * quotes, inside an `EXECUTE '...'` string up to its closing quote (with `''` unescaped).
 */
function embeddedDdl(code: string): { sql: string; offset: number; stmts: { stmt?: Node }[] }[] {
  const strings = quotedRanges(code);
  const out: { sql: string; offset: number; stmts: { stmt?: Node }[] }[] = [];
  for (const match of code.matchAll(/\b(?:create|alter|comment\s+on)\b/gi)) {
    const start = match.index;
    const inString = strings.find(([from, to]) => start > from && start < to);
    let sql: string;
    if (inString !== undefined) sql = code.slice(start, inString[1]).replace(/''/g, "'");
    else {
      let end = start;
      while (end < code.length && (code[end] !== ';' || strings.some(([from, to]) => end > from && end < to))) end++;
      sql = code.slice(start, end);
    }
    const stmts = parsed(sql);
    if (stmts !== undefined) out.push({ sql, offset: start, stmts });
  }
  return out;
}

/** `[open, close]` offsets of the single-quoted strings in PL/pgSQL code (`''` stays inside). */
function quotedRanges(code: string): [number, number][] {
  const out: [number, number][] = [];
  let open = -1;
  for (let i = 0; i < code.length; i++) {
    if (code[i] !== "'") continue;
    if (open < 0) open = i;
    else if (code[i + 1] === "'") i++;
    else {
      out.push([open, i]);
      open = -1;
    }
  }
  return out;
}

function parsed(sql: string): { stmt?: Node }[] | undefined {
  try {
    return parseSync(sql).stmts as { stmt?: Node }[];
  } catch {
    return undefined;
  }
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let i = 0; i < end && i < text.length; i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}
