/**
 * A small SQL grammar whose generator knows the truth: which relation each generated name
 * binds to, and which columns are read or written. Only valid statements come out (every
 * unqualified name is unique where Postgres looks it up, aliases are fresh, USING columns
 * exist once per side), so any difference from the extractor is the extractor's.
 */
import type { FakeSchema } from '../sql/fake-lookup.js';
import type { Choices } from './arbitraries.js';

interface Table {
  schema: string;
  name: string;
  columns: string[];
}

const tables: Table[] = [
  { schema: 'public', name: 'users', columns: ['id', 'email', 'name', 'org_id', 'created_at'] },
  { schema: 'public', name: 'orgs', columns: ['id', 'name', 'plan'] },
  { schema: 'public', name: 'orders', columns: ['id', 'user_id', 'total', 'status', 'created_at'] },
  { schema: 'audit', name: 'events', columns: ['id', 'user_id', 'payload'] },
  // Needs quoting everywhere: mixed case.
  { schema: 'public', name: 'UserProfiles', columns: ['id', 'displayName', 'bio'] },
];

export const statementSchema: FakeSchema = {
  relations: tables.map((table) => ({ schema: table.schema, name: table.name, columns: table.columns })),
  searchPath: ['public'],
};

const idOf = (table: Table): string => `${table.schema}.${table.name}`;

/** What the statement really does. Keys: `schema.table:role`, `schema.table.column:role`, `schema.table`. */
export interface Truth {
  relations: Set<string>;
  columns: Set<string>;
  wildcards: Set<string>;
}

interface Origin {
  relationId: string;
  column: string;
}

interface OutputColumn {
  name: string;
  origins: Origin[];
  /** Produced by `t.*`: the select list only may read it, so sorting by its name reads it. */
  fromStar?: boolean;
}

/** A FROM item as the generator sees it: the name that qualifies it and the columns it exposes. */
interface Item {
  exposed: string;
  table?: Table;
  columns: OutputColumn[];
}

/** One query level; `parent` is the enclosing query (correlated subqueries see it). */
interface Level {
  items: Item[];
  parent: Level | undefined;
  /** Set when the first items are an UPDATE or DELETE target, which FROM items cannot see. */
  fromStart?: number;
  /** Bare names are ambiguous here (ON CONFLICT DO UPDATE, where EXCLUDED has every column too). */
  qualified?: boolean;
}

interface Cte {
  name: string;
  columns: OutputColumn[];
  /** False for a data-modifying CTE without RETURNING: its name exists, but nothing may select from it. */
  selectable: boolean;
}

export interface Generated {
  sql: string;
  /** The same SQL with each table name wrapped as `\u0001schema.table\u0002spelling\u0003`, for tests that make it a hole. */
  marked: string;
  truth: Truth;
}

const tableMarks = /\u0001([^\u0002]*)\u0002([^\u0003]*)\u0003/g;

const isSimple = (name: string): boolean => /^[a-z_][a-z0-9_]*$/.test(name);

export class StatementGenerator {
  private alias = 0;
  private param = 0;
  private cteCount = 0;
  private outputCount = 0;
  private readonly truth: Truth = { relations: new Set(), columns: new Set(), wildcards: new Set() };

  constructor(private readonly choices: Choices) {}

  static generate(choices: Choices): Generated {
    const generator = new StatementGenerator(choices);
    const marked = generator.statement();
    return { sql: marked.replace(tableMarks, '$2'), marked, truth: generator.truth };
  }

  private statement(): string {
    const kind = this.choices.int(5);
    // Postgres does not take WITH RECURSIVE before MERGE.
    const ctes = this.withClause(kind !== 4);
    const prefix = ctes.text;
    switch (kind) {
      case 4:
        return prefix + this.merge(ctes.visible);
      case 1:
        return prefix + this.insert(ctes.visible).text;
      case 2:
        return prefix + this.update(ctes.visible).text;
      case 3:
        return prefix + this.del(ctes.visible).text;
      default: {
        if (!this.choices.chance(15)) return prefix + this.select(undefined, ctes.visible, 0).text;
        // Parenthesised, so each side may have its own ORDER BY and LIMIT; as wide as each other.
        const left = this.select(undefined, ctes.visible, 0, true);
        const right = this.select(undefined, ctes.visible, 1, false, left.columns.length);
        return `${prefix}(${left.text}) UNION ALL (${right.text})`;
      }
    }
  }

