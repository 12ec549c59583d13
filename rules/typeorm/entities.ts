import { ts } from 'ts-morph';
import { decoratorsOf, objectEntries, objectProperty, propertyNameText, resolveObject, stringValue, textStartOf, unwrap } from '../../src/rules/helpers.js';
import type { RuleFileContext, RuleMatch, RuleRef } from '../../src/rules/types.js';
import { foreignKeyOf } from './refs.js';
import { pluralize, toSnake } from '../../src/names/case.js';

/** Decorators that map one property to one column of the entity's table. */
const COLUMN_DECORATORS = new Set([
  'Column',
  'PrimaryColumn',
  'PrimaryGeneratedColumn',
  'CreateDateColumn',
  'UpdateDateColumn',
  'DeleteDateColumn',
  'VersionColumn',
  'ViewColumn',
]);
/** Relations whose owning side holds the foreign-key column. */
const OWNING_RELATIONS = new Set(['ManyToOne', 'OneToOne']);

/**
 * Tables an entity without an explicit name may map to: DefaultNamingStrategy and
 * SnakeNamingStrategy give `snakeCase(ClassName)` (`UserAccount` → `user_account`, the same
 * split as toSnake: TypeORM's StringUtils breaks before an upper-case letter that follows a
 * lower-case letter or digit, and inside an acronym before its last letter); custom strategies
 * commonly pluralise it, with a pluralise package (`person` → `people`) or a plain `s`.
 */
export function defaultTables(className: string): string[] {
  const snake = toSnake(className);
  return [...new Set([snake, pluralize(snake), `${snake}s`])];
}

/** `@Entity()` / `@ViewEntity()` classes: the table and the column of every mapped property. */
export function entityClass(node: ts.ClassDeclaration, ctx: RuleFileContext): RuleMatch | undefined {
  const entity = decoratorsOf(node).find((d) => d.name === 'Entity' || d.name === 'ViewEntity');
  if (entity === undefined || node.name === undefined) return undefined;
  const model = node.name.text;
  const [first, second] = entity.args;
  const named = stringValue(first, ctx);
  const options = named === undefined ? first : second;
  const nameExpression = named === undefined ? objectProperty(options, 'name', ctx) : first;
  const table = named ?? stringValue(nameExpression, ctx);
  const schema = stringValue(objectProperty(options, 'schema', ctx), ctx);
  const position = table !== undefined && nameExpression !== undefined ? textStartOf(nameExpression, ctx) : node.name.getStart(ctx.sourceFile);
  const { members, open } = membersWithBases(node, ctx);
  const refs: RuleRef[] = [
    {
      kind: 'model',
      model,
      tables: table !== undefined ? [table] : defaultTables(model),
      ...(schema !== undefined ? { schema } : {}),
      // Columns of a base class in another file, or embedded under a prefix, are not listed here.
      ...(open || members.some(embedsColumns) ? { open: true } : {}),
      position,
    },
  ];
  for (const member of members) refs.push(...propertyFields(model, member, ctx));
  return { refs, covers: node };
}

/** `new EntitySchema({ name, tableName, columns: { prop: { name } }, relations })`. */
export function entitySchema(node: ts.NewExpression, ctx: RuleFileContext): RuleMatch | undefined {
  if (!ts.isIdentifier(node.expression) || node.expression.text !== 'EntitySchema') return undefined;
  const options = node.arguments?.[0];
  const nameExpression = objectProperty(options, 'name', ctx);
  const target = unwrap(objectProperty(options, 'target', ctx) ?? node.expression);
  const model = stringValue(nameExpression, ctx) ?? (ts.isIdentifier(target) && target !== node.expression ? target.text : undefined);
  if (model === undefined || nameExpression === undefined) return undefined;
  const tableExpression = objectProperty(options, 'tableName', ctx);
  const table = stringValue(tableExpression, ctx);
  const schema = stringValue(objectProperty(options, 'schema', ctx), ctx);
  const refs: RuleRef[] = [
    {
      kind: 'model',
      model,
      tables: table !== undefined ? [table] : defaultTables(model),
      ...(schema !== undefined ? { schema } : {}),
      position: textStartOf(tableExpression ?? nameExpression, ctx),
    },
  ];
  for (const { key, keyNode, value } of objectEntries(objectProperty(options, 'columns', ctx), ctx)) {
    const columnName = objectProperty(value, 'name', ctx);
    const column = stringValue(columnName, ctx);
    refs.push(field(model, key, column, column !== undefined && columnName !== undefined ? columnName : keyNode, ctx));
  }
  for (const { key, keyNode, value } of objectEntries(objectProperty(options, 'relations', ctx), ctx)) {
    const type = stringValue(objectProperty(value, 'type', ctx), ctx);
    if (type !== 'many-to-one' && type !== 'one-to-one') continue;
    const joinColumn = objectProperty(value, 'joinColumn', ctx);
    if (type === 'one-to-one' && joinColumn === undefined) continue;
    refs.push(...joinColumnFields(model, key, keyNode, joinColumn, ctx));
  }
  return { refs, covers: node };
}

