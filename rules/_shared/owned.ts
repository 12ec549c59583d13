import type { RelationRef, RuleRef, UseRole } from '../../src/rules/types.js';

/**
 * One table a library reads and writes from node_modules, as a pack resolved it at the
 * configuring call: the relation (a table name, or a model this pack declares), the columns
 * the library names (spelled as the library spells them; the core maps camelCase to the
 * snake_case forms), and whether the library also reads every column (`SELECT *`, a Drizzle
 * `select()` of the table object, a Prisma `findUnique` without `select`).
 */
export interface OwnedTable {
  /** Several when the pack cannot tell which spelling the app chose (`User`, `user`). */
  relations: RelationRef[];
  columns: readonly string[];
  roles: readonly UseRole[];
  /** Every column may be read: a relation by table name gets a `*` read, a model its declared fields. */
  wildcard?: boolean;
}

/**
 * The references of a pack's owned tables at one call: `library-owned` uses of each relation
 * for each role, of each column for reads and writes, and wildcard reads where the library
 * selects whole rows. `owned` names the library in the evidence (`via`).
 */
export function ownedRefs(tables: readonly OwnedTable[], owned: string, position: number): RuleRef[] {
  const refs: RuleRef[] = [];
  for (const { relations, columns, roles, wildcard } of tables) {
    if (relations.length === 0) continue;
    for (const role of roles) {
      refs.push({ kind: 'use', relations, role, position, owned });
      if (role === 'delete') continue;
      for (const name of columns) refs.push({ kind: 'use', relations, name, role, position, owned });
    }
    if (wildcard === true) for (const relation of relations) refs.push({ kind: 'wildcard', relation, position });
  }
  return refs;
}

/** `auth.user_session` → schema and table; a bare name is left to the search path. */
export function qualifiedTable(name: string): RelationRef {
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) return { table: name };
  return { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}

export const READ_WRITE_DELETE: readonly UseRole[] = ['read', 'write', 'delete'];
export const READ_WRITE: readonly UseRole[] = ['read', 'write'];
export const READ: readonly UseRole[] = ['read'];
