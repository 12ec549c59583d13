import type { AnalysisEvent } from '../catalog.js';
import type { FileScan } from '../scan/index.js';
import { analyzeSql } from '../sql/index.js';
import type { FragmentContext } from '../sql/fragments.js';
import type { SchemaLookup, SqlAnalysis, SqlRef, SqlTemplate } from '../sql/types.js';
import { lineAndColumn } from '../text/lines.js';
import { addLibraryEvidence, type LibraryStats, type UnresolvedModel } from './library.js';
import type { Evidence, EvidenceRole } from './types.js';

/** A name mention outside SQL, with what the verdict step needs to weigh it. */
export interface MentionEvidence {
  evidence: Evidence;
  /** The receiver's last identifier of a property access (`args` in `args.file_path`). */
  receiver?: string;
  /** A string used as data (compared, a case label, a non-table object value): never a table's use. */
  dataValue?: boolean;
}

/** Everything the code says about the schema, keyed for the verdict step. */
export interface CodeEvidence {
  /** Evidence per object id (relation, column, function, type, sequence). */
  byObject: Map<string, Evidence[]>;
  /** Wildcard reads per relation id: every column of it may be read. */
  wildcards: Map<string, Evidence[]>;
  /** Identifier tokens from SQL that did not parse or was dynamic, by name. */
  tokens: Map<string, Evidence[]>;
  /** Name mentions outside SQL, by spelling. */
  mentions: Map<string, MentionEvidence[]>;
  /** Relations an ORM model maps with a complete field list (see markColumnsOutsideModels). */
  modelledRelations: Set<string>;
  /** Files with a statement whose relation is dynamic (`FROM ${table}`): the lines of those statements. */
  dynamicFiles: Map<string, number[]>;
  sqlStats: SqlStats;
  /** Per library rule: files it ran on, references it made, references naming nothing. */
  libraries: Record<string, LibraryStats>;
  /** ORM models whose declared table the schema does not have. */
  unresolvedModels: UnresolvedModel[];
  events: AnalysisEvent[];
}