  private withClause(allowRecursive: boolean): { text: string; visible: Cte[] } {
    const visible: Cte[] = [];
    const count = this.choices.chance(30) ? 1 + this.choices.int(2) : 0;
    const parts: string[] = [];
    const names: string[] = [];
    for (let index = 0; index < count; index++) {
      // A CTE may shadow a table's name: unqualified uses then mean the CTE, `public.x` still the table.
      const name = this.choices.chance(30) ? this.choices.pick(['users', 'orgs', 'orders']) : `c${++this.cteCount}`;
      if (!names.includes(name)) names.push(name);
    }
    // WITH RECURSIVE makes every name of the list visible in every body, its own included.
    const recursive = allowRecursive && names.length > 0 && this.choices.chance(20);
    for (const name of names) {
      const pending = recursive ? names.filter((other) => !visible.some((cte) => cte.name === other)) : [];
      const sees = [...visible, ...pending.map((other) => ({ name: other, columns: [], selectable: false }))];
      if (recursive && this.choices.chance(40)) {
        parts.push(this.recursiveCte(name, sees, visible));
        continue;
      }
      // A data-modifying CTE outputs its RETURNING list (Postgres refuses them under RECURSIVE when they name the CTE).
      const kind = !recursive && this.choices.chance(25) ? this.choices.int(3) : -1;
      const body = kind === 0 ? this.insert(sees) : kind === 1 ? this.update(sees) : kind === 2 ? this.del(sees) : this.select(undefined, sees, 1, true);
      const renamed = this.renameList(body.columns);
      parts.push(`${name}${renamed.text} AS (${body.text})`);
      visible.push({ name, columns: renamed.columns, selectable: kind === -1 || / RETURNING /.test(body.text) });
    }
    return { text: parts.length === 0 ? '' : `WITH ${recursive ? 'RECURSIVE ' : ''}${parts.join(', ')} `, visible };
  }

  /** `name(x) AS (SELECT a.col FROM t a UNION ALL SELECT name.x FROM name WHERE ...)`: x comes from t.col. */
  private recursiveCte(name: string, sees: Cte[], visible: Cte[]): string {
    const table = this.choices.pick(tables);
    const column = this.choices.pick(table.columns);
    this.truth.relations.add(`${idOf(table)}:read`);
    this.read([{ relationId: idOf(table), column }]);
    const alias = this.nextAlias();
    const output = `x${++this.outputCount}`;
    visible.push({ name, columns: [{ name: output, origins: [{ relationId: idOf(table), column }] }], selectable: true });
    const quoted = isSimple(name) ? name : `"${name}"`;
    return `${quoted}(${output}) AS (SELECT ${alias}.${this.columnName(column)} FROM ${this.tableName(table, sees)} ${alias} UNION ALL SELECT ${quoted}.${output} FROM ${quoted} WHERE ${quoted}.${output} IS NULL)`;
  }

  private nextParam(): string {
    this.param += 1;
    return `$${this.param}`;
  }

  private nextAlias(): string {
    this.alias += 1;
    return `a${this.alias}`;
  }

  private read(origins: Origin[]): void {
    for (const origin of origins) this.truth.columns.add(`${origin.relationId}.${origin.column}:read`);
  }

  /** A table name as code might spell it, given the CTE names that would capture an unqualified spelling. */
  private tableName(table: Table, ctes: Cte[]): string {
    const quoted = `"${table.name}"`;
    const mustQualify = table.schema !== 'public' || ctes.some((cte) => cte.name === table.name);
    const bare = isSimple(table.name) ? this.choices.pick([table.name, quoted, table.name.toUpperCase()]) : quoted;
    let spelled = bare;
    if (mustQualify || this.choices.chance(25)) {
      spelled = `${this.choices.pick([table.schema, `"${table.schema}"`, table.schema.toUpperCase()])}.${bare}`;
    }
    return `\u0001${idOf(table)}\u0002${spelled}\u0003`;
  }

