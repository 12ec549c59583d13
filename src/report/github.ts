import type { AnalysisEvent } from '../catalog.js';
import type { Finding } from '../match/types.js';
import type { AuditReport } from '../run.js';
import { deadFindings, evidenceSummary, kindLabel, todoText, whatText, whyText } from './describe.js';
import { summaryLine } from './table.js';

/**
 * GitHub Actions workflow commands: one annotation per dead object at the migration line that
 * created it. Findings come sorted surest first, which matters because Actions shows only the
 * first few annotations of each level per step.
 */
export function formatGithub(report: AuditReport): string {
  const lines = deadFindings(report.findings).map(findingAnnotation);
  for (const event of report.events) {
    // Parse failures are routine; an annotation for each would crowd out the findings.
    if (event.kind !== 'sql-parse-failed') lines.push(eventAnnotation(event));
  }
  lines.push(summaryLine(report).replace(/\r\n|\r|\n/g, ' '));
  return `${lines.join('\n')}\n`;
}

function findingAnnotation(finding: Finding): string {
  // A lead to check is a notice; a drop candidate is a warning. Never an error: `--fail-on` is the gate.
  const command = finding.confidence === 'low' ? 'notice' : 'warning';
  const title = `dead-schema: ${finding.verdict} ${kindLabel(finding.kind)} ${finding.id}${finding.confidence ? ` (${finding.confidence})` : ''}`;
  const message = [whatText(finding), whyText(finding), `Evidence: ${evidenceSummary(finding, 3)}.`, todoText(finding)].filter((s) => s !== '');
  const location: Record<string, string | number> = finding.definedAt ? { file: finding.definedAt.file, line: finding.definedAt.line } : {};
  return workflowCommand(command, { ...location, title }, message.join('\n'));
}

function eventAnnotation(event: AnalysisEvent): string {
  const location: Record<string, string | number> = event.file !== undefined ? { file: event.file, ...(event.line !== undefined ? { line: event.line } : {}) } : {};
  return workflowCommand('warning', { ...location, title: `dead-schema: ${event.kind}` }, event.message);
}

/** `::name key=value,...::message`, with both parts escaped as the Actions runner unescapes them. */
export function workflowCommand(name: string, properties: Record<string, string | number>, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${name}${props === '' ? '' : ` ${props}`}::${escapeData(message)}`;
}

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values also lose `:` and `,`, which would end the value. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
