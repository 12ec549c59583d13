import type { LookupRelation, SchemaLookup } from '../../src/sql/types.js';

/** A schema small enough to read at a glance, for tests that need a SchemaLookup without a database. */
export interface FakeSchema {
  relations: Array<{ schema?: string; name: string; columns: string[] }>;
  functions?: Array<{ schema?: string; name: string; args: string[] }>;
  types?: Array<{ schema?: string; name: string }>;
  sequences?: Array<{ schema?: string; name: string }>;
  searchPath?: string[];
}

export const defaultFakeSchema: FakeSchema = {
  relations: [
    { name: 'runs', columns: ['id', 'organization_id', 'retry_delay_seconds', 'status', 'created_at'] },
    { name: 'agents', columns: ['id', 'soul_md', 'nix_config', 'status', 'createdAt'] },
    { name: 'orgs', columns: ['id', 'name', 'status'] },
    { name: 'active_runs', columns: ['id', 'status'] },
    { schema: 'audit', name: 'events', columns: ['id', 'payload'] },
  ],
  functions: [
    { name: 'touch', args: ['uuid'] },
    { name: 'add', args: ['integer', 'integer'] },
  ],
  types: [{ name: 'run_status' }],
  sequences: [{ name: 'runs_id_seq' }],
  searchPath: ['public'],
};

export function createFakeLookup(schema: FakeSchema = defaultFakeSchema): SchemaLookup {
  const searchPath = schema.searchPath ?? ['public'];
  const relations: LookupRelation[] = schema.relations.map((relation) => {
    const schemaName = relation.schema ?? 'public';
    return { id: `${schemaName}.${relation.name}`, schema: schemaName, name: relation.name, columns: relation.columns };
  });
  const find = <T extends { schema?: string; name: string }>(items: T[], schemaName: string | undefined, name: string): T | undefined => {
    const schemas = schemaName === undefined ? searchPath : [schemaName];
    for (const candidate of schemas) {
      const found = items.find((item) => (item.schema ?? 'public') === candidate && item.name === name);
      if (found) return found;
    }
    return undefined;
  };
  const idOf = (item: { schema?: string; name: string }): string => `${item.schema ?? 'public'}.${item.name}`;

  return {
    resolveRelation(schemaName, name) {
      const schemas = schemaName === undefined ? searchPath : [schemaName];
      for (const candidate of schemas) {
        const found = relations.find((relation) => relation.schema === candidate && relation.name === name);
        if (found) return found;
      }
      return undefined;
    },
    resolveFunction(schemaName, name, argCount) {
      const schemas = schemaName === undefined ? searchPath : [schemaName];
      const overloads = (schema.functions ?? []).filter(
        (fn) => fn.name === name && schemas.includes(fn.schema ?? 'public'),
      );
      const exact = overloads.filter((fn) => fn.args.length === argCount);
      return (exact.length > 0 ? exact : overloads).map((fn) => `${idOf(fn)}(${fn.args.join(', ')})`);
    },
    resolveType(schemaName, name) {
      const found = find(schema.types ?? [], schemaName, name);
      return found && idOf(found);
    },
    resolveSequence(schemaName, name) {
      const found = find(schema.sequences ?? [], schemaName, name);
      return found && idOf(found);
    },
    relationsWithColumn(column) {
      return relations.filter((relation) => relation.columns.includes(column)).map((relation) => relation.id);
    },
  };
}