  /** The name a FROM item is qualified by, in any case that folds to it. */
  private qualifier(item: Item): string {
    if (!isSimple(item.exposed)) return `"${item.exposed}"`;
    return this.choices.pick([item.exposed, item.exposed, item.exposed.toUpperCase(), `"${item.exposed}"`]);
  }

  /** ` (r1, r2)` renaming the first columns of a derived table or CTE, or nothing. */
  private renameList(columns: OutputColumn[]): { text: string; columns: OutputColumn[] } {
    if (columns.length === 0 || !this.choices.chance(20)) return { text: '', columns };
    const count = 1 + this.choices.int(columns.length);
    const renamed = columns.map((column, index) => (index < count ? { name: `r${++this.outputCount}`, origins: column.origins } : column));
    return { text: `(${renamed.slice(0, count).map((column) => column.name).join(', ')})`, columns: renamed };
  }

  private columnName(name: string): string {
    if (!isSimple(name)) return `"${name}"`;
    return this.choices.pick([name, name, `"${name}"`, name.toUpperCase()]);
  }

  /** Every name an item could be qualified by is taken by no other item in reach: aliases keep it so. */
  private fromTable(level: Level, ctes: Cte[], role: 'read' | 'write' | 'delete', allowBare: boolean): { text: string; item: Item } {
    const table = this.choices.pick(tables);
    this.truth.relations.add(`${idOf(table)}:${role}`);
    const spelled = this.tableName(table, ctes);
    const columns = table.columns.map((column) => ({ name: column, origins: [{ relationId: idOf(table), column }] }));
    const taken = exposedNames(level);
    if (allowBare && !taken.has(table.name) && !ctes.some((cte) => cte.name === table.name) && this.choices.chance(30)) {
      return { text: spelled, item: { exposed: table.name, table, columns } };
    }
    const alias = this.nextAlias();
    const as = this.choices.chance(50) ? ' AS ' : ' ';
    const only = this.choices.chance(10) ? 'ONLY ' : '';
    const sample = this.choices.chance(10) ? ' TABLESAMPLE SYSTEM (50)' : '';
    return { text: `${only}${spelled}${as}${alias}${sample}`, item: { exposed: alias, table, columns } };
  }

  /** One FROM item: a table, a CTE by name, or a derived table. */
  private fromItem(level: Level, ctes: Cte[], depth: number): { text: string; item: Item } {
    const kind = this.choices.int(depth < 2 ? 4 : 2);
    const selectable = ctes.filter((cte) => cte.selectable);
    if (kind === 1 && selectable.length > 0) {
      const cte = this.choices.pick(selectable);
      const alias = this.nextAlias();
      return { text: `${cte.name} ${alias}`, item: { exposed: alias, columns: cte.columns } };
    }
    if (kind === 2) {
      // Not LATERAL, a derived table sees the outer query levels, not its siblings; LATERAL, the items before it too.
      // Not in UPDATE ... FROM or DELETE ... USING: there a bare name the target also has is an error in LATERAL.
      const lateral = level.fromStart === undefined && this.choices.chance(30);
      const sees = lateral ? { items: [...level.items], parent: level.parent } : level.parent;
      const body = this.select(sees, ctes, depth + 1, true);
      const alias = this.nextAlias();
      const renamed = this.renameList(body.columns);
      return { text: `${lateral ? 'LATERAL ' : ''}(${body.text}) AS ${alias}${renamed.text}`, item: { exposed: alias, columns: renamed.columns } };
    }
    return this.fromTable(level, ctes, 'read', true);
  }

