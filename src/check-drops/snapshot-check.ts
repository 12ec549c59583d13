import type { CatalogRelation } from '../catalog.js';
import type { CatalogNames } from './resolve.js';
import { keptColumns, type ScriptSnapshot } from './snapshot.js';
import type { DroppedObject, ScriptProblem, Snapshot } from './types.js';

/** A drop that touches a table's rows: the table itself, or one of its columns. */
interface TableDrop {
  line: number;
  /** The column dropped, or undefined when the whole table goes. */
  column?: string;
  what: string;
}

/**
 * Checks the snapshots the script takes of tables it drops from. A restore matches snapshot
 * rows back to the table by key, so a snapshot without the full primary key can restore onto
 * the wrong rows (INCIDENT.md: a column snapshot keyed by `id` alone on a table keyed by
 * `(organization_id, id)`). A snapshot taken after the drop has nothing left to copy.
 */
export function checkSnapshots(
  snapshots: readonly ScriptSnapshot[],
  drops: readonly DroppedObject[],
  names: CatalogNames,
): { snapshots: Snapshot[]; warnings: ScriptProblem[] } {
  const dropsByTable = tableDrops(drops, names.catalog.relations);
  const out: Snapshot[] = [];
  const warnings: ScriptProblem[] = [];
  for (const snapshot of snapshots) {
    for (const source of snapshot.sources) {
      const relation = names.relation(source.table);
      if (relation === undefined) continue;
      const tableDrops = dropsByTable.get(relation.id);
      if (tableDrops === undefined) continue;
      const columnNames = relation.columns.map((c) => c.name);
      const kept = keptColumns(snapshot, source, columnNames);
      const keeps = (column: string): boolean => kept === '*' || kept.includes(column);
      const missingKey = relation.primaryKey.filter((column) => !keeps(column));
      out.push({
        line: snapshot.line,
        statement: snapshot.statement,
        into: snapshot.into,
        from: relation.id,
        columns: kept === '*' ? ['*'] : kept,
        primaryKey: relation.primaryKey,
        missingKey,
      });
      if (missingKey.length > 0) {
        const keptText = kept === '*' ? 'every column' : kept.length === 0 ? 'no column' : kept.join(', ');
        warnings.push({
          kind: 'snapshot-missing-key',
          line: snapshot.line,
          message:
            `the snapshot of ${relation.id} into ${snapshot.into} keeps ${keptText} but not ${missingKey.join(', ')} of its primary key ` +
            `(${relation.primaryKey.join(', ')}): a restore keyed by what it keeps can hit the wrong rows; add ${missingKey.join(', ')} to the snapshot`,
        });
      }
      const earlier = tableDrops.find((d) => d.line < snapshot.line && (d.column === undefined || keeps(d.column)));
      if (earlier !== undefined) {
        warnings.push({
          kind: 'snapshot-after-drop',
          line: snapshot.line,
          message: `the snapshot of ${relation.id} into ${snapshot.into} runs after line ${earlier.line} drops ${earlier.what}: take it before the drop`,
        });
      }
    }
  }
  return { snapshots: out, warnings };
}

function tableDrops(drops: readonly DroppedObject[], relations: readonly CatalogRelation[]): Map<string, TableDrop[]> {
  const byId = new Map(relations.map((r) => [r.id, r]));
  const out = new Map<string, TableDrop[]>();
  const add = (table: string, drop: TableDrop): void => {
    out.set(table, [...(out.get(table) ?? []), drop]);
  };
  for (const drop of drops) {
    if (drop.status === 'unknown' || drop.status === 'script-object') continue;
    if (drop.kind === 'table' && byId.has(drop.id)) add(drop.id, { line: drop.line, what: drop.id });
    if (drop.kind !== 'column') continue;
    const relation = relations.find((r) => drop.id.startsWith(`${r.id}.`) && r.columns.some((c) => `${r.id}.${c.name}` === drop.id));
    if (relation !== undefined) add(relation.id, { line: drop.line, column: drop.id.slice(relation.id.length + 1), what: drop.id });
  }
  return out;
}
