import { columnCandidates, tableCandidates } from '../names/case.js';
import type { RelationRef, RuleRef } from '../rules/types.js';
import type { FileScan } from '../scan/index.js';
import type { LookupRelation, SchemaLookup } from '../sql/types.js';
import { lineAndColumn } from '../text/lines.js';
import type { CodeEvidence } from './collect.js';
import type { Evidence, LibraryStats } from './types.js';

// Declared with the plain match types: AuditStats names it, and the package's public types must
// not reach this module's imports (the scanner, and through it the TypeScript compiler's types).
export type { LibraryStats } from './types.js';

interface ModelDeclaration {
  model: string;
  tables: string[];
  schema?: string;
  /** Field → explicit column name (undefined: derived from the field name). */
  fields: Map<string, string | undefined>;
  /** Some declaration of the model has columns its rule could not see. */
  open: boolean;
  file: string;
  line: number;
}

/** An ORM model that maps to tables the schema does not have. */
export interface UnresolvedModel {
  rule: string;
  model: string;
  tables: string[];
  file: string;
  line: number;
}

/** Model names are matched with a lower-case first letter: `prisma.user` uses model `User`. */
const modelKey = (rule: string, model: string): string => `${rule}\0${model.charAt(0).toLowerCase()}${model.slice(1)}`;

/**
 * Turns what library rules saw into evidence: declarations become `model` evidence (never
 * a use), uses become `library` reads and writes on the columns they resolve to.
 */
