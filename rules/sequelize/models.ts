import { ts } from 'ts-morph';
import { decoratorsOf, objectEntries, objectProperty, propertyNameText, resolveObject, stringValue, textStartOf, unwrap } from '../../src/rules/helpers.js';
import type { RuleFileContext, RuleMatch, RuleRef } from '../../src/rules/types.js';
import { modelName, pluralize, underscore } from './refs.js';

/** Association methods: where the foreign key lives and how Sequelize names it by default. */
const ASSOCIATIONS = new Set(['belongsTo', 'hasOne', 'hasMany']);
const TIMESTAMPS = ['createdAt', 'updatedAt'] as const;

interface ModelOptions {
  tableName?: string;
  tableNode?: ts.Node;
  schema?: string;
  freezeTableName: boolean;
  underscored: boolean;
  timestamps: boolean;
  paranoid: boolean;
  modelName?: string;
  /** Renamed or disabled timestamp attributes (`createdAt: 'created_on'`, `updatedAt: false`). */
  renamed: Map<string, string | false>;
  /** Where the timestamp fields point: the `timestamps` key, else the model name. */
  timestampsNode?: ts.Node;
}

function readOptions(expression: ts.Expression | undefined, ctx: RuleFileContext): ModelOptions {
  const flag = (key: string, fallback: boolean): boolean => {
    const value = objectProperty(expression, key, ctx);
    if (value === undefined) return fallback;
    const expr = unwrap(value);
    return expr.kind === ts.SyntaxKind.TrueKeyword ? true : expr.kind === ts.SyntaxKind.FalseKeyword ? false : fallback;
  };
  const tableNode = objectProperty(expression, 'tableName', ctx);
  const tableName = stringValue(tableNode, ctx);
  const schema = stringValue(objectProperty(expression, 'schema', ctx), ctx);
  const name = stringValue(objectProperty(expression, 'modelName', ctx), ctx);
  const renamed = new Map<string, string | false>();
  for (const key of [...TIMESTAMPS, 'deletedAt']) {
    const value = objectProperty(expression, key, ctx);
    if (value === undefined) continue;
    if (unwrap(value).kind === ts.SyntaxKind.FalseKeyword) renamed.set(key, false);
    const text = stringValue(value, ctx);
    if (text !== undefined) renamed.set(key, text);
  }
  const timestampsKey = objectEntries(expression, ctx).find((entry) => entry.key === 'timestamps')?.keyNode;
  return {
    ...(tableName !== undefined && tableNode !== undefined ? { tableName, tableNode } : {}),
    ...(schema !== undefined ? { schema } : {}),
    ...(name !== undefined ? { modelName: name } : {}),
    ...(timestampsKey !== undefined ? { timestampsNode: timestampsKey } : {}),
    freezeTableName: flag('freezeTableName', false),
    underscored: flag('underscored', false),
    timestamps: flag('timestamps', true),
    paranoid: flag('paranoid', false),
    renamed,
  };
}

/**
 * Tables a model may map to. Sequelize v6 (model.js): `tableName`, else the model name when
 * `freezeTableName`, else `underscoredIf(pluralize(name), underscored)` (`User` → `Users`,
 * `UserAccount` → `user_accounts` when underscored). The global `define` options of
 * `new Sequelize(...)` may set either flag, so the other spellings follow as candidates.
 */
export function modelTables(name: string, options: ModelOptions): string[] {
  if (options.tableName !== undefined) return [options.tableName];
  const plural = pluralize(name);
  const ordered = options.freezeTableName
    ? [name, underscore(name), plural, underscore(plural)]
    : options.underscored
      ? [underscore(plural), plural, name, underscore(name)]
      : [plural, underscore(plural), name, underscore(name)];
  return [...new Set(ordered)];
}

/** Attributes of `init`/`define`: `{ loyaltyTier: DataTypes.STRING, notes: { type, field: 'shipping_notes' } }`. */
function attributeFields(models: string[], attributes: ts.Expression | undefined, ctx: RuleFileContext): RuleRef[] {
  const out: RuleRef[] = [];
  for (const { key, keyNode, value } of objectEntries(attributes, ctx)) {
    // A VIRTUAL attribute has no column.
    if (/\bVIRTUAL\b/.test(value.getText(ctx.sourceFile))) continue;
    const fieldNode = objectProperty(value, 'field', ctx);
    const column = stringValue(fieldNode, ctx);
    const node = column !== undefined && fieldNode !== undefined ? fieldNode : keyNode;
    for (const model of models) out.push(field(model, key, column, node, ctx));
  }
  return out;
}

