import type { Catalog, CatalogFunction, CatalogObjectKind, CatalogRelation } from '../catalog.js';
import { relationObjectKind } from '../catalog.js';
import { display, type QualifiedName } from './names.js';
import type { ScriptName, ScriptTarget } from './script.js';

export interface CatalogObjectRef {
  id: string;
  kind: CatalogObjectKind;
}

/** A script target mapped to the catalog: the objects it names, or why it names none. */
export type Resolution =
  | { status: 'found'; objects: CatalogObjectRef[] }
  | { status: 'unknown'; message: string }
  | { status: 'script-object'; message: string };

/** Catalog lookups by name, honouring search_path the way the script's session would. */
export class CatalogNames {
  private readonly searchPath: string[];
  private readonly relations = new Map<string, CatalogRelation>();
  private readonly functions = new Map<string, CatalogFunction[]>();
  private readonly types = new Map<string, string>();
  private readonly sequences = new Map<string, string>();

  constructor(readonly catalog: Catalog) {
    this.searchPath = (catalog.searchPath.length > 0 ? catalog.searchPath : ['public']).filter((s) => !s.includes('$user'));
    for (const r of catalog.relations) this.relations.set(`${r.schema}.${r.name}`, r);
    for (const fn of catalog.functions) {
      const key = `${fn.schema}.${fn.name}`;
      this.functions.set(key, [...(this.functions.get(key) ?? []), fn]);
    }
    for (const t of catalog.types) this.types.set(`${t.schema}.${t.name}`, t.id);
    for (const s of catalog.sequences) this.sequences.set(`${s.schema}.${s.name}`, s.id);
  }