  /** A FROM list of one to three items joined by commas, JOIN ... ON or JOIN ... USING. */
  private fromList(level: Level, ctes: Cte[], depth: number): string {
    let text = '';
    let chainStart = level.items.length;
    const count = 1 + this.choices.int(3);
    for (let index = 0; index < count; index++) {
      const { text: itemText, item } = this.fromItem(level, ctes, depth);
      if (index === 0 || this.choices.chance(30)) {
        if (index > 0) chainStart = level.items.length;
        text += index === 0 ? itemText : `, ${itemText}`;
        level.items.push(item);
        continue;
      }
      const chain = level.items.slice(chainStart);
      const join = this.choices.pick(['JOIN', 'LEFT JOIN', 'INNER JOIN']);
      const shared = item.columns
        .map((column) => column.name)
        .filter((name) => countNamed(chain, name) === 1 && countNamed([item], name) === 1);
      const common = [...new Set(item.columns.map((column) => column.name))].filter((name) => countNamed(chain, name) > 0);
      if (common.every((name) => countNamed(chain, name) === 1 && countNamed([item], name) === 1) && this.choices.chance(10)) {
        // NATURAL: USING every name both sides have.
        for (const name of common) {
          for (const side of [...chain, item]) this.read(side.columns.find((column) => column.name === name)?.origins ?? []);
        }
        text += ` NATURAL ${join} ${itemText}`;
        level.items.push(item);
        continue;
      }
      if (shared.length > 0 && this.choices.chance(25)) {
        // USING reads the column on both sides; afterwards the bare name is merged, so the generator stops using it bare.
        const name = this.choices.pick(shared);
        for (const side of [...chain, item]) this.read(side.columns.find((column) => column.name === name)?.origins ?? []);
        text += ` ${join} ${itemText} USING (${this.columnName(name)})`;
        level.items.push(item);
        continue;
      }
      level.items.push(item);
      // ON sees only the items of its own join chain (and outer query levels).
      const onLevel: Level = { items: level.items.slice(chainStart), parent: level.parent };
      text += ` ${join} ${itemText} ON ${this.condition(onLevel, ctes, depth)}`;
    }
    return text;
  }

  /** A column some visible item exposes, spelled bare when Postgres would bind the bare name to it. */
  private columnRef(level: Level, options: { qualified?: boolean } = {}): { text: string; item: Item; column: OutputColumn } | undefined {
    const candidates: { item: Item; column: OutputColumn; levelIndex: number }[] = [];
    const levels: Level[] = [];
    for (let current: Level | undefined = level; current; current = current.parent) levels.push(current);
    levels.forEach((current, levelIndex) => {
      for (const item of current.items) {
        for (const column of item.columns) if (isNameable(item, column)) candidates.push({ item, column, levelIndex });
      }
    });
    if (candidates.length === 0) return undefined;
    const { item, column, levelIndex } = this.choices.pick(candidates);
    const bareOk =
      !options.qualified &&
      !(levels[levelIndex] as Level).qualified &&
      levels.slice(0, levelIndex).every((inner) => !inner.items.some((other) => exposes(other, column.name))) &&
      (levels[levelIndex] as Level).items.filter((other) => exposes(other, column.name)).length === 1;
    const name = this.columnName(column.name);
    const text = bareOk && this.choices.chance(40) ? name : `${this.qualifier(item)}.${name}`;
    return { text, item, column };
  }

  private valueExpr(level: Level): string {
    const ref = this.columnRef(level);
    if (!ref || this.choices.chance(30)) return this.choices.pick([this.nextParam(), "'x'", '1', 'now()']);
    this.read(ref.column.origins);
    const forms = [ref.text, `lower(${ref.text}::text)`, `coalesce(${ref.text}, NULL)`, `(${ref.text})`, `CASE WHEN ${ref.text} IS NULL THEN 'x' ELSE 'y' END`];
    return this.choices.pick(forms);
  }

