import { ts } from 'ts-morph';
import type { Rule } from '../../src/rules/types.js';
import { type CallChain, callChain, isChainTop, unwrap } from '../../src/rules/helpers.js';
import { entityClass, entitySchema } from './entities.js';
import { configuredLedgers, ormconfigLedgers } from './ledger.js';
import { BUILDER_METHODS, builderPrelude, builderStartOf, queryBuilder } from './query-builder.js';
import { activeRecordEntity, entityName, REPOSITORY_GETTERS, repositoryEntity } from './receivers.js';
import { Refs } from './refs.js';
import { REPOSITORY_METHODS, repositoryCall } from './repository.js';

/**
 * typeorm: `@Entity`/`@ViewEntity` classes and `new EntitySchema` map entities to tables and
 * properties to columns (`@Column({ name })`, `@JoinColumn({ name })`, the naming strategy's
 * defaults otherwise); they are declarations, never uses. Uses are Repository, EntityManager
 * and BaseEntity calls (`find({ select, where, order, relations })`, `findOneBy`, `save`,
 * `insert`, `update`, `delete`, `increment`, ...) on repositories found through
 * `getRepository(User)`, `@InjectRepository(User)`, `Repository<User>` types or the entity as
 * first argument, and query builders (`createQueryBuilder('u')` with `alias.property` tokens in
 * select/where/orderBy strings, joins, `insert().into()`, `update().set()`, `delete().from()`).
 * Reads without `select` are wildcards. Raw `.query(sql)` is left to the core's SQL detection.
 * A migrations ledger or metadata table the app renames (`migrationsTableName`, `metadataTableName`
 * in the data source options or an ormconfig.json) is the library's own: library-owned (ledger.ts).
 */
const rule: Rule = {
  name: 'typeorm',
  enablers: ['typeorm', '@nestjs/typeorm'],
  callShape: /@Entity\(|\.getRepository\(\s*\w/,
  meta: {
    docs: 'https://typeorm.io/docs/working-with-entity-manager/find-options/',
    upstream: 'https://github.com/typeorm/typeorm',
    sees: '@Entity/@Column/@JoinColumn declarations, repository/manager find/save/update/delete, query builder aliases; the migrations ledger and metadata table under a configured `migrationsTableName`/`metadataTableName`',
    defaultConfidence: 'high',
  },
  projectFiles: {
    patterns: ['**/ormconfig.json'],
    scan: ormconfigLedgers,
  },
  visitors: {
    SourceFile: (_node, ctx) => configuredLedgers(ctx),
    ClassDeclaration: (node, ctx) => entityClass(node, ctx),
    NewExpression: (node, ctx) => entitySchema(node, ctx),
    // Chains are read once, from their last call.
    CallExpression(node, ctx) {
      if (!isChainTop(node)) return undefined;
      const refs = new Refs(ctx);
      if (!interpret(callChain(node), refs)) return undefined;
      return refs.guessed ? { refs: refs.refs } : { refs: refs.refs, covers: node };
    },
  },
};

export default rule;

/** A class passed as the entity of an EntityManager call (`manager.find(User, {...})`). */
function entityClassArg(expression: ts.Expression | undefined): string | undefined {
  if (expression === undefined) return undefined;
  const expr = unwrap(expression);
  if (!ts.isIdentifier(expr) && !ts.isPropertyAccessExpression(expr)) return undefined;
  return activeRecordEntity(ts.isIdentifier(expr) ? expr : expr.name);
}

/** True when the chain was a TypeORM call this rule understood. */
function interpret(chain: CallChain, refs: Refs): boolean {
  const { root, links } = chain;
  const ctx = refs.ctx;
  let repository: string | undefined;
  let resolved = false;
  const current = (index: number): string | undefined => {
    if (index > 0 || resolved) return repository;
    resolved = true;
    repository = repositoryEntity(root, ctx, 0, refs) ?? activeRecordEntity(root);
    return repository;
  };
  // A builder kept in a variable: `qb.andWhere(...)`, `await qb.getMany()`.
  const prelude = builderPrelude(root, refs, (start, before) => (before.length > 0 ? undefined : repositoryEntity(start, ctx, 0, refs) ?? activeRecordEntity(start)));
  if (prelude !== undefined && links[0]?.method !== undefined && BUILDER_METHODS.has(links[0].method)) {
    return queryBuilder(refs, prelude.start, links, prelude.links);
  }

  for (let index = 0; index < links.length; index++) {
    const link = links[index]!;
    const method = link.method;
    if (method === undefined) {
      // The 0.2 global `getRepository(User)`.
      if (index !== 0 || !ts.isIdentifier(root) || !REPOSITORY_GETTERS.has(root.text)) return false;
      repository = entityName(link.args[0], ctx);
      resolved = true;
      continue;
    }
    if (REPOSITORY_GETTERS.has(method)) {
      repository = entityName(link.args[0], ctx);
      resolved = true;
      continue;
    }
    if (method === 'extend') {
      current(index);
      continue;
    }
    if (method === 'createQueryBuilder') {
      const named = entityClassArg(link.args[0]);
      const start = builderStartOf(refs, link, named === undefined ? current(index) : undefined);
      return queryBuilder(refs, start, links.slice(index + 1));
    }
    if (!REPOSITORY_METHODS.has(method)) return false;
    // Repository methods never take callbacks: `list.find((x) => ...)` is an array.
    if (link.args.some((arg) => ts.isArrowFunction(unwrap(arg)) || ts.isFunctionExpression(unwrap(arg)))) return false;
    const managed = entityClassArg(link.args[0]);
    if (managed !== undefined && current(index) === undefined) {
      repositoryCall(refs, [{ model: managed }], link, link.args.slice(1));
      return true;
    }
    const entity = current(index);
    if (entity === undefined) return false;
    repositoryCall(refs, [{ model: entity }], link, link.args);
    return true;
  }
  return false;
}