/** The implicit timestamp attributes (`timestamps` defaults to true; `paranoid` adds `deletedAt`). */
function timestampFields(models: string[], options: ModelOptions, fallback: ts.Node, ctx: RuleFileContext): RuleRef[] {
  if (!options.timestamps) return [];
  const keys: string[] = [...TIMESTAMPS, ...(options.paranoid ? ['deletedAt'] : [])];
  const out: RuleRef[] = [];
  for (const key of keys) {
    const renamed = options.renamed.get(key);
    if (renamed === false) continue;
    for (const model of models) out.push(field(model, renamed ?? key, undefined, options.timestampsNode ?? fallback, ctx));
  }
  return out;
}

/**
 * Sequelize adds an `id` primary key to a model that declares none, so `id` is a field of the
 * model even though no attribute names it.
 */
function implicitId(models: string[], declared: ts.Node | undefined, fallback: ts.Node, ctx: RuleFileContext): RuleRef[] {
  if (declared !== undefined && /\bprimaryKey\s*:\s*true\b|@PrimaryKey\b/.test(declared.getText(ctx.sourceFile))) return [];
  return models.map((model) => field(model, 'id', undefined, fallback, ctx));
}

/**
 * `open` when the attributes spread an object from elsewhere (`...commonAttributes`): the
 * model's field list is then incomplete.
 */
function declaration(models: string[], tableBase: string, options: ModelOptions, nameNode: ts.Node, ctx: RuleFileContext, attributes?: ts.ObjectLiteralExpression): RuleRef[] {
  const tables = modelTables(tableBase, options);
  const position = textStartOf(options.tableNode ?? nameNode, ctx);
  const open = attributes !== undefined && attributes.properties.some(ts.isSpreadAssignment);
  return models.map((model) => ({ kind: 'model', model, tables, ...(options.schema !== undefined ? { schema: options.schema } : {}), ...(open ? { open } : {}), position }));
}

/** `class User extends Model {}` + `User.init(attributes, { sequelize, tableName, underscored })`. */
export function initCall(node: ts.CallExpression, ctx: RuleFileContext): RuleMatch | undefined {
  const callee = unwrap(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'init' || node.arguments.length < 2) return undefined;
  const [attributes, optionsArg] = node.arguments;
  if (resolveObject(attributes!, ctx) === undefined || objectProperty(optionsArg, 'sequelize', ctx) === undefined) return undefined;
  const className = modelName(callee.expression, false);
  if (className === undefined) return undefined;
  const options = readOptions(optionsArg, ctx);
  const models = [...new Set([className, ...(options.modelName !== undefined ? [options.modelName] : [])])];
  return {
    refs: [
      ...declaration(models, options.modelName ?? className, options, callee.expression, ctx, resolveObject(attributes!, ctx)),
      ...attributeFields(models, attributes, ctx),
      ...implicitId(models, resolveObject(attributes!, ctx), callee.expression, ctx),
      ...timestampFields(models, options, callee.expression, ctx),
    ],
    covers: node,
  };
}

/** `const User = sequelize.define('user', attributes, options)`: both names reach the model. */
export function defineCall(node: ts.CallExpression, ctx: RuleFileContext): RuleMatch | undefined {
  const callee = unwrap(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'define') return undefined;
  const [nameArg, attributes, optionsArg] = node.arguments;
  const name = stringValue(nameArg, ctx);
  if (name === undefined || nameArg === undefined || attributes === undefined || resolveObject(attributes, ctx) === undefined) return undefined;
  let parent: ts.Node = node.parent;
  while (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent)) parent = parent.parent;
  const constName = ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
  const models = [...new Set([name, ...(constName !== undefined ? [constName] : [])])];
  const options = readOptions(optionsArg, ctx);
  return {
    refs: [
      ...declaration(models, name, options, nameArg, ctx, resolveObject(attributes, ctx)),
      ...attributeFields(models, attributes, ctx),
      ...implicitId(models, resolveObject(attributes, ctx), nameArg, ctx),
      ...timestampFields(models, options, nameArg, ctx),
    ],
    covers: node,
  };
}

