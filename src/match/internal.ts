import type { Catalog, CatalogDependency } from '../catalog.js';
import { analyzeFunctionBody } from '../sql/index.js';
import type { SchemaLookup, SqlRef } from '../sql/types.js';
import { databaseEvidence } from './database-evidence.js';
import { notifyOnlyFunctions } from './notify.js';
import type { Evidence, EvidenceKind, EvidenceRole } from './types.js';

type Located = { file: string; line: number };

export interface InternalInput {
  catalog: Catalog;
  lookup: SchemaLookup;
  definedAt: Record<string, Located>;
  /** Object ids application code reads or calls (relations, functions, sequences, types). */
  readByCode: Set<string>;
  /** Relation ids application code writes, with the kinds of write. */
  writtenByCode: Map<string, Set<EvidenceRole>>;
  /** Column ids application code reads or writes: a foreign key checks only while its column is used. */
  columnsUsedByCode: ReadonlySet<string>;
  /** Whether code LISTENs on a notification channel (a notify-only trigger fires for nobody otherwise). */
  isListened: (channel: string) => boolean;
  addEvidence: (id: string, evidence: Evidence) => void;
}

export interface InternalResult {
  aliveRelations: Set<string>;
  aliveFunctions: Set<string>;
  aliveTriggers: Set<string>;
  writtenRelations: Map<string, Set<EvidenceRole>>;
  /** Triggers that would fire but only notify a channel nothing listens on, with the channel. */
  unheardTriggers: Map<string, string>;
}

const ROLE_EVENTS: Record<string, string[]> = { write: ['INSERT', 'UPDATE'], delete: ['DELETE'], truncate: ['TRUNCATE'] };

/**
 * Views, function bodies, triggers, defaults, generated columns, foreign keys and policies
 * read the schema from inside the database. They count only while the object holding them
 * is alive, so liveness spreads to a fixed point from what application code uses.
 */
