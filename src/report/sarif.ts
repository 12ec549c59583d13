import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { AnalysisEvent, CatalogObjectKind } from '../catalog.js';
import type { Confidence, Evidence, Finding, Verdict } from '../match/types.js';
import type { AuditReport } from '../run.js';
import {
  capitalize,
  CONFIDENCE_ADVICE,
  CONFIDENCE_ORDER,
  deadFindings,
  evidenceLabel,
  kindLabel,
  objectThat,
  ruleId,
  todoText,
  verdictPhrase,
  whatText,
  whyText,
} from './describe.js';
import { toolInfo, type ToolInfo } from './tool.js';

const SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/**
 * No result is an `error`: GitHub code scanning fails a PR check on errors by default, which would
 * be a second gate beside `--fail-on`, the one users configure. `high` and `medium` are both
 * drop candidates (warning); `low` is a lead to check (note).
 */
const LEVEL: Readonly<Record<Confidence, Sarif.Result.level>> = { high: 'warning', medium: 'warning', low: 'note' };

/** Enough evidence to click through from an alert; `explain` lists the rest. */
const RELATED_EVIDENCE = 5;

/** Keyed by object, not line: an alert survives edits that move the CREATE statement. */
const FINGERPRINT_KEY = 'deadSchemaObject/v1';

export function formatSarif(report: AuditReport, tool: ToolInfo = toolInfo()): string {
  const findings = deadFindings(report.findings);
  const rules = ruleTable(findings, tool);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const log = {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: tool.name, version: tool.version, semanticVersion: tool.version, informationUri: tool.informationUri, rules } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: report.events.map(notification) }],
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => result(f, ruleIndex.get(ruleId(f.kind, f.verdict)) ?? 0)),
      },
    ],
  } satisfies Sarif.Log;
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** A SARIF log for a run that failed: no results, `executionSuccessful: false` and the error as a notification. */
export function formatSarifFailure(message: string, tool: ToolInfo = toolInfo()): string {
  const log = {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: tool.name, version: tool.version, semanticVersion: tool.version, informationUri: tool.informationUri, rules: [] } },
        invocations: [{ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: message }, descriptor: { id: 'execution-failed' } }] }],
        columnKind: 'utf16CodeUnits',
        results: [],
      },
    ],
  } satisfies Sarif.Log;
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** One rule per kind and verdict that occurs, sorted so the table is the same for the same findings. */
function ruleTable(findings: readonly Finding[], tool: ToolInfo): Sarif.ReportingDescriptor[] {
  const seen = new Map<string, Finding>();
  for (const f of findings) {
    const id = ruleId(f.kind, f.verdict);
    if (!seen.has(id)) seen.set(id, f);
  }
  return [...seen.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, f]) => {
      const kind = kindLabel(f.kind);
      const meaning = verdictPhrase(f.kind, f.verdict);
      const levels = CONFIDENCE_ORDER.map((c) => `${c}: ${CONFIDENCE_ADVICE[c]}.`);
      return {
        id,
        name: ruleName(f.kind, f.verdict),
        shortDescription: { text: `${capitalize(objectThat(f.kind, f.verdict))}.` },
        fullDescription: {
          text:
            `dead-schema found no real use of this ${kind}: ${meaning}. Each result carries a confidence and the reasons for it; ` +
            `run dead-schema explain <id> for every piece of evidence before dropping the object.`,
        },
        help: {
          text: [`Verdict ${f.verdict} for a ${kind}: ${meaning}.`, 'Confidence levels:', ...levels, `More: ${tool.helpUri}`].join('\n'),
          markdown: [
            `**Verdict \`${f.verdict}\`** for a ${kind}: ${meaning}.`,
            '',
            ...CONFIDENCE_ORDER.map((c) => `- **${c}**: ${CONFIDENCE_ADVICE[c]}.`),
            '',
            `Run \`dead-schema explain <id>\` to see every piece of evidence. [How dead-schema decides](${tool.helpUri})`,
          ].join('\n'),
        },
        helpUri: tool.helpUri,
        defaultConfiguration: { level: 'warning' },
        properties: { tags: ['maintainability', 'database', 'dead-code'] },
      };
    });
}