/**
 * `Post.belongsTo(User, { foreignKey, as })` puts the key on Post; `User.hasMany(Post)` and
 * `hasOne` put it on Post. Default key: `camelize(<as or singular model name>_<primary key>)`,
 * `UserId` (the core also tries `user_id`, as `underscored` gives).
 */
export function associationCall(node: ts.CallExpression, ctx: RuleFileContext): RuleMatch | undefined {
  const callee = unwrap(node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (!ASSOCIATIONS.has(method) && method !== 'belongsToMany') return undefined;
  const source = modelName(callee.expression, false);
  const target = modelName(node.arguments[0], false);
  if (source === undefined || target === undefined) return undefined;
  if (method === 'belongsToMany') return { covers: node };
  const options = node.arguments[1];
  const foreignKey = objectProperty(options, 'foreignKey', ctx);
  const as = stringValue(objectProperty(options, 'as', ctx), ctx);
  const owner = method === 'belongsTo' ? source : target;
  const keyName = stringValue(foreignKey, ctx) ?? stringValue(objectProperty(foreignKey, 'name', ctx), ctx);
  const fieldNode = objectProperty(foreignKey, 'field', ctx);
  const column = stringValue(fieldNode, ctx);
  const defaultKey = `${method === 'belongsTo' ? (as ?? target) : source}Id`;
  const position = column !== undefined && fieldNode !== undefined ? fieldNode : foreignKey ?? callee.name;
  return { refs: [field(owner, keyName ?? defaultKey, column, position, ctx)], covers: node };
}

/** sequelize-typescript: `@Table({ tableName }) class User extends Model { @Column({ field }) x }`. */
export function tableClass(node: ts.ClassDeclaration, ctx: RuleFileContext): RuleMatch | undefined {
  const table = decoratorsOf(node).find((d) => d.name === 'Table');
  if (table === undefined || node.name === undefined) {
    // `class User extends Model { declare loyaltyTier: string }`: typings of the attributes `init` declares.
    const base = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    return base !== undefined && ts.isIdentifier(base) && base.text === 'Model' ? { covers: node } : undefined;
  }
  const className = node.name.text;
  const options = readOptions(table.args[0], ctx);
  const models = [...new Set([className, ...(options.modelName !== undefined ? [options.modelName] : [])])];
  const refs: RuleRef[] = [...declaration(models, options.modelName ?? className, options, node.name, ctx)];
  let timestampsDeclared = false;
  for (const member of node.members) {
    if (!ts.isPropertyDeclaration(member)) continue;
    const property = propertyNameText(member.name);
    if (property === undefined) continue;
    const decorators = decoratorsOf(member);
    const names = new Set(decorators.map((d) => d.name));
    if (names.has('CreatedAt') || names.has('UpdatedAt') || names.has('DeletedAt')) timestampsDeclared = true;
    const column = decorators.find((d) => d.name === 'Column');
    if (column === undefined && !names.has('CreatedAt') && !names.has('UpdatedAt') && !names.has('DeletedAt')) continue;
    const fieldNode = objectProperty(column?.args[0], 'field', ctx);
    const columnName = stringValue(fieldNode, ctx);
    if (column !== undefined && /\bVIRTUAL\b/.test(column.node.getText(ctx.sourceFile))) continue;
    for (const model of models) refs.push(field(model, property, columnName, columnName !== undefined && fieldNode !== undefined ? fieldNode : member.name, ctx));
  }
  if (!timestampsDeclared) refs.push(...timestampFields(models, options, node.name, ctx));
  refs.push(...implicitId(models, node, node.name, ctx));
  return { refs, covers: node };
}

function field(model: string, name: string, column: string | undefined, node: ts.Node, ctx: RuleFileContext): RuleRef {
  const position = textStartOf(node, ctx);
  return column === undefined ? { kind: 'field', model, field: name, position } : { kind: 'field', model, field: name, column, position };
}