  private find<T>(map: Map<string, T>, name: QualifiedName): T | undefined {
    if (name.schema !== undefined) return map.get(`${name.schema}.${name.name}`);
    for (const schema of this.searchPath) {
      const hit = map.get(`${schema}.${name.name}`);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  relation(name: QualifiedName): CatalogRelation | undefined {
    return this.find(this.relations, name);
  }

  has(kind: ScriptName['kind'], name: QualifiedName): boolean {
    if (kind === 'relation') return this.relation(name) !== undefined;
    if (kind === 'function') return this.find(this.functions, name) !== undefined;
    return this.find(kind === 'type' ? this.types : this.sequences, name) !== undefined;
  }

  resolve(target: ScriptTarget): Resolution {
    const { name } = target;
    const where = name.schema === undefined ? ` (search_path: ${this.searchPath.join(', ')})` : '';
    const unknown = (what: string): Resolution => ({ status: 'unknown', message: `${what} is not in the audited schema${where}` });
    switch (target.kind) {
      case 'table':
      case 'view':
      case 'materializedView': {
        // ALTER TABLE and DROP TABLE name any relation here; Postgres checks the kind, we report the object.
        const relation = this.relation(name);
        return relation ? found(relation.id, relationObjectKind(relation.kind)) : unknown(`relation "${display(name)}"`);
      }
      case 'column': {
        const relation = target.relation && this.relation(target.relation);
        if (!relation) return unknown(`relation "${display(target.relation ?? name)}"`);
        if (!relation.columns.some((c) => c.name === name.name)) return unknown(`column "${name.name}" of ${relation.id}`);
        return found(`${relation.id}.${name.name}`, 'column');
      }
      case 'trigger': {
        const relation = target.relation && this.relation(target.relation);
        if (!relation) return unknown(`relation "${display(target.relation ?? name)}"`);
        const trigger = this.catalog.triggers.find((t) => t.relationId === relation.id && t.name === name.name);
        return trigger ? found(trigger.id, 'trigger') : unknown(`trigger "${name.name}" on ${relation.id}`);
      }
      case 'function':
      case 'procedure':
        return this.resolveFunction(target, unknown);
      case 'type': {
        const id = this.find(this.types, name);
        return id !== undefined ? found(id, 'type') : unknown(`type "${display(name)}"`);
      }
      case 'sequence': {
        const id = this.find(this.sequences, name);
        return id !== undefined ? found(id, 'sequence') : unknown(`sequence "${display(name)}"`);
      }
      case 'schema':
        return this.resolveSchema(name.name);
    }
  }

  private resolveFunction(target: ScriptTarget, unknown: (what: string) => Resolution): Resolution {
    const overloads = this.find(this.functions, target.name) ?? [];
    const kindOf = (fn: CatalogFunction): CatalogObjectKind => (fn.kind === 'procedure' ? 'procedure' : 'function');
    if (overloads.length === 0) return unknown(`${target.kind} "${display(target.name)}"`);
    // No signature: Postgres drops the only overload or refuses; either way every overload is at stake.
    if (target.args === undefined) return { status: 'found', objects: overloads.map((fn) => ({ id: fn.id, kind: kindOf(fn) })) };
    const matches = overloads.filter((fn) => {
      const types = argTypes(fn);
      return sameTypes(types, target.args!) || (fn.kind === 'procedure' && target.allArgs !== undefined && sameTypes(types, target.allArgs));
    });
    if (matches.length > 0) return { status: 'found', objects: matches.map((fn) => ({ id: fn.id, kind: kindOf(fn) })) };
    const signature = `${display(target.name)}(${target.args.join(', ')})`;
    return { status: 'unknown', message: `${target.kind} ${signature} is not in the audited schema; it has ${overloads.map((fn) => fn.id).join(', ')}` };
  }

  /** Everything a schema holds at top level; columns, triggers and owned sequences go with their tables. */
  private resolveSchema(schema: string): Resolution {
    if (!this.catalog.schemas.includes(schema)) return { status: 'unknown', message: `schema "${schema}" is not among the audited schemas (${this.catalog.schemas.join(', ')})` };
    const objects: CatalogObjectRef[] = [];
    for (const r of this.catalog.relations) if (r.schema === schema && r.partitionOf === null) objects.push({ id: r.id, kind: relationObjectKind(r.kind) });
    for (const fn of this.catalog.functions) if (fn.schema === schema) objects.push({ id: fn.id, kind: fn.kind === 'procedure' ? 'procedure' : 'function' });
    for (const t of this.catalog.types) if (t.schema === schema) objects.push({ id: t.id, kind: 'type' });
    for (const s of this.catalog.sequences) if (s.schema === schema && s.ownedBy === null) objects.push({ id: s.id, kind: 'sequence' });
    return { status: 'found', objects };
  }
}

function found(id: string, kind: CatalogObjectKind): Resolution {
  return { status: 'found', objects: [{ id, kind }] };
}

/** The argument types in a function id (`public.f(integer, text)`), as format_type printed them. */
export function argTypes(fn: CatalogFunction): string[] {
  const inner = fn.id.slice(fn.id.indexOf('(') + 1, -1);
  return inner === '' ? [] : inner.split(', ');
}

/** format_type qualifies types outside search_path and quotes odd names; a script may not. */
function sameTypes(catalogTypes: string[], scriptTypes: string[]): boolean {
  const bare = (type: string): string => {
    const unquoted = type.replace(/"/g, '');
    const base = unquoted.replace(/(\[\])+$/, '');
    const suffix = unquoted.slice(base.length);
    return base.slice(base.lastIndexOf('.') + 1) + suffix;
  };
  return catalogTypes.length === scriptTypes.length && catalogTypes.every((type, i) => bare(type) === bare(scriptTypes[i]!));
}

/**
 * Targets naming what an earlier statement of the same script created or renamed into place
 * (`CREATE TABLE tmp ...; DROP TABLE tmp`) are the script's own business, not the schema's.
 */
export function createdEarlier(target: ScriptTarget, created: readonly ScriptName[]): ScriptName | undefined {
  if (target.kind === 'schema') return undefined;
  // A column or trigger of a table the script made is the script's too.
  const [kind, name]: [ScriptName['kind'], QualifiedName | undefined] =
    target.kind === 'column' || target.kind === 'trigger'
      ? ['relation', target.relation]
      : target.kind === 'function' || target.kind === 'procedure'
        ? ['function', target.name]
        : target.kind === 'type' || target.kind === 'sequence'
          ? [target.kind, target.name]
          : ['relation', target.name];
  if (name === undefined) return undefined;
  return created.find(
    (c) => c.line < target.line && c.kind === kind && c.name.name === name.name && (name.schema === undefined || c.name.schema === undefined || c.name.schema === name.schema),
  );
}
