import { ts } from 'ts-morph';
import { accessPath, textStartOf, unwrap } from '../../src/rules/helpers.js';
import type { RelationRef, RuleFileContext, RuleRef, RuleSqlSite, UseRole } from '../../src/rules/types.js';

export type Role = UseRole;

/** References one visited node produces, positioned where the name is written. */
export class Refs {
  readonly refs: RuleRef[] = [];
  /** `sequelize.literal('...')` fragments, parsed by the core. */
  readonly sql: RuleSqlSite[] = [];
  /** The model was guessed from an instance variable's name: strings and keys stay name matches too. */
  guessed = false;
  constructor(readonly ctx: RuleFileContext) {}

  /** Offset of a node's name: after the quote of a string, else its first character. */
  at(node: ts.Node): number {
    return textStartOf(node, this.ctx);
  }

  column(model: string, name: string, role: Role, node: ts.Node): void {
    this.refs.push({ kind: 'use', relations: [{ model }], name, role, position: this.at(node) });
  }

  relation(model: string, role: Role, node: ts.Node): void {
    this.refs.push({ kind: 'use', relations: [{ model }], role, position: this.at(node) });
  }

  wildcard(model: string, node: ts.Node): void {
    this.refs.push({ kind: 'wildcard', relation: { model } satisfies RelationRef, position: this.at(node) });
  }
}

/** Globals whose statics share names with Model's (`Object.create`, `Promise.all`). */
const NOT_MODELS = new Set([
  'Object', 'Array', 'Promise', 'JSON', 'Math', 'Reflect', 'Date', 'Number', 'String', 'Symbol', 'Map', 'Set',
  'WeakMap', 'Buffer', 'Intl', 'BigInt', 'Boolean', 'Error', 'RegExp', 'Proxy', 'URL', 'Sequelize', 'Model',
  'DataTypes', 'DataType', 'Op', 'QueryTypes', 'Transaction',
]);

/**
 * The model a receiver names: `User`, `db.User`, `models.User`, `sequelize.models.user`, or a
 * `const user = sequelize.define(...)` name. Model names are matched by the core with a
 * lower-case first letter, so an instance variable `user` also finds model `User`.
 */
export function modelName(expression: ts.Expression | undefined, allowInstance: boolean): string | undefined {
  if (expression === undefined) return undefined;
  const path = accessPath(unwrap(expression));
  if (path === undefined) return undefined;
  const last = path[path.length - 1]!;
  if (NOT_MODELS.has(last) || last === 'this') return undefined;
  if (/^[A-Z]/.test(last)) return last;
  if (path.length > 1 && path[path.length - 2] === 'models') return last;
  return allowInstance && path.length === 1 && /^[a-z][A-Za-z0-9]*$/.test(last) ? last : undefined;
}

/**
 * Sequelize's `Utils.pluralize` is `inflection.pluralize` and `Utils.underscoredIf` is
 * `inflection.underscore`: the same package, so table names come out exactly as Sequelize makes
 * them (`Quiz` → `Quizzes`, `UserAccounts` → `user_accounts`, `SSOConfig` → `s_s_o_config`).
 */
export { pluralize } from '../../src/names/case.js';
export { underscore } from 'inflection';
