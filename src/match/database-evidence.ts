import type { Evidence, EvidenceKind, EvidenceRole } from './types.js';

/**
 * Evidence held inside the database has no code location: it points at the migration line
 * that defined `holder` (or `<database>` when that is unknown, as for a live database).
 */
export function databaseEvidence(
  definedAt: Record<string, { file: string; line: number }>,
  holder: string,
  kind: EvidenceKind,
  role: EvidenceRole,
  via: string = holder,
): Evidence {
  const at = definedAt[holder];
  return { file: at?.file ?? '<database>', line: at?.line ?? 0, column: 1, kind, role, via };
}
