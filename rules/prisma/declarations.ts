import type { RuleRef } from '../../src/rules/types.js';
import { columnCandidates } from '../../src/names/case.js';
import { columnOfField, isRelationField, oppositeField, parsePrismaSchema, type PrismaField, type PrismaModel, type PrismaSchema } from './schema.js';

/**
 * Relation paths deeper than this are not declared (their count grows with the power of the
 * depth); the client visitor names a deeper relation by its own key instead.
 */
export const MAX_RELATION_DEPTH = 2;
/** Relation paths per file, so a dense schema cannot blow up the declarations. */
const MAX_PATHS = 5000;

/** The join-table column of an implicit many-to-many that holds the parent's id. */
export const M2M_PARENT = '$parent';

/** The client property of a model (`prisma.userProfile` for `UserProfile`); the core lower-cases the first letter too. */
export const delegateName = (model: string): string => `${model.charAt(0).toLowerCase()}${model.slice(1)}`;

/** The m-n join table an implicit many-to-many relation keeps (`_CategoryToPost`, or `_<relation name>`). */
function implicitJoinTable(model: PrismaModel, field: PrismaField, opposite: PrismaField | undefined): string | undefined {
  if (!field.isList || opposite === undefined || !opposite.isList) return undefined;
  if (field.relation?.fields.length || opposite.relation?.fields.length) return undefined;
  const name = field.relation?.name;
  return name !== undefined ? `_${name}` : `_${[model.name, field.type].sort().join('To')}`;
}

/** A relation field used by name reads or writes the foreign key it names (forward side). */
function foreignKeyColumn(model: PrismaModel, field: PrismaField): string | undefined {
  const fk = field.relation?.fields[0];
  return fk === undefined ? undefined : columnOfField(model, fk);
}

/**
 * Declarations of one schema.prisma: each model maps to its table and each scalar field to
 * its column. Relation fields are not columns; to let client calls name relations, every
 * relation path (`User.posts`, `User.posts.comments`) is declared as a model whose table is
 * the related model's, and a relation field's own name maps to the foreign key that joins it.
 */
export function prismaSchemaRefs(text: string): RuleRef[] {
  const schema = parsePrismaSchema(text);
  const refs: RuleRef[] = [];
  for (const model of schema.models.values()) {
    refs.push({ kind: 'model', model: model.name, tables: [model.table], ...(model.schema ? { schema: model.schema } : {}), position: model.position });
    for (const field of model.fields) {
      if (!isRelationField(field, schema)) {
        refs.push({ kind: 'field', model: model.name, field: field.name, column: field.column, position: field.position });
        continue;
      }
      const fk = foreignKeyColumn(model, field);
      if (fk !== undefined) refs.push({ kind: 'field', model: model.name, field: field.name, column: fk, position: field.position });
    }
  }
  // Breadth first, so a budget cut drops the deepest paths.
  let level: { path: string; model: PrismaModel }[] = [...schema.models.values()].map((model) => ({ path: model.name, model }));
  let budget = MAX_PATHS;
  for (let depth = 1; depth <= MAX_RELATION_DEPTH; depth++) {
    const next: typeof level = [];
    for (const { path, model } of level) {
      for (const field of model.fields) {
        const target = schema.models.get(field.type);
        if (target === undefined || !isRelationField(field, schema) || budget-- <= 0) continue;
        const alias = `${path}.${field.name}`;
        refs.push(...relationPathRefs(alias, model, field, target, schema));
        next.push({ path: alias, model: target });
      }
    }
    level = next;
  }
  return refs;
}

function relationPathRefs(alias: string, model: PrismaModel, field: PrismaField, target: PrismaModel, schema: PrismaSchema): RuleRef[] {
  const at = field.position;
  const refs: RuleRef[] = [{ kind: 'model', model: alias, tables: [target.table], ...(target.schema ? { schema: target.schema } : {}), position: at }];
  // Columns the core could not derive from the field name; the rest resolve on their own.
  for (const other of target.fields) {
    if (isRelationField(other, schema)) {
      const fk = foreignKeyColumn(target, other);
      if (fk !== undefined && other.name !== field.name) refs.push({ kind: 'field', model: alias, field: other.name, column: fk, position: other.position });
    } else if (!columnCandidates(other.name).includes(other.column)) {
      refs.push({ kind: 'field', model: alias, field: other.name, column: other.column, position: other.position });
    }
  }
  const opposite = oppositeField(model, field, schema);
  // The back side of a one-to-many: reading `user.posts` reads posts.author_id.
  if ((field.relation?.fields.length ?? 0) > 0) return refs;
  const backFk = opposite === undefined ? undefined : foreignKeyColumn(target, opposite);
  if (backFk !== undefined) refs.push({ kind: 'field', model: alias, field: field.name, column: backFk, position: at });
  const join = implicitJoinTable(model, field, opposite);
  if (join !== undefined) {
    // Column A references the model whose name sorts first, B the other.
    const targetFirst = target.name <= model.name;
    const schemaName = (targetFirst ? target : model).schema;
    const m2m = `${alias}$m2m`;
    refs.push({ kind: 'model', model: m2m, tables: [join], ...(schemaName ? { schema: schemaName } : {}), position: at });
    refs.push({ kind: 'field', model: m2m, field: field.name, column: targetFirst ? 'A' : 'B', position: at });
    refs.push({ kind: 'field', model: m2m, field: M2M_PARENT, column: targetFirst ? 'B' : 'A', position: at });
  }
  return refs;
}
