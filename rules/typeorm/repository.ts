import { ts } from 'ts-morph';
import { type ChainLink, stringValue, unwrap } from '../../src/rules/helpers.js';
import { conflictPaths, criteria, findOptions, values } from './options.js';
import type { Refs, Target } from './refs.js';

const FIND_OPTIONS = new Set(['find', 'findOne', 'findOneOrFail', 'findAndCount']);
const COUNT_OPTIONS = new Set(['count', 'exist', 'exists']);
const FIND_WHERE = new Set(['findBy', 'findOneBy', 'findOneByOrFail', 'findAndCountBy']);
const COUNT_WHERE = new Set(['countBy', 'existsBy']);
const AGGREGATES = new Set(['sum', 'average', 'minimum', 'maximum']);
/** Build entity objects that `save` persists: their keys are the values written. */
const BUILDERS = new Set(['create', 'merge', 'preload']);

/** Repository and EntityManager methods this rule reads (the manager takes the entity first). */
export const REPOSITORY_METHODS = new Set([
  ...FIND_OPTIONS, ...COUNT_OPTIONS, ...FIND_WHERE, ...COUNT_WHERE, ...AGGREGATES, ...BUILDERS,
  'findByIds', 'save', 'insert', 'upsert', 'update', 'delete', 'softDelete', 'restore', 'remove', 'softRemove',
  'recover', 'increment', 'decrement', 'clear',
]);

/**
 * One Repository/EntityManager/BaseEntity call on `entity`. Reads without `select` are wildcards;
 * `save`/`insert`/`update` write the keys of their object literals and, whatever they hold, the
 * table (a saved entity variable may carry any column, so no column is claimed for it).
 */
export function repositoryCall(refs: Refs, entity: Target, link: ChainLink, args: readonly ts.Expression[]): void {
  const method = link.method!;
  const callee = unwrap(link.call.expression);
  const site = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
  const [first, second] = args;
  if (FIND_OPTIONS.has(method)) return findOptions(refs, entity, first, true, site);
  if (COUNT_OPTIONS.has(method)) return findOptions(refs, entity, first, false, site);
  if (FIND_WHERE.has(method) || COUNT_WHERE.has(method)) {
    if (first !== undefined) criteria(refs, entity, first);
    if (FIND_WHERE.has(method)) refs.wildcard(entity, site);
    return;
  }
  if (AGGREGATES.has(method)) {
    const column = stringValue(first, refs.ctx);
    if (column !== undefined && first !== undefined) refs.column(entity, column, 'read', first);
    if (second !== undefined) criteria(refs, entity, second);
    return;
  }
  switch (method) {
    case 'findByIds':
      return refs.wildcard(entity, site);
    case 'create':
    case 'preload':
      return values(refs, entity, first);
    case 'merge':
      for (const arg of args.slice(1)) values(refs, entity, arg);
      return;
    case 'save':
    case 'insert':
      values(refs, entity, first);
      return refs.relation(entity, 'write', site);
    case 'upsert':
      values(refs, entity, first);
      conflictPaths(refs, entity, second);
      return refs.relation(entity, 'write', site);
    case 'update':
      if (first !== undefined) criteria(refs, entity, first);
      values(refs, entity, second);
      return refs.relation(entity, 'write', site);
    case 'delete':
    case 'clear':
      if (first !== undefined) criteria(refs, entity, first);
      return refs.relation(entity, 'delete', site);
    case 'remove':
      return refs.relation(entity, 'delete', site);
    case 'softDelete':
    case 'restore':
      if (first !== undefined) criteria(refs, entity, first);
      return refs.relation(entity, 'write', site);
    case 'softRemove':
    case 'recover':
      return refs.relation(entity, 'write', site);
    case 'increment':
    case 'decrement': {
      if (first !== undefined) criteria(refs, entity, first);
      // `SET "loginCount" = "loginCount" + 1`: the old value only feeds the new one, which no one
      // reads here; like the same SQL written by hand, that is a write (docs/verdicts.md).
      const column = stringValue(second, refs.ctx);
      if (column !== undefined && second !== undefined) refs.column(entity, column, 'write', second);
      return refs.relation(entity, 'write', site);
    }
    default:
      return;
  }
}
