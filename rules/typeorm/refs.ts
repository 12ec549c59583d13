import { ts } from 'ts-morph';
import { textStartOf, unwrap } from '../../src/rules/helpers.js';
import type { RelationRef, RuleFileContext, RuleRef, UseRole } from '../../src/rules/types.js';

export type Role = UseRole;
/** The relation a name belongs to: one entity, or the candidates a relation property may join. */
export type Target = RelationRef[];

/** References one visited node produces, positioned where the name is written. */
export class Refs {
  readonly refs: RuleRef[] = [];
  /**
   * The entity was only guessed from a variable name (`userRepository`): the call's strings and
   * keys then stay plain name matches too, in case the guess resolves to nothing.
   */
  guessed = false;
  constructor(readonly ctx: RuleFileContext) {}

  /** Offset of a node's name: after the quote of a string, else its first character. */
  at(node: ts.Node): number {
    return textStartOf(node, this.ctx);
  }

  use(relations: RelationRef[], name: string | undefined, role: Role, position: number): void {
    if (relations.length === 0) return;
    this.refs.push(name === undefined ? { kind: 'use', relations, role, position } : { kind: 'use', relations, name, role, position });
  }

  /** A column of one of `target`'s candidate relations (the core marks it ambiguous when several have it). */
  column(target: Target, name: string, role: Role, node: ts.Node): void {
    this.use(target, name, role, this.at(node));
  }

  /** The relation itself (a write of an entity variable, a delete). */
  relation(target: Target, role: Role, node: ts.Node): void {
    for (const relation of target) this.use([relation], undefined, role, this.at(node));
  }

  wildcard(target: Target, node: ts.Node): void {
    for (const relation of target) this.refs.push({ kind: 'wildcard', relation, position: this.at(node) });
  }
}

/** `authorId` for relation `author` (TypeORM's and Sequelize's default join-column name). */
export const foreignKeyOf = (property: string, referenced = 'id'): string => `${property}${referenced.charAt(0).toUpperCase()}${referenced.slice(1)}`;

/**
 * The entities a relation property may join: `posts` → `post`, `homeRegion` → `homeRegion` or
 * `region` (properties usually name the target entity, often after a qualifier).
 */
export function relationTarget(property: string): Target {
  const whole = singular(property);
  const words = whole.split(/(?=[A-Z])/);
  const last = words.length > 1 ? words[words.length - 1]! : undefined;
  const names = last === undefined ? [whole] : [whole, `${last.charAt(0).toLowerCase()}${last.slice(1)}`];
  return names.map((model) => ({ model }));
}

/** `posts` → `post`: relation properties name their target entity, usually in the plural for collections. */
export function singular(word: string): string {
  if (/[^aeiou]ies$/i.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/i.test(word)) return word;
  if (/(x|ch|sh|ss)es$/i.test(word)) return word.slice(0, -2);
  if (/s$/i.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * A value that may hold an entity (`{ author: user }`), whose primary key TypeORM writes into the
 * relation's join column; literals and calls (`In([...])`, `new Date()`) are plain column values.
 */
export function mayBeEntity(expression: ts.Expression): boolean {
  const expr = unwrap(expression);
  if (ts.isIdentifier(expr)) return expr.text !== 'undefined';
  return ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr);
}