/** TypeORM's own bases declare no columns. */
const COLUMNLESS_BASES = new Set(['BaseEntity']);

/**
 * The class's own members, then those of same-file base classes (abstract bases with shared
 * columns); `open` when a base lives elsewhere, so its columns are not among them.
 */
function membersWithBases(node: ts.ClassDeclaration, ctx: RuleFileContext): { members: ts.ClassElement[]; open: boolean } {
  const members: ts.ClassElement[] = [];
  const seen = new Set<ts.ClassDeclaration>();
  let current: ts.ClassDeclaration | undefined = node;
  let open = false;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    members.push(...current.members);
    const base: ts.Expression | undefined = current.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    current = base !== undefined && ts.isIdentifier(base) ? sameFileClass(base.text, ctx) : undefined;
    if (base !== undefined && current === undefined && !(ts.isIdentifier(base) && COLUMNLESS_BASES.has(base.text))) open = true;
  }
  return { members, open };
}

/** `@Column(() => Address) address`: the embedded class's columns, under a prefix. */
function embedsColumns(member: ts.ClassElement): boolean {
  if (!ts.isPropertyDeclaration(member)) return false;
  return decoratorsOf(member).some((d) => d.name === 'Column' && d.args.some((arg) => ts.isArrowFunction(unwrap(arg)) || ts.isFunctionExpression(unwrap(arg))));
}

function sameFileClass(name: string, ctx: RuleFileContext): ts.ClassDeclaration | undefined {
  for (const statement of ctx.sourceFile.statements) {
    if (ts.isClassDeclaration(statement) && statement.name?.text === name) return statement;
  }
  return undefined;
}

function propertyFields(model: string, member: ts.ClassElement, ctx: RuleFileContext): RuleRef[] {
  if (!ts.isPropertyDeclaration(member)) return [];
  const property = propertyNameText(member.name);
  if (property === undefined) return [];
  const decorators = decoratorsOf(member);
  const out: RuleRef[] = [];
  for (const decorator of decorators) {
    if (!COLUMN_DECORATORS.has(decorator.name)) continue;
    // `@Column(() => Address)` embeds another class's columns under a prefix: not one column.
    if (decorator.args.some((arg) => ts.isArrowFunction(unwrap(arg)) || ts.isFunctionExpression(unwrap(arg)))) continue;
    // `@Column('text', { name })`, `@Column({ name })`, `@PrimaryGeneratedColumn('uuid', { name })`.
    const options = decorator.args.find((arg) => resolveObject(arg, ctx) !== undefined);
    const columnName = objectProperty(options, 'name', ctx);
    const column = stringValue(columnName, ctx);
    out.push(field(model, property, column, column !== undefined && columnName !== undefined ? columnName : member.name, ctx));
  }
  if (decorators.some((d) => OWNING_RELATIONS.has(d.name))) {
    const joinColumn = decorators.find((d) => d.name === 'JoinColumn' || d.name === 'JoinColumns');
    // A one-to-one without @JoinColumn is the inverse side: the column lives on the other table.
    if (joinColumn !== undefined || decorators.some((d) => d.name === 'ManyToOne')) {
      out.push(...joinColumnFields(model, property, member.name, joinColumn?.args[0], ctx));
    }
  }
  return out;
}

/**
 * The foreign-key column of an owning relation: `@JoinColumn({ name })` names it; otherwise the
 * naming strategy derives `<property><ReferencedColumn>` (`authorId`, or `author_id` under
 * SnakeNamingStrategy, both of which the core tries).
 */
function joinColumnFields(model: string, property: string, propertyNode: ts.Node, options: ts.Expression | undefined, ctx: RuleFileContext): RuleRef[] {
  const out: RuleRef[] = [];
  const list = options !== undefined && ts.isArrayLiteralExpression(unwrap(options)) ? (unwrap(options) as ts.ArrayLiteralExpression).elements : options !== undefined ? [options] : [];
  if (list.length === 0) return [field(model, foreignKeyOf(property), undefined, propertyNode, ctx)];
  list.forEach((element, index) => {
    const nameExpression = objectProperty(element as ts.Expression, 'name', ctx);
    const name = stringValue(nameExpression, ctx);
    const referenced = stringValue(objectProperty(element as ts.Expression, 'referencedColumnName', ctx), ctx);
    if (name !== undefined && nameExpression !== undefined) {
      // The relation property itself stands for its (first) join column in `where: { author }`.
      out.push(field(model, index === 0 ? property : name, name, nameExpression, ctx));
    } else {
      out.push(field(model, foreignKeyOf(property, referenced), undefined, propertyNode, ctx));
    }
  });
  return out;
}

function field(model: string, name: string, column: string | undefined, node: ts.Node, ctx: RuleFileContext): RuleRef {
  const position = textStartOf(node, ctx);
  return column === undefined ? { kind: 'field', model, field: name, position } : { kind: 'field', model, field: name, column, position };
}

