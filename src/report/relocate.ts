import type { AuditReport } from '../run.js';

/**
 * The report with every file path prefixed by `prefix` (the audited root as seen from the working
 * directory). Code scanning and Actions annotations place paths relative to the repository
 * checkout, while the audit reports them relative to the audited root (`packages/api`).
 */
export function relocateReport(report: AuditReport, prefix: string): AuditReport {
  if (prefix === '' || prefix === '.') return report;
  const base = prefix.replace(/\/+$/, '');
  const move = (file: string): string => (file.startsWith('/') || /^[A-Za-z]:/.test(file) || file.startsWith('..') ? file : `${base}/${file}`);
  return {
    ...report,
    findings: report.findings.map((finding) => ({
      ...finding,
      evidence: finding.evidence.map((item) => ({ ...item, file: move(item.file) })),
      ...(finding.definedAt ? { definedAt: { ...finding.definedAt, file: move(finding.definedAt.file) } } : {}),
    })),
    events: report.events.map((event) => (event.file === undefined ? event : { ...event, file: move(event.file) })),
  };
}