  private condition(level: Level, ctes: Cte[], depth: number): string {
    const kind = this.choices.int(depth < 2 ? 7 : 4);
    switch (kind) {
      case 1:
        return `${this.valueExpr(level)} = ${this.valueExpr(level)}`;
      case 2:
        return `${this.valueExpr(level)} IS NOT NULL`;
      case 3:
        return `(${this.condition(level, ctes, depth + 1)} ${this.choices.pick(['AND', 'OR'])} ${this.condition(level, ctes, depth + 1)})`;
      case 4:
        return `EXISTS (${this.select(level, ctes, depth + 1).text})`;
      case 5:
        return `${this.valueExpr(level)} IN (${this.select(level, ctes, depth + 1, false, 1).text})`;
      case 6:
        return this.choices.pick([
          () => `NOT ${this.valueExpr(level)} BETWEEN ${this.nextParam()} AND ${this.nextParam()}`,
          () => `${this.valueExpr(level)} IN (${this.nextParam()}, ${this.valueExpr(level)})`,
          () => `${this.valueExpr(level)} = ANY(${this.nextParam()}::text[])`,
        ])();
      default:
        return `${this.valueExpr(level)} = ${this.nextParam()}`;
    }
  }

  /** A SELECT; `named` gives every output column a distinct name (for CTEs and derived tables). */
  private select(
    parent: Level | undefined,
    ctes: Cte[],
    depth: number,
    named = false,
    width?: number,
  ): { text: string; columns: OutputColumn[] } {
    const level: Level = { items: [], parent };
    const from = this.fromList(level, ctes, depth);
    const outputs: OutputColumn[] = [];
    const list: string[] = [];
    const count = width ?? 1 + this.choices.int(3);
    for (let index = 0; index < count; index++) {
      const kind = this.choices.int(10);
      const tableItems = level.items.filter((item) => item.table !== undefined);
      if (kind === 9 && tableItems.length > 0 && width === undefined && !named) {
        const item = this.choices.pick(tableItems);
        this.truth.wildcards.add(idOf(item.table as Table));
        list.push(`${this.qualifier(item)}.*`);
        outputs.push(...item.columns.map((column) => ({ ...column, fromStar: true })));
        continue;
      }
      if (kind === 7 && depth < 2) {
        const name = `s${++this.outputCount}`;
        list.push(`(${this.select(level, ctes, depth + 1, false, 1).text}) AS ${name}`);
        outputs.push({ name, origins: [] });
        continue;
      }
      if (kind === 6) {
        const partition = this.columnRef(level);
        const order = this.columnRef(level, { qualified: true });
        if (partition && order) {
          this.read(partition.column.origins);
          this.read(order.column.origins);
          const name = `w${++this.outputCount}`;
          list.push(`row_number() OVER (PARTITION BY ${partition.text} ORDER BY ${order.text}) AS ${name}`);
          outputs.push({ name, origins: [] });
          continue;
        }
      }
      if (kind === 8) {
        const name = `e${++this.outputCount}`;
        list.push(`count(*) AS ${name}`);
        outputs.push({ name, origins: [] });
        continue;
      }
      const ref = this.columnRef(level);
      if (!ref) {
        const name = `k${++this.outputCount}`;
        list.push(`1 AS ${name}`);
        outputs.push({ name, origins: [] });
        continue;
      }
      this.read(ref.column.origins);
      const clash = outputs.some((output) => output.name === ref.column.name);
      if (clash || this.choices.chance(30)) {
        const name = `o${++this.outputCount}`;
        list.push(`${ref.text} AS ${name}`);
        outputs.push({ name, origins: ref.column.origins });
      } else {
        list.push(ref.text);
        outputs.push({ name: ref.column.name, origins: ref.column.origins });
      }
    }
    // DISTINCT ON must match a leading ORDER BY, so a statement gets one or the other.
    const distinctOn = this.choices.chance(10) ? this.columnRef(level, { qualified: true }) : undefined;
    if (distinctOn) this.read(distinctOn.column.origins);
    let sql = `SELECT ${distinctOn ? `DISTINCT ON (${distinctOn.text}) ` : ''}${list.join(', ')} FROM ${from}`;
    if (this.choices.chance(50)) sql += ` WHERE ${this.condition(level, ctes, depth)}`;
    if (this.choices.chance(10)) {
      const ref = this.columnRef(level, { qualified: true });
      if (ref) {
        this.read(ref.column.origins);
        sql += ` GROUP BY ${ref.text}`;
      }
    }
    const sortable = outputs.filter((output) => outputs.filter((other) => other.name === output.name).length === 1);
    if (!distinctOn && this.choices.chance(10) && sortable.length > 0) {
      // A bare ORDER BY name is an output column first: it reads nothing the select list did not,
      // unless a star produced it (the star was only a possible read).
      const output = this.choices.pick(sortable);
      if (output.fromStar === true) this.read(output.origins);
      sql += ` ORDER BY ${this.columnName(output.name)}`;
    } else if (!distinctOn && this.choices.chance(20)) {
      const ref = this.columnRef(level, { qualified: true });
      if (ref) {
        this.read(ref.column.origins);
        sql += ` ORDER BY ${ref.text} ${this.choices.pick(['ASC', 'DESC', 'NULLS FIRST'])}`;
      }
    }
    if (this.choices.chance(15)) sql += ` LIMIT ${this.nextParam()}`;
    return { text: sql, columns: outputs };
  }