export interface SqlStats {
  statements: number;
  parsed: number;
  fragments: number;
  fallback: number;
  /** Statements in another database's dialect (ClickHouse, MySQL, BigQuery, psql), by dialect. */
  otherDialect: Record<string, number>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Statements between progress calls: often enough to move the line, rare enough to cost nothing. */
const PROGRESS_EVERY = 200;

/** Analyses a statement through a cache (SqlAnalysisCache.analysis): `analyse` runs on a miss. */
export type SqlAnalysisMemo = (template: SqlTemplate, context: FragmentContext | undefined, analyse: () => SqlAnalysis) => SqlAnalysis;

export function collectCodeEvidence(
  files: FileScan[],
  lookup: SchemaLookup,
  onProgress?: (step: string, done: number, total: number) => void,
  memo: SqlAnalysisMemo = (_template, _context, analyse) => analyse(),
): CodeEvidence {
  const result: CodeEvidence = {
    byObject: new Map(),
    wildcards: new Map(),
    tokens: new Map(),
    mentions: new Map(),
    dynamicFiles: new Map(),
    modelledRelations: new Set(),
    sqlStats: { statements: 0, parsed: 0, fragments: 0, fallback: 0, otherDialect: {} },
    libraries: {},
    unresolvedModels: [],
    events: [],
  };
  // First, so a library call's own strings count as name matches only where the call named nothing.
  const library = addLibraryEvidence(files, lookup, result);
  result.libraries = library.stats;
  result.modelledRelations = library.modelledRelations;
  result.unresolvedModels = library.unresolvedModels;
  const totalSites = onProgress === undefined ? 0 : files.reduce((sum, scan) => sum + scan.sqlSites.length, 0);
  for (const scan of files) {
    const at = (position: number): { file: string; line: number; column: number } => ({
      file: scan.file,
      ...lineAndColumn(scan.lineStarts, position),
    });
    for (const site of scan.sqlSites) {
      const analysis = memo(site.template, site.fragmentOf, () => analyzeSql(site.template, lookup, site.fragmentOf));
      result.sqlStats.statements++;
      if (analysis.outcome === 'parsed') result.sqlStats.parsed++;
      else if (analysis.outcome === 'fragment') result.sqlStats.fragments++;
      else if (analysis.outcome === 'other-dialect') {
        const dialect = analysis.dialect ?? 'other';
        result.sqlStats.otherDialect[dialect] = (result.sqlStats.otherDialect[dialect] ?? 0) + 1;
      } else {
        result.sqlStats.fallback++;
        const where = at(site.position);
        result.events.push({
          kind: 'sql-parse-failed',
          file: scan.file,
          line: where.line,
          message: analysis.error ?? 'SQL did not parse',
          statement: site.template.chunks.map((chunk) => chunk.text).join('${…}').trim().slice(0, 200),
        });
      }
      if (analysis.dynamic) result.dynamicFiles.set(scan.file, [...(result.dynamicFiles.get(scan.file) ?? []), at(site.position).line]);
      for (const ref of analysis.refs) addSqlRef(result, ref, scan.isTest, at);
      if (onProgress !== undefined && result.sqlStats.statements % PROGRESS_EVERY === 0) onProgress('parsing SQL', result.sqlStats.statements, totalSites);
    }
    for (const mention of scan.mentions) {
      if (mention.coveredBy !== undefined && library.resolvedMatches.has(`${scan.file}\0${mention.coveredBy}`)) continue;
      const evidence: Evidence = {
        ...at(mention.position),
        kind: scan.isTest ? 'test' : mention.kind === 'comment' ? 'comment' : mention.kind === 'type' ? 'type' : mention.kind === 'other-language' ? 'other-language' : 'name-match',
        role: mentionRole(mention.kind),
        via: mention.name,
      };
      const item: MentionEvidence = { evidence };
      if (mention.receiver !== undefined) item.receiver = mention.receiver;
      if (mention.kind === 'value') item.dataValue = true;
      push(result.mentions, mention.name, item);
    }
  }
  if (onProgress !== undefined && totalSites > 0) onProgress('parsing SQL', totalSites, totalSites);
  return result;
}

function mentionRole(kind: string): EvidenceRole {
  if (kind === 'key') return 'write';
  if (kind === 'property' || kind === 'element' || kind === 'destructure') return 'read';
  return 'mention';
}

function addSqlRef(
  result: CodeEvidence,
  ref: SqlRef,
  isTest: boolean,
  at: (position: number) => { file: string; line: number; column: number },
): void {
  const where = at(ref.position);
  const strong = isTest ? 'test' : 'sql';
  switch (ref.kind) {
    case 'relation':
      push(result.byObject, ref.relationId, { ...where, kind: strong, role: ref.role });
      break;
    case 'column':
      push(result.byObject, `${ref.relationId}.${ref.column}`, {
        ...where,
        kind: isTest ? 'test' : ref.ambiguous ? 'sql-ambiguous' : 'sql',
        role: ref.role,
      });
      break;
    case 'wildcard':
      push(result.wildcards, ref.relationId, { ...where, kind: isTest ? 'test' : 'wildcard', role: 'read' });
      push(result.byObject, ref.relationId, { ...where, kind: strong, role: 'read' });
      break;
    case 'function':
      for (const id of ref.functionIds) push(result.byObject, id, { ...where, kind: strong, role: 'call' });
      break;
    case 'type':
      push(result.byObject, ref.typeId, { ...where, kind: strong, role: 'read' });
      break;
    case 'sequence':
      push(result.byObject, ref.sequenceId, { ...where, kind: strong, role: 'call' });
      break;
    case 'token':
      push(result.tokens, ref.name, { ...where, kind: isTest ? 'test' : 'sql-token', role: 'mention' });
      break;
  }
}