function result(finding: Finding, index: number): Sarif.Result {
  const logical = { name: shortName(finding.id), fullyQualifiedName: finding.id, kind: logicalKind(finding) };
  const primary: Sarif.Location = finding.definedAt
    ? { physicalLocation: physical(finding.definedAt.file, finding.definedAt.line), logicalLocations: [logical] }
    : { logicalLocations: [logical] };
  const related = finding.evidence.slice(0, RELATED_EVIDENCE).map((e, i) => relatedLocation(finding, e, i + 1));
  return {
    ruleId: ruleId(finding.kind, finding.verdict),
    ruleIndex: index,
    level: LEVEL[finding.confidence ?? 'low'],
    message: { text: [escapeBrackets(whatText(finding)), escapeBrackets(whyText(finding)), evidenceSentence(finding), escapeBrackets(todoText(finding))].filter((s) => s !== '').join(' ') },
    locations: [primary],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: `${finding.kind}:${finding.id}` },
    properties: {
      objectKind: finding.kind,
      objectId: finding.id,
      verdict: finding.verdict,
      confidence: finding.confidence,
      reasons: finding.reasons,
      evidenceCount: finding.evidenceCount,
    },
  };
}

/** Evidence as embedded links to the related locations, which code scanning renders as clickable. */
function evidenceSentence(finding: Finding): string {
  if (finding.evidence.length === 0) return 'Evidence: none anywhere.';
  const shown = finding.evidence
    .slice(0, RELATED_EVIDENCE)
    .map((e, i) => `${escapeBrackets(evidenceLabel(finding, e))} [${escapeBrackets(`${e.file}:${e.line}`)}](${i + 1})`);
  const more = finding.evidenceCount - shown.length;
  return `Evidence: ${shown.join('; ')}${more > 0 ? ` (+${more} more)` : ''}.`;
}

/** SARIF message text reads `[text](n)` as a link; other brackets (`integer[]`) must be escaped. */
function escapeBrackets(text: string): string {
  return text.replace(/[[\]]/g, (ch) => `\\${ch}`);
}

function relatedLocation(finding: Finding, evidence: Evidence, id: number): Sarif.Location {
  return {
    id,
    physicalLocation: physical(evidence.file, evidence.line, evidence.column),
    message: { text: evidenceLabel(finding, evidence) },
  };
}

function notification(event: AnalysisEvent): Sarif.Notification {
  return {
    // Parse failures are routine in a large codebase; what failed to load is not.
    level: event.kind === 'sql-parse-failed' ? 'note' : 'warning',
    message: { text: event.message },
    descriptor: { id: event.kind },
    ...(event.file !== undefined ? { locations: [{ physicalLocation: physical(event.file, event.line ?? 1) }] } : {}),
  };
}

/**
 * Report paths are relative to the audited root, which code scanning resolves against the checkout
 * (%SRCROOT%); a path outside the root stays absolute and becomes a file: URI.
 */
function physical(file: string, line: number, column?: number): Sarif.PhysicalLocation {
  const artifactLocation = path.isAbsolute(file)
    ? { uri: pathToFileURL(file).href }
    : { uri: file.split(/[\\/]/).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  return { artifactLocation, region: { startLine: Math.max(1, line), ...(column !== undefined && column > 0 ? { startColumn: column } : {}) } };
}

/** The last dotted part, keeping a function's argument list: overloads differ only there. */
function shortName(id: string): string {
  const bare = id.replace(/\(.*\)$/s, '');
  return id.slice(bare.lastIndexOf('.') + 1);
}

/**
 * The rule's readable name, PascalCase as SARIF viewers expect (`ColumnNeverUsed`). It must differ
 * from the id even in case: the SARIF validator's SARIF1001 (RuleIdentifiersMustBeValid) compares
 * them case-insensitively, and `UnreferencedColumn` beside `unreferencedColumn` tripped it. The id
 * stays as it was, since code scanning tracks alerts by it.
 */
function ruleName(kind: CatalogObjectKind, verdict: Verdict): string {
  const object = capitalize(kind);
  if (verdict === 'write-only') return `${object}WrittenButNeverRead`;
  if (verdict === 'alive') return `${object}InUse`;
  if (kind === 'function' || kind === 'procedure') return `${object}NeverCalled`;
  if (kind === 'trigger') return `${object}NeverFired`;
  return `${object}NeverUsed`;
}

/** SARIF's suggested logical-location kinds that fit database objects best. */
function logicalKind(finding: Finding): string {
  switch (finding.kind) {
    case 'column':
      return 'member';
    case 'function':
    case 'procedure':
    case 'trigger':
      return 'function';
    default:
      return 'type';
  }
}