  /** RETURNING over the statement's own level: the target (and UPDATE's FROM / DELETE's USING items). */
  private returning(level: Level): { text: string; columns: OutputColumn[] } {
    if (!this.choices.chance(50)) return { text: '', columns: [] };
    if (this.choices.chance(20)) {
      // `*` is every FROM item's columns, UPDATE ... FROM and DELETE ... USING items included.
      for (const item of level.items) {
        if (item.table) this.truth.wildcards.add(idOf(item.table));
        else for (const column of item.columns) this.read(column.origins);
      }
      return { text: ' RETURNING *', columns: level.items.flatMap((item) => item.columns) };
    }
    const list: string[] = [];
    const columns: OutputColumn[] = [];
    const count = 1 + this.choices.int(3);
    for (let index = 0; index < count; index++) {
      const starred = this.choices.chance(10) ? this.choices.pick(level.items) : undefined;
      if (starred?.table) {
        this.truth.wildcards.add(idOf(starred.table));
        list.push(`${this.qualifier(starred)}.*`);
        columns.push(...starred.columns);
        continue;
      }
      const ref = this.columnRef(level);
      if (!ref) continue;
      this.read(ref.column.origins);
      list.push(ref.text);
      columns.push(ref.column);
    }
    return { text: list.length === 0 ? '' : ` RETURNING ${list.join(', ')}`, columns };
  }

  private target(role: 'write' | 'delete'): { text: string; item: Item; table: Table } {
    const table = this.choices.pick(tables);
    this.truth.relations.add(`${idOf(table)}:${role}`);
    // INSERT/UPDATE/DELETE targets are always tables, even when a CTE has the name.
    const spelled = this.tableName(table, []);
    const columns = table.columns.map((column) => ({ name: column, origins: [{ relationId: idOf(table), column }] }));
    if (this.choices.chance(50)) {
      const alias = this.nextAlias();
      return { text: `${spelled} AS ${alias}`, item: { exposed: alias, table, columns }, table };
    }
    return { text: spelled, item: { exposed: table.name, table, columns }, table };
  }

  private writes(table: Table, columns: string[]): void {
    for (const column of columns) this.truth.columns.add(`${idOf(table)}.${column}:write`);
  }

