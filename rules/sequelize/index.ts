import { ts } from 'ts-morph';
import type { Rule, RuleMatch } from '../../src/rules/types.js';
import { callChain, isChainTop, objectProperty, unwrap } from '../../src/rules/helpers.js';
import { associationCall, defineCall, initCall, tableClass } from './models.js';
import { configFileLedgers, configuredLedgers } from './ledger.js';
import { counters, finder, values, where } from './queries.js';
import { modelName, Refs } from './refs.js';

/**
 * sequelize: `Model.init(attributes, options)`, `sequelize.define(name, attributes, options)`,
 * associations' foreign keys and sequelize-typescript `@Table`/`@Column` classes map models to
 * tables (`tableName`, `freezeTableName`, else the pluralised name, underscored when asked) and
 * attributes to columns (`field`, else the attribute name in camel or snake case); they are
 * declarations, never uses. Uses are model statics (`findAll({ attributes, where, order,
 * include })`, `findByPk`, `count`, `create`, `bulkCreate`, `update`, `destroy`, `increment`,
 * ...) and instance writes (`user.update`, `user.save`). Finders without `attributes` (or with
 * `exclude`) are wildcards. `create`/`update` also write the default `createdAt`/`updatedAt`.
 * `sequelize.query(sql, { replacements })` goes to the core with its `?`/`:name` replacements as
 * bound values; `sequelize.literal(sql)` is handed to it as a fragment. A migration ledger the app
 * renames (sequelize-cli's `migrationStorageTableName` in its config file, umzug's `tableName`) is
 * the tool's own: library-owned (ledger.ts).
 */
