import type { SqlAnalysis, SqlRef } from '../../src/sql/types.js';

/** One short line per ref, without positions, so expectations read like the SQL they test. */
export function describeRef(ref: SqlRef): string {
  switch (ref.kind) {
    case 'relation':
      return `relation ${ref.relationId} ${ref.role}`;
    case 'column':
      return `column ${ref.relationId}.${ref.column} ${ref.role}${ref.ambiguous ? ' ambiguous' : ''}`;
    case 'wildcard':
      return `wildcard ${ref.relationId}`;
    case 'function':
      return `function ${ref.functionIds.join('|')}`;
    case 'type':
      return `type ${ref.typeId}`;
    case 'sequence':
      return `sequence ${ref.sequenceId}`;
    case 'token':
      return `token ${ref.name}`;
  }
}

/** Sorted, de-duplicated descriptions of an analysis's refs. */
export function refLines(analysis: SqlAnalysis): string[] {
  return [...new Set(analysis.refs.map(describeRef))].sort();
}

/** Position of the first ref matching a description. */
export function positionOf(analysis: SqlAnalysis, description: string): number | undefined {
  return analysis.refs.find((ref) => describeRef(ref) === description)?.position;
}
