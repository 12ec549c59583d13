import type { Catalog, CatalogObjectKind } from '../catalog.js';
import type { Verdict } from '../match/types.js';
import type { CatalogObjectRef } from './resolve.js';
import type { Dependent, DependentEffect } from './types.js';

const RELATION_KINDS = new Set<CatalogObjectKind>(['table', 'view', 'materializedView']);

export interface DependentsContext {
  catalog: Catalog;
  /** Catalog ids the script drops (not renames or moves), with the first line that does. */
  dropped: ReadonlyMap<string, number>;
  verdictOf(ref: CatalogObjectRef): Verdict | undefined;
}

/**
 * The database objects that need `object`: views over it or its columns, foreign keys
 * referencing it, triggers on it or running it, policies, defaults and generated columns using
 * it, columns of its type, owned sequences. Parts of a dropped table (its own columns,
 * triggers, policies) go with it and are not listed, except its triggers, which are shown as
 * dropping with it.
 */
export function dependentsOf(object: CatalogObjectRef, statement: { line: number; cascade: boolean }, ctx: DependentsContext): Dependent[] {
  const { catalog } = ctx;
  const isRelation = RELATION_KINDS.has(object.kind);
  const inside = (id: string): boolean => id === object.id || (isRelation && id.startsWith(`${object.id}.`));
  // Postgres checks dependents statement by statement: a dependent the script drops later still blocks.
  const effect = (id: string, byDesign: boolean): { effect: DependentEffect; droppedAtLine?: number } => {
    if (byDesign) return { effect: 'drops-with-it' };
    const line = droppedAt(id, ctx.dropped);
    const at = line === undefined ? {} : { droppedAtLine: line };
    if (line !== undefined && line <= statement.line) return { effect: 'dropped-by-script', ...at };
    return { effect: statement.cascade ? 'cascades' : 'blocks', ...at };
  };

  const byKey = new Map<string, Dependent>();
  const add = (dependent: Dependent): void => {
    const key = `${dependent.kind}:${dependent.id}`;
    const existing = byKey.get(key);
    // A view over three columns of a dropped table is one dependent, named through the table.
    if (existing === undefined || (existing.through !== undefined && dependent.through === undefined)) byKey.set(key, dependent);
  };
  const verdict = (id: string, kind: CatalogObjectKind): { verdict?: Verdict } => {
    const v = ctx.verdictOf({ id, kind });
    return v === undefined ? {} : { verdict: v };
  };

  for (const d of catalog.dependencies) {
    if (!inside(d.to) || inside(d.from)) continue;
    add({
      kind: d.kind,
      id: d.from,
      objectKind: d.fromKind,
      ...(d.to !== object.id ? { through: d.to } : {}),
      ...verdict(d.from, d.fromKind),
      ...effect(d.from, d.kind === 'sequenceOwner'),
    });
  }

  for (const trigger of catalog.triggers) {
    if (isRelation && trigger.relationId === object.id) {
      add({ kind: 'triggerOn', id: trigger.id, objectKind: 'trigger', ...verdict(trigger.id, 'trigger'), ...effect(trigger.id, true) });
    } else if (object.kind === 'column') {
      // `UPDATE OF col` triggers depend on the column itself.
      const column = columnName(object.id, trigger.relationId);
      if (column !== '' && trigger.columns.includes(column)) {
        add({ kind: 'triggerOn', id: trigger.id, objectKind: 'trigger', ...verdict(trigger.id, 'trigger'), ...effect(trigger.id, false) });
      }
    }
  }
  return [...byKey.values()].sort((a, b) => a.id.localeCompare(b.id) || a.kind.localeCompare(b.kind));
}

function columnName(columnId: string, relationId: string): string {
  return columnId.startsWith(`${relationId}.`) ? columnId.slice(relationId.length + 1) : '';
}

/** The line where the script drops the dependent itself or the table it belongs to. */
export function droppedAt(id: string, dropped: ReadonlyMap<string, number>): number | undefined {
  const own = dropped.get(id);
  const parent = id.includes('(') ? undefined : dropped.get(id.slice(0, id.lastIndexOf('.')));
  if (own === undefined) return parent;
  return parent === undefined ? own : Math.min(own, parent);
}
