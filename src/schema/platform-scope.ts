import type { Catalog, SchemaSourceInfo } from '../catalog.js';

export interface AuditScope {
  /** Schemas whose objects are audited. */
  schemas: string[];
  /** Platform tables kept because the project's own triggers or policies sit on them. */
  keepRelations?: { ids: Set<string>; platform: string };
}

/**
 * What to audit: the named schemas, or every loaded one minus those a hosting platform owns
 * (Supabase's auth, storage...: the project neither defines nor maintains them). A platform
 * table the project hangs a trigger or policy on (handle_new_user on auth.users) stays as a
 * bridge: never reported, but it is written and read by the platform, so what sits on it runs.
 */
export function auditScope(catalog: Catalog, source: SchemaSourceInfo, named: string[] | undefined): AuditScope {
  if (named !== undefined) {
    const schemas = catalog.schemas.filter((s) => named.includes(s));
    return source.platform === undefined ? { schemas } : { schemas, keepRelations: bridges(catalog, schemas, source.platform.name) };
  }
  const owned = new Set(source.platform?.schemas ?? []);
  const schemas = catalog.schemas.filter((s) => !owned.has(s));
  return source.platform === undefined ? { schemas } : { schemas, keepRelations: bridges(catalog, schemas, source.platform.name) };
}

function bridges(catalog: Catalog, audited: string[], platform: string): { ids: Set<string>; platform: string } {
  const inAudited = new Set(audited);
  const schemaOf = new Map<string, string>();
  for (const list of [catalog.relations, catalog.functions, catalog.types, catalog.sequences]) for (const o of list) schemaOf.set(o.id, o.schema);
  const relationSchema = new Map(catalog.relations.map((r) => [r.id, r.schema]));
  const outside = (relationId: string): boolean => {
    const schema = relationSchema.get(relationId);
    return schema !== undefined && !inAudited.has(schema);
  };
  const ids = new Set<string>();
  for (const trigger of catalog.triggers) {
    if (outside(trigger.relationId) && inAudited.has(schemaOf.get(trigger.functionId) ?? '')) ids.add(trigger.relationId);
  }
  for (const dep of catalog.dependencies) {
    if (dep.kind === 'policy' && outside(dep.from) && inAudited.has(schemaOf.get(dep.to) ?? '')) ids.add(dep.from);
  }
  return { ids, platform };
}
