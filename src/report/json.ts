import type { AuditReport } from '../run.js';

export type JsonReport = AuditReport;

export function formatJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