  private insert(ctes: Cte[]): { text: string; columns: OutputColumn[] } {
    const { text: target, item, table } = this.target('write');
    const level: Level = { items: [item], parent: undefined };
    const columns = this.subset(table.columns);
    let sql = `INSERT INTO ${target}`;
    if (this.choices.chance(20)) {
      // No column list: VALUES or SELECT fill the table's columns in order.
      const count = 1 + this.choices.int(table.columns.length);
      this.writes(table, table.columns.slice(0, count));
      if (this.choices.chance(40)) sql += ` ${this.select(undefined, ctes, 1, false, count).text}`;
      else sql += ` VALUES (${Array.from({ length: count }, () => this.nextParam()).join(', ')})`;
    } else {
      this.writes(table, columns);
      sql += ` (${columns.map((column) => this.columnName(column)).join(', ')})`;
      if (this.choices.chance(30)) sql += ` ${this.select(undefined, ctes, 1, false, columns.length).text}`;
      else sql += ` VALUES (${columns.map(() => this.nextParam()).join(', ')})`;
    }
    if (this.choices.chance(30)) {
      const key = this.choices.pick(table.columns);
      this.truth.columns.add(`${idOf(table)}.${key}:read`);
      sql += ` ON CONFLICT (${this.columnName(key)})`;
      if (this.choices.chance(50)) sql += ' DO NOTHING';
      else {
        const set = this.subset(table.columns);
        this.writes(table, set);
        const assignments = set.map((column) => {
          if (this.choices.chance(40)) return `${this.columnName(column)} = EXCLUDED.${this.columnName(column)}`;
          const ref = this.choices.chance(40) ? this.columnRef(level, { qualified: true }) : undefined;
          if (!ref) return `${this.columnName(column)} = ${this.nextParam()}`;
          // The existing row's own old value of the column feeds only its new value.
          if (ref.column.name !== column) this.read(ref.column.origins);
          return `${this.columnName(column)} = ${ref.text}`;
        });
        sql += ` DO UPDATE SET ${assignments.join(', ')}`;
        if (this.choices.chance(30)) sql += ` WHERE ${this.condition({ ...level, qualified: true }, ctes, 2)}`;
      }
    }
    const returning = this.returning(level);
    return { text: sql + returning.text, columns: returning.columns };
  }

  private update(ctes: Cte[]): { text: string; columns: OutputColumn[] } {
    const { text: target, item, table } = this.target('write');
    const level: Level = { items: [item], parent: undefined };
    let from = '';
    if (this.choices.chance(40)) {
      const fromLevel: Level = { items: [item], parent: undefined, fromStart: 1 };
      const text = this.fromList(fromLevel, ctes, 1);
      from = ` FROM ${text}`;
      level.items = fromLevel.items;
    }
    const set = this.subset(table.columns);
    this.writes(table, set);
    const assignments = set.map((column) => {
      const ref = this.choices.chance(40) ? this.columnRef(level) : undefined;
      if (!ref) return `${this.columnName(column)} = ${this.nextParam()}`;
      // `SET n = n + 1`: the old value only feeds the new one, which the extractor does not count as a read.
      const isSelf = ref.column.origins.some((origin) => origin.relationId === idOf(table) && origin.column === column);
      if (!isSelf) this.read(ref.column.origins);
      return `${this.columnName(column)} = ${ref.text}`;
    });
    const others = level.items.filter((other) => other !== item);
    if (set.length < table.columns.length && this.choices.chance(25)) {
      // `SET (a, b) = (...)`, reading only other FROM items: the target's own old values stay out of it.
      const rest = table.columns.filter((column) => !set.includes(column)).slice(0, 2);
      this.writes(table, rest);
      const values = rest.map(() => {
        const ref = others.length > 0 && this.choices.chance(50) ? this.columnRef({ items: others, parent: undefined }, { qualified: true }) : undefined;
        if (!ref) return this.nextParam();
        this.read(ref.column.origins);
        return ref.text;
      });
      assignments.push(`(${rest.map((column) => this.columnName(column)).join(', ')}) = ROW(${values.join(', ')})`);
    }
    let sql = `UPDATE ${target} SET ${assignments.join(', ')}${from}`;
    if (this.choices.chance(60)) sql += ` WHERE ${this.condition(level, ctes, 1)}`;
    const returning = this.returning(level);
    return { text: sql + returning.text, columns: returning.columns };
  }