export function addLibraryEvidence(
  files: FileScan[],
  lookup: SchemaLookup,
  code: CodeEvidence,
): { stats: Record<string, LibraryStats>; resolvedMatches: Set<string>; modelledRelations: Set<string>; unresolvedModels: UnresolvedModel[] } {
  const stats: Record<string, LibraryStats> = {};
  /** `file\0match` of hook results with at least one ref that named a schema object. */
  const resolvedMatches = new Set<string>();
  const models = new Map<string, ModelDeclaration>();
  for (const scan of files) {
    for (const rule of scan.rules) (stats[rule] ??= { files: 0, refs: 0, unresolved: 0 }).files++;
    for (const { rule, ref } of scan.libraryRefs) {
      if (ref.kind !== 'model' && ref.kind !== 'field') continue;
      const key = modelKey(rule, ref.model);
      let declaration = models.get(key);
      if (declaration === undefined) {
        declaration = { model: ref.model, tables: [], fields: new Map(), open: false, file: scan.file, line: lineAndColumn(scan.lineStarts, ref.position).line };
        models.set(key, declaration);
      }
      if (ref.kind === 'model') {
        declaration.tables.push(...ref.tables);
        if (ref.schema !== undefined) declaration.schema = ref.schema;
        if (ref.open === true) declaration.open = true;
        declaration.file = scan.file;
        declaration.line = lineAndColumn(scan.lineStarts, ref.position).line;
      } else if (ref.column !== undefined || !declaration.fields.has(ref.field)) {
        declaration.fields.set(ref.field, ref.column);
      }
    }
  }

  const resolvedModels = new Map<string, LookupRelation | undefined>();
  const unresolvedModels: UnresolvedModel[] = [];
  const resolveModel = (rule: string, model: string): LookupRelation | undefined => {
    const key = modelKey(rule, model);
    if (resolvedModels.has(key)) return resolvedModels.get(key);
    const declaration = models.get(key);
    const candidates = declaration !== undefined && declaration.tables.length > 0 ? declaration.tables : tableCandidates(model);
    let found: LookupRelation | undefined;
    for (const name of candidates) {
      found = lookup.resolveRelation(declaration?.schema, name);
      if (found !== undefined) break;
    }
    if (found === undefined && declaration !== undefined && declaration.tables.length > 0) {
      unresolvedModels.push({ rule, model, tables: declaration.tables, file: declaration.file, line: declaration.line });
      code.events.push({
        kind: 'library-model-unresolved',
        file: declaration.file,
        line: declaration.line,
        message: `${rule} model ${model} maps to table ${declaration.tables[0]}, which the schema does not have; its uses are not counted`,
      });
    }
    resolvedModels.set(key, found);
    return found;
  };
  const resolveRelation = (rule: string, ref: RelationRef): LookupRelation | undefined =>
    'model' in ref ? resolveModel(rule, ref.model) : lookup.resolveRelation(ref.schema, ref.table);
  const columnOf = (rule: string, ref: RelationRef, relation: LookupRelation, name: string): string | undefined => {
    if ('model' in ref) {
      const explicit = models.get(modelKey(rule, ref.model))?.fields.get(name);
      if (explicit !== undefined) return relation.columns.includes(explicit) ? explicit : undefined;
    }
    return columnCandidates(name).find((candidate) => relation.columns.includes(candidate));
  };

  // Rules may name one declaration through several paths (a relation alias of a model): one
  // piece of evidence per object, place, kind and role is enough.
  const seen = new Set<string>();
  for (const scan of files) {
    for (const { rule, ref, match } of scan.libraryRefs) {
      const ruleStats = (stats[rule] ??= { files: 0, refs: 0, unresolved: 0 });
      ruleStats.refs++;
      const where = { file: scan.file, ...lineAndColumn(scan.lineStarts, ref.position) };
      if (!addRef(rule, ref, where, scan.isTest)) ruleStats.unresolved++;
      else if (match !== undefined) resolvedMatches.add(`${scan.file}\0${match}`);
    }
  }
  return { stats, resolvedMatches, modelledRelations: modelledRelations(), unresolvedModels };

  /**
   * Relations a model maps with a complete field list: the ORM reaches only the columns those
   * fields name. One open declaration (columns the rule could not see) makes the list unknown.
   */
  function modelledRelations(): Set<string> {
    const closed = new Set<string>();
    const open = new Set<string>();
    for (const [key, declaration] of models) {
      // resolveModel caches by the same key, so models already resolved are not looked up again.
      const relation = resolveModel(key.slice(0, key.indexOf('\0')), declaration.model);
      if (relation === undefined) continue;
      if (declaration.open) open.add(relation.id);
      // A declaration without fields is another path to a model (a relation alias), not a field list.
      else if (declaration.fields.size > 0) closed.add(relation.id);
    }
    for (const id of open) closed.delete(id);
    return closed;
  }

  function push(map: Map<string, Evidence[]>, key: string, item: Evidence): void {
    const identity = `${map === code.wildcards ? 'w' : 'o'}\0${key}\0${item.file}\0${item.line}\0${item.column}\0${item.kind}\0${item.role}`;
    if (seen.has(identity)) return;
    seen.add(identity);
    const list = map.get(key);
    if (list === undefined) map.set(key, [item]);
    else list.push(item);
  }

  /** Columns an ORM model declares, for wildcards that select the model's fields rather than `*`. */
  function declaredColumns(rule: string, model: string, relation: LookupRelation): string[] | undefined {
    const declaration = models.get(modelKey(rule, model));
    if (declaration === undefined || declaration.fields.size === 0) return undefined;
    const columns = new Set<string>();
    for (const field of declaration.fields.keys()) {
      const column = columnOf(rule, { model }, relation, field);
      if (column !== undefined) columns.add(column);
    }
    return [...columns];
  }

  /** False when the reference names nothing in the schema. */
  function addRef(rule: string, ref: RuleRef, where: { file: string; line: number; column: number }, isTest: boolean): boolean {
    const use = isTest ? ('test' as const) : ('library' as const);
    switch (ref.kind) {
      case 'model': {
        const relation = resolveModel(rule, ref.model);
        if (relation === undefined) return false;
        push(code.byObject, relation.id, { ...where, kind: 'model', role: 'mention', via: rule });
        return true;
      }
      case 'field': {
        const relation = resolveModel(rule, ref.model);
        const column = relation && (ref.column !== undefined ? (relation.columns.includes(ref.column) ? ref.column : undefined) : columnOf(rule, { model: ref.model }, relation, ref.field));
        if (relation === undefined || column === undefined) return false;
        push(code.byObject, `${relation.id}.${column}`, { ...where, kind: 'model', role: 'mention', via: rule });
        return true;
      }
      case 'wildcard': {
        const relation = resolveRelation(rule, ref.relation);
        if (relation === undefined) return false;
        const wildcard: Evidence = { ...where, kind: isTest ? 'test' : 'wildcard', role: 'read', via: rule };
        // An ORM selects the fields its model declares, not `*`: a column the model lacks is not read.
        const declared = 'model' in ref.relation ? declaredColumns(rule, ref.relation.model, relation) : undefined;
        if (declared === undefined) push(code.wildcards, relation.id, wildcard);
        else for (const column of declared) push(code.byObject, `${relation.id}.${column}`, wildcard);
        push(code.byObject, relation.id, { ...where, kind: use, role: 'read', via: rule });
        return true;
      }
      case 'call': {
        // Without a known argument count every overload may be the one called.
        const ids = lookup.resolveFunction(ref.schema, ref.function, ref.argCount ?? -1);
        for (const id of ids) push(code.byObject, id, { ...where, kind: use, role: 'call', via: rule });
        return ids.length > 0;
      }
      case 'use': {
        const useKind = isTest ? ('test' as const) : ref.owned !== undefined ? ('library-owned' as const) : use;
        const via = ref.owned ?? rule;
        const resolved = ref.relations
          .map((relationRef) => ({ relationRef, relation: resolveRelation(rule, relationRef) }))
          .filter((r): r is { relationRef: RelationRef; relation: LookupRelation } => r.relation !== undefined);
        if (ref.name === undefined) {
          for (const { relation } of resolved) push(code.byObject, relation.id, { ...where, kind: useKind, role: ref.role, via });
          return resolved.length > 0;
        }
        if (resolved.length === 0 && ref.orToken === true) {
          push(code.tokens, ref.name, { ...where, kind: isTest ? 'test' : 'sql-token', role: 'mention', via });
          return false;
        }
        const hitSet = new Set<string>();
        for (const { relationRef, relation } of resolved) {
          const column = columnOf(rule, relationRef, relation, ref.name);
          if (column !== undefined) hitSet.add(`${relation.id}.${column}`);
        }
        // Two candidates naming the same table (a model and its table name) are one relation.
        const hits = [...hitSet];
        // An unqualified name in a join that several relations have is only a possible use.
        const kind = hits.length > 1 && !isTest ? 'sql-ambiguous' : useKind;
        for (const id of hits) push(code.byObject, id, { ...where, kind, role: ref.role, via });
        return hits.length > 0;
      }
    }
  }
}
