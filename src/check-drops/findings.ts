import type { Catalog, CatalogObjectKind, CatalogRelation, CatalogTrigger } from '../catalog.js';
import type { Finding } from '../match/types.js';
import type { CatalogObjectRef } from './resolve.js';

/**
 * Findings by object, with the folding the audit does: a column or trigger of a dead table, a
 * partition and an owned sequence have no finding of their own and take their owner's.
 */
export class FindingIndex {
  private readonly byKey = new Map<string, Finding>();

  constructor(
    findings: readonly Finding[],
    private readonly catalog: Catalog,
  ) {
    for (const f of findings) this.byKey.set(`${f.kind}:${f.id}`, f);
  }

  find(ref: CatalogObjectRef): { finding: Finding; foldedInto?: string } | undefined {
    const own = this.byKey.get(`${ref.kind}:${ref.id}`);
    if (own !== undefined) return { finding: own };
    const owner = this.owner(ref);
    if (owner === undefined) return undefined;
    const hit = this.find(owner);
    return hit && { finding: hit.finding, foldedInto: hit.foldedInto ?? hit.finding.id };
  }

  /** The relation a table/view/materialized-view id names. */
  relation(id: string): CatalogRelation | undefined {
    return this.catalog.relations.find((r) => r.id === id);
  }

  trigger(id: string): CatalogTrigger | undefined {
    return this.catalog.triggers.find((t) => t.id === id);
  }

  extensionOwned(id: string): boolean {
    const { relations, functions, types, sequences } = this.catalog;
    return [...relations, ...functions, ...types, ...sequences].some((o) => o.id === id && o.extensionOwned);
  }

  private owner(ref: CatalogObjectRef): CatalogObjectRef | undefined {
    const relationRef = (id: string): CatalogObjectRef | undefined => {
      const relation = this.catalog.relations.find((r) => r.id === id);
      if (relation === undefined) return undefined;
      const kind: CatalogObjectKind = relation.kind === 'view' || relation.kind === 'materializedView' ? relation.kind : 'table';
      return { id: relation.id, kind };
    };
    switch (ref.kind) {
      case 'column': {
        const relation = this.catalog.relations.find((r) => ref.id.startsWith(`${r.id}.`) && r.columns.some((c) => `${r.id}.${c.name}` === ref.id));
        if (relation === undefined) return undefined;
        if (relation.partitionOf !== null) return { id: `${relation.partitionOf}.${ref.id.slice(relation.id.length + 1)}`, kind: 'column' };
        return relationRef(relation.id);
      }
      case 'trigger': {
        const trigger = this.catalog.triggers.find((t) => t.id === ref.id);
        return trigger && relationRef(trigger.relationId);
      }
      case 'sequence': {
        const sequence = this.catalog.sequences.find((s) => s.id === ref.id);
        return sequence?.ownedBy ? { id: sequence.ownedBy, kind: 'column' } : undefined;
      }
      case 'table': {
        const relation = this.catalog.relations.find((r) => r.id === ref.id);
        return relation?.partitionOf ? relationRef(relation.partitionOf) : undefined;
      }
      default:
        return undefined;
    }
  }
}