const rule: Rule = {
  name: 'sequelize',
  enablers: ['sequelize', 'sequelize-typescript'],
  callShape: /\bsequelize\.define\(\s*['"`]|\bDataTypes\.(?:STRING|INTEGER|BOOLEAN|DATE|JSONB|UUID)\b/,
  meta: {
    docs: 'https://sequelize.org/docs/v6/core-concepts/model-querying-basics/',
    upstream: 'https://github.com/sequelize/sequelize',
    sees: 'Model.init/define attributes and field mapping, findAll attributes/where/order/include, create/update/destroy, sequelize.query with replacements; the sequelize-cli/umzug ledger under a configured `migrationStorageTableName`/`tableName`',
    defaultConfidence: 'high',
  },
  projectFiles: {
    // sequelize-cli's config file: config/config.json by default, elsewhere when .sequelizerc says so.
    patterns: ['**/config/*.json', '**/database.json', '**/db/*.json'],
    scan: configFileLedgers,
  },
  visitors: {
    SourceFile: (_node, ctx) => configuredLedgers(ctx),
    ClassDeclaration: (node, ctx) => tableClass(node, ctx),
    // Chains are read once, from their last call (`User.findAll().then(...)` → `findAll`).
    CallExpression(node, ctx) {
      const raw = rawQuery(node);
      if (raw !== undefined) return raw;
      if (!isChainTop(node)) return undefined;
      const chain = callChain(node);
      const link = chain.links[0];
      if (link?.method === undefined) return undefined;
      const call = link.call;
      if (link.method === 'init') return withCovers(initCall(call, ctx), node);
      if (link.method === 'define') return withCovers(defineCall(call, ctx), node);
      const association = associationCall(call, ctx);
      if (association !== undefined) return withCovers(association, node);
      const instance = INSTANCE_METHODS.has(link.method);
      const model = modelName(chain.root, instance);
      // A lower-case receiver (`user.update({...})`) is only taken for an instance method.
      if (model === undefined || (!STATIC_METHODS.has(link.method) && !instance)) return undefined;
      const refs = new Refs(ctx);
      refs.guessed = !/^[A-Z]/.test(model) && ts.isIdentifier(unwrap(chain.root));
      modelCall(refs, model, link.method, call);
      return refs.guessed ? { refs: refs.refs, sql: refs.sql } : { refs: refs.refs, sql: refs.sql, covers: node };
    },
  },
};

export default rule;

/** `sequelize.query(sql, options)`: raw SQL whose `?` and `:name` are replacements, not Postgres syntax. */
function rawQuery(call: ts.CallExpression): RuleMatch | undefined {
  const callee = unwrap(call.expression);
  const [text, options] = call.arguments;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'query' || text === undefined) return undefined;
  const receiver = unwrap(callee.expression);
  const receiverName = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : '';
  const hasQueryOptions = objectProperty(options, 'replacements') !== undefined || objectProperty(options, 'type') !== undefined;
  if (!/sequelize/i.test(receiverName) && !hasQueryOptions) return undefined;
  return { sql: [{ expression: text, fragment: false, bindings: 'question-and-named' }] };
}

const FINDERS = new Set(['findAll', 'findOne', 'findAndCountAll']);
const AGGREGATES = new Set(['max', 'min', 'sum', 'aggregate']);
const STATIC_METHODS = new Set([
  ...FINDERS, ...AGGREGATES, 'findByPk', 'count', 'findOrCreate', 'findOrBuild', 'findCreateFind', 'create', 'build',
  'bulkCreate', 'upsert', 'update', 'destroy', 'restore', 'increment', 'decrement', 'truncate',
]);
const INSTANCE_METHODS = new Set(['update', 'save', 'destroy', 'restore', 'increment', 'decrement', 'reload', 'set']);

function withCovers(match: RuleMatch | undefined, node: ts.Node): RuleMatch | undefined {
  return match === undefined ? undefined : { ...match, covers: node };
}

/** One model or instance call. */
function modelCall(refs: Refs, model: string, method: string, call: ts.CallExpression): void {
  const callee = unwrap(call.expression);
  const site = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
  const [first, second] = call.arguments;
  // Sequelize sets the default timestamp attributes on every insert and update.
  const stamp = (...names: string[]): void => {
    for (const name of names) refs.column(model, name, 'write', site);
  };
  if (FINDERS.has(method)) return finder(refs, model, first, site, true);
  if (AGGREGATES.has(method)) {
    finder(refs, model, method === 'aggregate' ? call.arguments[2] : second, site, false);
    return counterRead(refs, model, first);
  }
  switch (method) {
    case 'findByPk':
      return finder(refs, model, second, site, true);
    case 'count':
      return finder(refs, model, first, site, false);
    case 'findOrCreate':
    case 'findOrBuild':
    case 'findCreateFind':
      finder(refs, model, first, site, true);
      values(refs, model, objectProperty(first, 'defaults', refs.ctx));
      // The found-or-created row is built from `where` and `defaults` together.
      values(refs, model, objectProperty(first, 'where', refs.ctx));
      stamp('createdAt', 'updatedAt');
      return refs.relation(model, 'write', site);
    case 'create':
    case 'bulkCreate':
    case 'upsert':
      values(refs, model, first);
      for (const name of listNames(objectProperty(second, 'updateOnDuplicate', refs.ctx))) refs.column(model, name.text, 'write', name);
      stamp('createdAt', 'updatedAt');
      return refs.relation(model, 'write', site);
    case 'build':
    case 'set':
      return values(refs, model, first);
    case 'update':
      values(refs, model, first);
      where(refs, model, objectProperty(second, 'where', refs.ctx));
      stamp('updatedAt');
      return refs.relation(model, 'write', site);
    case 'save':
    case 'restore':
      where(refs, model, objectProperty(first, 'where', refs.ctx));
      return refs.relation(model, 'write', site);
    case 'destroy':
    case 'truncate':
      where(refs, model, objectProperty(first, 'where', refs.ctx));
      return refs.relation(model, 'delete', site);
    case 'increment':
    case 'decrement':
      counters(refs, model, first);
      where(refs, model, objectProperty(second, 'where', refs.ctx));
      stamp('updatedAt');
      return refs.relation(model, 'write', site);
    case 'reload':
      return refs.wildcard(model, site);
    default:
      return;
  }
}

function listNames(expression: ts.Expression | undefined): ts.StringLiteral[] {
  const expr = expression === undefined ? undefined : unwrap(expression);
  if (expr === undefined || !ts.isArrayLiteralExpression(expr)) return [];
  return expr.elements.filter((element): element is ts.StringLiteral => ts.isStringLiteral(element));
}

/** `max('loginCount', { where })`: the aggregated attribute is read. */
function counterRead(refs: Refs, model: string, expression: ts.Expression | undefined): void {
  const expr = expression === undefined ? undefined : unwrap(expression);
  if (expr !== undefined && ts.isStringLiteralLike(expr)) refs.column(model, expr.text, 'read', expr);
}
