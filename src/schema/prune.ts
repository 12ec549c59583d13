import type { Catalog } from '../catalog.js';

export interface PruneOptions {
  /** Schemas to keep objects of. */
  schemas: string[];
  /** Relation ids to remove with their columns, triggers and owned sequences. */
  dropRelations: Set<string>;
  /**
   * Relation ids kept outside `schemas` (a platform's auth.users under the project's trigger),
   * with only those of their triggers whose function is kept; marked `platform` with this name.
   */
  keepRelations?: { ids: ReadonlySet<string>; platform: string };
}

/**
 * Narrows a catalog to the audited schemas minus the dropped relations. Dependency edges
 * survive only when both ends do, so no edge ever names an object the catalog lacks.
 */
export function pruneCatalog(catalog: Catalog, options: PruneOptions): { catalog: Catalog; keptIds: Set<string> } {
  const schemas = new Set(options.schemas);
  const bridges = options.keepRelations;
  const relations = catalog.relations
    .filter((r) => (schemas.has(r.schema) || (bridges?.ids.has(r.id) ?? false)) && !options.dropRelations.has(r.id))
    .map((r) => (schemas.has(r.schema) || bridges === undefined ? r : { ...r, platform: bridges.platform }));
  const keptRelations = new Set(relations.map((r) => r.id));
  const functions = catalog.functions.filter((f) => schemas.has(f.schema));
  const keptFunctions = new Set(functions.map((f) => f.id));
  const triggers = catalog.triggers.filter(
    (t) => keptRelations.has(t.relationId) && (schemas.has(t.schema) || (bridges?.ids.has(t.relationId) === true && keptFunctions.has(t.functionId))),
  );
  const types = catalog.types.filter((t) => schemas.has(t.schema));
  const sequences = catalog.sequences.filter(
    (s) => schemas.has(s.schema) && !(s.ownedBy !== null && ownerDropped(s.ownedBy, options.dropRelations)),
  );

  const keptIds = new Set<string>();
  for (const r of relations) {
    keptIds.add(r.id);
    for (const c of r.columns) keptIds.add(`${r.id}.${c.name}`);
  }
  for (const list of [functions, triggers, types, sequences]) for (const o of list) keptIds.add(o.id);

  return {
    catalog: {
      ...catalog,
      schemas: catalog.schemas.filter((s) => schemas.has(s)),
      relations,
      functions,
      triggers,
      types,
      sequences,
      dependencies: catalog.dependencies.filter((d) => keptIds.has(d.from) && keptIds.has(d.to)),
    },
    keptIds,
  };
}

/** Serial sequences of a removed ledger go with it; a sequence owned by a column in another schema stays. */
function ownerDropped(columnId: string, dropRelations: Set<string>): boolean {
  return dropRelations.has(columnId.slice(0, columnId.lastIndexOf('.')));
}