  /**
   * MERGE: ON and WHEN MATCHED see the target and the source; WHEN NOT MATCHED only the source.
   * The extractor reports the target as written, and also deleted when a DELETE clause exists.
   */
  private merge(ctes: Cte[]): string {
    const { text: target, item, table } = this.target('write');
    const sourceLevel: Level = { items: [item], parent: undefined, fromStart: 1 };
    const { text: sourceText, item: source } = this.fromItem(sourceLevel, ctes, 1);
    const both: Level = { items: [item, source], parent: undefined };
    const sourceOnly: Level = { items: [source], parent: undefined };
    let sql = `MERGE INTO ${target} USING ${sourceText} ON ${this.condition(both, ctes, 1)}`;
    const clauses = 1 + this.choices.int(3);
    let matched = false;
    let notMatched = false;
    for (let index = 0; index < clauses; index++) {
      if (this.choices.chance(50) && !matched) {
        // Only the last WHEN MATCHED may go without a condition; each here has one unless it is the only one.
        matched = true;
        const condition = this.choices.chance(40) ? ` AND ${this.condition(both, ctes, 1)}` : '';
        if (this.choices.chance(30)) {
          this.truth.relations.add(`${idOf(table)}:delete`);
          sql += ` WHEN MATCHED${condition} THEN DELETE`;
        } else {
          const set = this.subset(table.columns);
          this.writes(table, set);
          const assignments = set.map((column) => {
            const ref = this.choices.chance(50) ? this.columnRef(both) : undefined;
            if (!ref) return `${this.columnName(column)} = ${this.nextParam()}`;
            const isSelf = ref.column.origins.some((origin) => origin.relationId === idOf(table) && origin.column === column);
            if (!isSelf) this.read(ref.column.origins);
            return `${this.columnName(column)} = ${ref.text}`;
          });
          sql += ` WHEN MATCHED${condition} THEN UPDATE SET ${assignments.join(', ')}`;
        }
      } else if (!notMatched) {
        notMatched = true;
        const condition = this.choices.chance(40) ? ` AND ${this.condition(sourceOnly, ctes, 1)}` : '';
        if (this.choices.chance(20)) {
          sql += ` WHEN NOT MATCHED${condition} THEN DO NOTHING`;
          continue;
        }
        const columns = this.subset(table.columns);
        this.writes(table, columns);
        const values = columns.map(() => {
          const ref = this.choices.chance(60) ? this.columnRef(sourceOnly) : undefined;
          if (!ref) return this.nextParam();
          this.read(ref.column.origins);
          return ref.text;
        });
        sql += ` WHEN NOT MATCHED${condition} THEN INSERT (${columns.map((column) => this.columnName(column)).join(', ')}) VALUES (${values.join(', ')})`;
      }
    }
    return sql;
  }

  private del(ctes: Cte[]): { text: string; columns: OutputColumn[] } {
    const { text: target, item } = this.target('delete');
    const level: Level = { items: [item], parent: undefined, fromStart: 1 };
    let sql = `DELETE FROM ${target}`;
    if (this.choices.chance(40)) sql += ` USING ${this.fromList(level, ctes, 1)}`;
    if (this.choices.chance(70)) sql += ` WHERE ${this.condition(level, ctes, 1)}`;
    const returning = this.returning(level);
    return { text: sql + returning.text, columns: returning.columns };
  }

  /** One or more distinct columns, in a random order. */
  private subset(columns: string[]): string[] {
    const pool = [...columns];
    const picked: string[] = [];
    const count = 1 + this.choices.int(columns.length);
    for (let index = 0; index < count; index++) picked.push(pool.splice(this.choices.int(pool.length), 1)[0] as string);
    return picked;
  }
}

function exposedNames(level: Level): Set<string> {
  const names = new Set<string>();
  for (let current: Level | undefined = level; current; current = current.parent) for (const item of current.items) names.add(item.exposed);
  return names;
}

function countNamed(items: Item[], name: string): number {
  return items.reduce((count, item) => count + item.columns.filter((column) => column.name === name).length, 0);
}

/** A column a query can name: its item has no other column of that name (RETURNING a, a). */
function isNameable(item: Item, column: OutputColumn): boolean {
  return item.columns.filter((other) => other.name === column.name).length === 1;
}

function exposes(item: Item, name: string): boolean {
  return item.columns.some((column) => column.name === name);
}


