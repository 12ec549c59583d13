import type { RelationRef, RuleRef } from '../../src/rules/types.js';

/** Readable one-line forms of rule references, shared by the rules' unit tests. */

const relationName = (relation: RelationRef): string => ('model' in relation ? relation.model : relation.table);

/** `kind:role:model.name`, without positions. */
export function describeRuleRef(ref: RuleRef): string {
  switch (ref.kind) {
    case 'model':
      return `model:${ref.model}=${ref.schema ? `${ref.schema}.` : ''}${ref.tables.join('|')}`;
    case 'field':
      return `field:${ref.model}.${ref.field}=${ref.column ?? '?'}`;
    case 'wildcard':
      return `wildcard:${relationName(ref.relation)}`;
    case 'use':
      return `${ref.role}:${ref.relations.map(relationName).join('|')}${ref.name === undefined ? '' : `.${ref.name}`}`;
    case 'call':
      return `call:${ref.schema ? `${ref.schema}.` : ''}${ref.function}`;
  }
}

/** `line kind relation.name`, with the line of `text` the reference points at. */
export function describeRuleRefAt(text: string, ref: RuleRef): string {
  const line = text.slice(0, ref.position).split('\n').length;
  switch (ref.kind) {
    case 'model':
      return `${line} model ${ref.model} ${ref.tables.join('|')}${ref.schema ? ` @${ref.schema}` : ''}${ref.open ? ' (open)' : ''}`;
    case 'field':
      return `${line} field ${ref.model}.${ref.field}${ref.column ? `=${ref.column}` : ''}`;
    case 'use':
      return `${line} ${ref.role} ${ref.relations.map(relationName).join('|')}${ref.name ? `.${ref.name}` : ''}`;
    case 'wildcard':
      return `${line} wildcard ${relationName(ref.relation)}`;
    case 'call':
      return `${line} call ${ref.schema ? `${ref.schema}.` : ''}${ref.function}`;
  }
}
