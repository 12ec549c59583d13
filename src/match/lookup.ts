import type { Catalog } from '../catalog.js';
import type { LookupRelation, SchemaLookup } from '../sql/types.js';

/** Name resolution against a loaded catalog, honouring search_path like Postgres does. */
export function createSchemaLookup(catalog: Catalog): SchemaLookup {
  const searchPath = catalog.searchPath.length > 0 ? catalog.searchPath : ['public'];
  const relations = new Map<string, LookupRelation>();
  const byColumn = new Map<string, string[]>();
  for (const relation of catalog.relations) {
    const entry: LookupRelation = {
      id: relation.id,
      schema: relation.schema,
      name: relation.name,
      columns: relation.columns.map((column) => column.name),
    };
    relations.set(`${relation.schema}.${relation.name}`, entry);
    for (const column of entry.columns) {
      const list = byColumn.get(column) ?? [];
      list.push(relation.id);
      byColumn.set(column, list);
    }
  }
  const functions = new Map<string, { id: string; argCount: number }[]>();
  for (const fn of catalog.functions) {
    const key = `${fn.schema}.${fn.name}`;
    const list = functions.get(key) ?? [];
    list.push({ id: fn.id, argCount: fn.argCount });
    functions.set(key, list);
  }
  const types = new Map(catalog.types.map((type) => [`${type.schema}.${type.name}`, type.id]));
  const sequences = new Map(catalog.sequences.map((seq) => [`${seq.schema}.${seq.name}`, seq.id]));

  /** Unqualified name → every schema-qualified key with that name, per map. */
  const byBareName = new WeakMap<Map<string, unknown>, Map<string, string[]>>();
  const keysNamed = (map: Map<string, unknown>, name: string): string[] => {
    let index = byBareName.get(map);
    if (index === undefined) {
      index = new Map();
      for (const key of map.keys()) {
        const bare = key.slice(key.indexOf('.') + 1);
        index.set(bare, [...(index.get(bare) ?? []), key]);
      }
      byBareName.set(map, index);
    }
    return index.get(name) ?? [];
  };

  function find<T>(map: Map<string, T>, schema: string | undefined, name: string): T | undefined {
    if (schema !== undefined) return map.get(`${schema}.${name}`);
    for (const candidate of searchPath) {
      const hit = map.get(`${candidate}.${name}`);
      if (hit !== undefined) return hit;
    }
    // The app's connection may set its own search_path (`storage`, `app`): an unqualified name
    // that no schema on the migrations' path has, but exactly one other schema has, can only
    // mean that object, since a query naming nothing would fail. Two candidates stay unknown.
    const keys = keysNamed(map, name);
    return keys.length === 1 ? map.get(keys[0]!) : undefined;
  }

  return {
    resolveRelation: (schema, name) => find(relations, schema, name),
    resolveFunction(schema, name, argCount) {
      const overloads = find(functions, schema, name) ?? [];
      const exact = overloads.filter((fn) => fn.argCount === argCount);
      // Defaults and variadics make counts unreliable: fall back to every overload.
      return (exact.length > 0 ? exact : overloads).map((fn) => fn.id);
    },
    resolveType: (schema, name) => find(types, schema, name),
    resolveSequence: (schema, name) => find(sequences, schema, name),
    relationsWithColumn: (column) => byColumn.get(column) ?? [],
  };
}