export function propagateInternalUses(input: InternalInput): InternalResult {
  const { catalog, lookup, definedAt, addEvidence } = input;
  const relationOfColumn = (columnId: string): string => columnId.slice(0, columnId.lastIndexOf('.'));
  const relationIds = new Set(catalog.relations.map((relation) => relation.id));
  const functionIds = new Set(catalog.functions.map((fn) => fn.id));
  const aliveRelations = new Set<string>([...input.readByCode].filter((id) => relationIds.has(id)));
  const aliveFunctions = new Set<string>([...input.readByCode].filter((id) => functionIds.has(id)));
  const aliveTriggers = new Set<string>();
  const columnsOf = new Map(catalog.relations.map((r) => [r.id, new Set(r.columns.map((c) => c.name))]));
  const triggersByFunction = new Map<string, typeof catalog.triggers>();
  for (const trigger of catalog.triggers) {
    triggersByFunction.set(trigger.functionId, [...(triggersByFunction.get(trigger.functionId) ?? []), trigger]);
  }
  const written = new Map<string, Set<EvidenceRole>>([...input.writtenByCode].map(([k, v]) => [k, new Set(v)]));
  // A platform's service reads and writes its own tables (Supabase Auth inserts, updates and
  // deletes auth.users), so the project's triggers and policies on them run without any code.
  for (const relation of catalog.relations) {
    if (relation.platform === undefined) continue;
    aliveRelations.add(relation.id);
    written.set(relation.id, new Set<EvidenceRole>([...(written.get(relation.id) ?? []), 'write', 'delete']));
  }
  const done = new Set<string>();

  const bodies = new Map<string, SqlRef[]>();
  for (const fn of catalog.functions) {
    if (fn.body === null || !/^(sql|plpgsql)$/.test(fn.language)) continue;
    bodies.set(fn.id, analyzeFunctionBody(fn.language, fn.body, lookup).refs);
  }
  const notifiers = notifyOnlyFunctions(catalog, bodies);
  const unheardTriggers = new Map<string, string>();
  const edgesFrom = new Map<string, CatalogDependency[]>();
  for (const dep of catalog.dependencies) {
    // Defaults, generated columns and FKs hang on a column: their holder is its table. A policy's
    // `from` is already its table (introspect.ts), so it keys as it is.
    const key = dep.kind === 'default' || dep.kind === 'generated' || dep.kind === 'foreignKey' ? relationOfColumn(dep.from) : dep.from;
    const list = edgesFrom.get(key) ?? [];
    list.push(dep);
    edgesFrom.set(key, list);
  }

  const located = (holder: string, kind: EvidenceKind, role: EvidenceRole): Evidence =>
    databaseEvidence(definedAt, holder, kind, role);
  const markWritten = (relationId: string, role: EvidenceRole): void => {
    const roles = written.get(relationId) ?? new Set<EvidenceRole>();
    roles.add(role);
    written.set(relationId, roles);
  };

  /** What one holder's references do to their targets; `live` decides alive vs dead-dependent. */
  const applyRefs = (holder: string, refs: SqlRef[], live: boolean, triggerRelation?: string): boolean => {
    let changed = false;
    const kind: EvidenceKind = live ? 'database' : 'dead-dependent';
    for (const ref of refs) {
      switch (ref.kind) {
        case 'relation':
          addEvidence(ref.relationId, located(holder, kind, ref.role));
          if (live && ref.role === 'read' && !aliveRelations.has(ref.relationId)) {
            aliveRelations.add(ref.relationId);
            changed = true;
          }
          if (live && ref.role !== 'read' && !written.get(ref.relationId)?.has(ref.role)) {
            markWritten(ref.relationId, ref.role);
            changed = true;
          }
          break;
        case 'column':
        case 'wildcard':
          addEvidence(
            ref.kind === 'column' ? `${ref.relationId}.${ref.column}` : ref.relationId,
            located(holder, kind, ref.kind === 'column' ? ref.role : 'read'),
          );
          if (live && !aliveRelations.has(ref.relationId) && (ref.kind === 'wildcard' || ref.role === 'read')) {
            aliveRelations.add(ref.relationId);
            changed = true;
          }
          break;
        case 'function':
          for (const id of ref.functionIds) {
            addEvidence(id, located(holder, kind, 'call'));
            if (live && !aliveFunctions.has(id)) {
              aliveFunctions.add(id);
              changed = true;
            }
          }
          break;
        case 'type':
          addEvidence(ref.typeId, located(holder, kind, 'read'));
          break;
        case 'sequence':
          addEvidence(ref.sequenceId, located(holder, kind, 'call'));
          break;
        case 'token':
          // NEW.col / OLD.col in a trigger function name columns of the trigger's table.
          if (triggerRelation !== undefined) {
            if (columnsOf.get(triggerRelation)?.has(ref.name)) {
              addEvidence(`${triggerRelation}.${ref.name}`, located(holder, kind, 'read'));
            }
          }
          break;
      }
    }
    return changed;
  };

  const depRefs = (dep: CatalogDependency): SqlRef[] => {
    if (dep.toKind === 'column') {
      const relationId = relationOfColumn(dep.to);
      return [{ kind: 'column', relationId, column: dep.to.slice(relationId.length + 1), role: 'read', position: 0, ambiguous: false }];
    }
    if (dep.toKind === 'function' || dep.toKind === 'procedure') return [{ kind: 'function', functionIds: [dep.to], name: dep.to, position: 0 }];
    if (dep.toKind === 'sequence') return [{ kind: 'sequence', sequenceId: dep.to, position: 0 }];
    if (dep.toKind === 'type') return [{ kind: 'type', typeId: dep.to, position: 0 }];
    return [{ kind: 'relation', relationId: dep.to, role: 'read', position: 0 }];
  };

  const triggersByRelation = new Map<string, typeof catalog.triggers>();
  for (const trigger of catalog.triggers) {
    const list = triggersByRelation.get(trigger.relationId) ?? [];
    list.push(trigger);
    triggersByRelation.set(trigger.relationId, list);
  }

  for (let changed = true, rounds = 0; changed && rounds < 50; rounds++) {
    changed = false;
    for (const relationId of [...aliveRelations, ...written.keys()]) {
      for (const dep of edgesFrom.get(relationId) ?? []) {
        // View definitions and policies read while the relation is read; defaults, generated
        // columns and foreign keys are evaluated while it is written.
        // A foreign key checks its column's values: one nothing reads or writes any more (a link
        // column of a removed feature) keeps the referenced table alive no longer.
        const active =
          dep.kind === 'view' || dep.kind === 'policy'
            ? aliveRelations.has(relationId)
            : (written.has(relationId) || aliveRelations.has(relationId)) && (dep.kind !== 'foreignKey' || input.columnsUsedByCode.has(dep.from));
        const key = `${dep.kind}|${dep.from}|${dep.to}`;
        if (!active || done.has(key) || dep.kind === 'columnType' || dep.kind === 'sequenceOwner' || dep.kind === 'trigger') continue;
        done.add(key);
        if (applyRefs(dep.from, depRefs(dep), true)) changed = true;
      }
      for (const trigger of triggersByRelation.get(relationId) ?? []) {
        const roles = written.get(relationId);
        if (roles === undefined || aliveTriggers.has(trigger.id)) continue;
        const fires = [...roles].some((role) => (ROLE_EVENTS[role] ?? []).some((event) => trigger.events.includes(event as never)));
        if (!fires) continue;
        const channel = notifiers.get(trigger.functionId);
        if (channel !== undefined && !input.isListened(channel)) {
          unheardTriggers.set(trigger.id, channel);
          continue;
        }
        aliveTriggers.add(trigger.id);
        addEvidence(trigger.functionId, located(trigger.id, 'database', 'call'));
        aliveFunctions.add(trigger.functionId);
        changed = true;
      }
    }
    for (const fnId of [...aliveFunctions]) {
      if (done.has(fnId)) continue;
      done.add(fnId);
      const trigger = triggersByFunction.get(fnId)?.find((t) => aliveTriggers.has(t.id));
      if (applyRefs(fnId, bodies.get(fnId) ?? [], true, trigger?.relationId)) changed = true;
    }
  }

  for (const [relationId, deps] of edgesFrom) {
    if (aliveRelations.has(relationId)) continue;
    for (const dep of deps) if (dep.kind === 'view') applyRefs(dep.from, depRefs(dep), false);
  }
  for (const [fnId, refs] of bodies) if (!aliveFunctions.has(fnId)) applyRefs(fnId, refs, false);
  for (const trigger of catalog.triggers) {
    if (!aliveTriggers.has(trigger.id)) addEvidence(trigger.functionId, located(trigger.id, 'dead-dependent', 'call'));
  }

  return { aliveRelations, aliveFunctions, aliveTriggers, writtenRelations: written, unheardTriggers };
}
