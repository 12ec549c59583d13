import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { AnalysisEvent, Catalog, SchemaSourceInfo } from './catalog.js';
import type { CodeAnalysis } from './analyse-code.js';
import { CONFIDENCE_RANK, type Confidence, type Finding, type LibraryStats, type NameMatching } from './match/types.js';
import { UsageError, messageOf } from './errors.js';
import { catalogHash, readEvidence, readResult, resultKey, writeResult } from './result-cache.js';
import { fullEvidence, type StoredEvidence } from './match/evidence-store.js';
import { loadSchema, type LoadedSchema, type LoadSchemaOptions } from './schema/index.js';
import { defaultCacheDir } from './schema/cache.js';
import type { AuditRule } from './rules/audit-rule.js';
import { applySuppressions, type Baseline, type IgnoreEntry } from './suppress/index.js';

// Only light modules are imported here: the scan, the rules, the SQL parser and the TypeScript
// compiler load in analyse-code.ts, on demand, so a run that reuses a stored result skips them.

export interface AuditOptions extends LoadSchemaOptions {
  /** Root of the code to scan. */
  root: string;
  include?: string[];
  exclude?: string[];
  /** Other repositories using the same database, scanned too; their files are named relative to root. */
  sharedWith?: string[];
  testGlobs?: string[];
  extraSqlTags?: RegExp;
  /** Library rules to run (default: every rule under rules/, each gated on its enablers); each a `Rule` from `dead-schema/rules`. */
  rules?: readonly AuditRule[];
  /** Config `rules`: a rule (by name or enabling package) forced on everywhere or off. */
  ruleSwitches?: Readonly<Record<string, boolean>>;
  /** Project additions to the name-matching lists (config `names`). */
  names?: NameMatching;
  /** Every piece of evidence per finding, not the strongest 25. */
  allEvidence?: boolean;
  /**
   * Picks, from the verdicts, the objects whose findings list every piece of evidence (what
   * `explain` prints). Served from the evidence stored with a reused result, so explain right
   * after an audit analyses nothing again.
   */
  wholeEvidence?: (findings: readonly Finding[]) => Iterable<string>;
  /** Keep alive objects in `findings` too. */
  all?: boolean;
  /**
   * Audit even when no source file was found under `root` (`--allow-no-code`): every dead finding
   * is then capped at low confidence with reason `no-code-scanned`. Without it that is an error.
   */
  allowNoCode?: boolean;
  minConfidence?: Confidence;
  /** Findings to hide: object-id globs (`public.legacy_*.*`), each with a required reason. */
  ignore?: IgnoreEntry[];
  /** Parsed baseline file: its dead objects are hidden, its entries that match none are reported. */
  baseline?: Baseline;
  /** Keep ignored and baselined findings in `findings` and `stats.dead` (explain shows every object). */
  keepSuppressed?: boolean;
  /**
   * Report only these object ids (`--since`: what new migrations define). A function gets the
   * loaded catalog, for callers that resolve names against it. Alive/dead counts follow the filter.
   */
  onlyObjects?: ReadonlySet<string> | ((catalog: Catalog) => ReadonlySet<string>);
}

export interface AuditStats {
  objects: Record<string, number>;
  dead: { high: number; medium: number; low: number };
  /** `skipped`: symbolic links not followed (outside the root, broken, loops), each a `symlink-skipped` event. */
  files: { scanned: number; sql: number; test: number; skipped: number };
  /** parseRate is over Postgres statements: those in another dialect (otherDialect) are left out. */
  sql: { statements: number; parsed: number; fragments: number; fallback: number; otherDialect: Record<string, number>; parseRate: number };
  /** Library rules that ran, with the files they ran on and the references they made. */
  libraries: Record<string, LibraryStats>;
  /** Dead findings hidden by ignores (config or `@dead-schema-ignore` comments) and by the baseline; not in `dead`. */
  suppressed: { ignored: number; baselined: number };
  events: number;
  /**
   * Extensions the migrations create that PGlite lacks, with how many statements failed because
   * of each (their objects are missing from the audit). Absent when there are none.
   */
  extensionsUnavailable?: Record<string, number>;
  /**
   * Stages in ms; `match` is `collect` (SQL parsed, evidence gathered) plus `decide` (verdicts);
   * `reuse` is checking and reading a stored result (the other code stages are then 0).
   */
  timingsMs: { schema: number; scan: number; match: number; collect: number; decide: number; reuse: number; total: number };
  /**
   * Absent with --no-cache. `reused`: the last run's whole analysis held (nothing it read
   * changed), so nothing was scanned; otherwise source files whose scan came from the per-file
   * cache (hits) and those parsed (misses).
   */
  cache?: { reused: boolean; hits: number; misses: number };
  /** Set by `--since`: the ref, the migrations added or changed since, and how many objects they define. */
  since?: { ref: string; commit: string; migrations: number; objects: number };
}

/** The JSON report; `audit()` returns exactly what `--format json` prints. */
export interface AuditReport {
  version: 1;
  schema: SchemaSourceInfo;
  stats: AuditStats;
  findings: Finding[];
  events: AnalysisEvent[];
}


export async function audit(options: AuditOptions): Promise<AuditReport> {
  return (await runAudit(options)).report;
}

/** The audit plus the catalog it judged, for callers that need database dependencies (check-drops). */
export async function runAudit(options: AuditOptions): Promise<{ report: AuditReport; catalog: Catalog }> {
  const started = performance.now();
  const root = path.resolve(options.root);
  await checkRoot(root);
  for (const shared of options.sharedWith ?? []) await checkRoot(path.resolve(shared));
  const cacheDir = options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir(root));
  const loaded = await loadSchema({ ...options, cacheDir: cacheDir ?? false });
  const schemaDone = performance.now();

  const { analysis, reused, stored, events: cacheEvents } = await analysisOf(options, root, loaded, cacheDir);
  const analysed = performance.now();
  const verdicts = analysis.verdicts;

  const suppression = applySuppressions({
    catalog: loaded.catalog,
    verdicts,
    ...(options.ignore ? { ignore: options.ignore } : {}),
    ...(options.baseline ? { baseline: options.baseline } : {}),
    ...(options.keepSuppressed ? { keepSuppressed: true } : {}),
  });
  const minRank = CONFIDENCE_RANK[options.minConfidence ?? 'low'];
  const only = typeof options.onlyObjects === 'function' ? options.onlyObjects(loaded.catalog) : options.onlyObjects;
  const kept = only === undefined ? suppression.kept : suppression.kept.filter((f) => only.has(f.id));
  const findings = kept
    .filter((f) => options.all || (f.verdict !== 'alive' && CONFIDENCE_RANK[f.confidence ?? 'low'] >= minRank))
    .sort(byCertainty);
  const events = [...loaded.events.map((event) => relativeEvent(event, root)), ...cacheEvents, ...analysis.events, ...suppression.events];
  const dead = { high: 0, medium: 0, low: 0 };
  for (const f of kept) if (f.verdict !== 'alive' && f.confidence !== null) dead[f.confidence]++;
  const objects: Record<string, number> = {};
  for (const f of verdicts) objects[f.kind] = (objects[f.kind] ?? 0) + 1;
  const { statements, parsed, fragments, fallback, otherDialect } = analysis.sqlStats;
  const postgresStatements = statements - Object.values(otherDialect).reduce((sum, n) => sum + n, 0);
  // A reused result scanned nothing: its stages read 0, and `reuse` is the time checking and reading it took.
  const stages = reused ? { scan: 0, collect: 0, decide: 0 } : analysis.timingsMs;
  const report: AuditReport = {
    version: 1,
    schema: loaded.source,
    stats: {
      objects,
      dead,
      files: analysis.files,
      sql: { statements, parsed, fragments, fallback, otherDialect, parseRate: postgresStatements === 0 ? 1 : round((parsed + fragments) / postgresStatements) },
      libraries: analysis.libraries,
      suppressed: suppression.suppressed,
      events: events.length,
      ...unavailableStats(events),
      ...(cacheDir === undefined ? {} : { cache: reused ? { reused: true, hits: 0, misses: 0 } : { reused: false, ...(analysis.cache ?? { hits: 0, misses: 0 }) } }),
      timingsMs: {
        schema: Math.round(schemaDone - started),
        scan: stages.scan,
        match: stages.collect + stages.decide,
        collect: stages.collect,
        decide: stages.decide,
        reuse: reused ? Math.round(analysed - schemaDone) : 0,
        total: Math.round(performance.now() - started),
      },
    },
    findings,
    events,
  };
  await stored;
  return { report, catalog: loaded.catalog };
}

/**
 * The analysis of the code: the stored one when nothing it read changed (src/result-cache.ts),
 * else a fresh one (analyse-code.ts, loaded only then), stored for next time. Explain's objects
 * (`wholeEvidence`) get every piece of evidence, from the evidence file stored with the result.
 */
async function analysisOf(
  options: AuditOptions,
  root: string,
  loaded: LoadedSchema,
  cacheDir: string | undefined,
): Promise<{ analysis: CodeAnalysis; reused: boolean; stored: Promise<void> | undefined; events: AnalysisEvent[] }> {
  const excludePaths = [...loaded.migrationFiles];
  if (options.migrations) excludePaths.push(path.resolve(options.migrations));
  if (options.schemaFile) excludePaths.push(path.resolve(options.schemaFile));
  const definedAt = relativeDefinedAt(loaded.definedAt, root);
  const events: AnalysisEvent[] = [];
  const schemaHash = cacheDir === undefined ? undefined : catalogHash(loaded.catalog);
  const key = schemaHash === undefined ? undefined : resultKey({ options, root, catalogHash: schemaHash, excludePaths, definedAt });
  let reused = cacheDir === undefined || key === undefined ? undefined : await readResult(cacheDir, root, options, key, events);
  // Explain's objects whose lists were cut at 25.
  const cut = (verdicts: readonly Finding[]): Set<string> => {
    const ids = new Set(options.wholeEvidence?.(verdicts) ?? []);
    return new Set(verdicts.filter((f) => ids.has(f.id) && f.evidenceCount > f.evidence.length).map((f) => f.id));
  };
  let evidence: StoredEvidence | undefined;
  let wanted = reused === undefined ? undefined : cut(reused.verdicts);
  if (reused !== undefined && wanted !== undefined && wanted.size > 0) {
    evidence = cacheDir !== undefined && key !== undefined ? await readEvidence(cacheDir, root, options, key, reused.resultId) : undefined;
    // Without that file the analysis runs again, gathering it.
    if (evidence === undefined) {
      reused = undefined;
      wanted = undefined;
    }
  }
  let analysis: CodeAnalysis;
  let stored: Promise<void> | undefined;
  if (reused !== undefined) analysis = reused;
  else {
    // The scan, the rules, the SQL parser and the TypeScript compiler load only here.
    const { analyseCode } = await import('./analyse-code.js');
    const input = { options, root, loaded, excludePaths, cacheDir, definedAt, noCodeError: () => noCodeError(options, root) };
    const fresh = await analyseCode(schemaHash === undefined ? input : { ...input, catalogHash: schemaHash }, cacheDir !== undefined || options.wholeEvidence !== undefined);
    analysis = fresh.analysis;
    evidence = fresh.evidence;
    if (cacheDir !== undefined && key !== undefined) stored = writeResult(cacheDir, root, options, key, analysis, evidence);
  }
  wanted ??= cut(analysis.verdicts);
  if (wanted.size > 0 && evidence !== undefined) analysis = withWholeEvidence(analysis, wanted, evidence);
  return { analysis, reused: reused !== undefined, stored, events };
}

/** The analysis with `wanted` objects' findings listing every piece of evidence (the stored copy is left as it was). */
function withWholeEvidence(analysis: CodeAnalysis, wanted: ReadonlySet<string>, evidence: StoredEvidence): CodeAnalysis {
  return {
    ...analysis,
    verdicts: analysis.verdicts.map((finding) => {
      const all = wanted.has(finding.id) ? fullEvidence(evidence, finding.id) : undefined;
      return all === undefined ? finding : { ...finding, evidence: all };
    }),
  };
}

function unavailableStats(events: AnalysisEvent[]): Pick<AuditStats, 'extensionsUnavailable'> {
  const counts: Record<string, number> = {};
  for (const event of events) {
    if (event.kind === 'extension-unavailable' && event.extension !== undefined) counts[event.extension] = event.objects?.length ?? 0;
  }
  return Object.keys(counts).length === 0 ? {} : { extensionsUnavailable: counts };
}

/**
 * A root that is missing or a file would scan nothing and call everything dead: a usage error
 * instead. Exported for commands that read files under the root before the audit (the baseline).
 */
export async function checkRoot(root: string): Promise<void> {
  const given = displayPath(root);
  let info;
  try {
    info = await stat(root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new UsageError(`the root ${given} does not exist`, { path: root, hint: 'pass the folder that holds the code to audit' });
    }
    throw new UsageError(`cannot read the root ${given}: ${code ?? messageOf(error)}`, { path: root });
  }
  if (!info.isDirectory()) throw new UsageError(`${given} is a file, not a directory; pass the folder to audit`, { path: root });
}

function noCodeError(options: AuditOptions, root: string): UsageError {
  const filters = [options.include ? '--include' : '', options.exclude ? '--exclude' : ''].filter(Boolean).join(' and ');
  return new UsageError(`no source files found under ${displayPath(root)}, so every object would look dead`, {
    path: root,
    hint: `check the root${filters === '' ? '' : `, ${filters}`} and .gitignore; to audit the schema alone, pass --allow-no-code (every finding is then low confidence)`,
  });
}

/** Relative to the working directory when under it, as a person typed it; absolute otherwise. */
function displayPath(absolute: string): string {
  const rel = path.relative(process.cwd(), absolute);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? absolute : rel;
}

function byCertainty(a: Finding, b: Finding): number {
  const rank = (f: Finding): number => (f.verdict === 'alive' ? -1 : CONFIDENCE_RANK[f.confidence ?? 'low']);
  return rank(b) - rank(a) || a.id.localeCompare(b.id);
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

function relativeDefinedAt(definedAt: Record<string, { file: string; line: number }>, root: string): Record<string, { file: string; line: number }> {
  const out: Record<string, { file: string; line: number }> = {};
  for (const [id, at] of Object.entries(definedAt)) {
    const rel = path.relative(root, path.resolve(at.file)).split(path.sep).join('/');
    out[id] = { file: rel.startsWith('..') ? at.file : rel, line: at.line };
  }
  return out;
}

/** Schema events name files relative to the working directory; evidence is relative to the root. */
function relativeEvent(event: AnalysisEvent, root: string): AnalysisEvent {
  if (event.file === undefined) return event;
  const rel = path.relative(root, path.resolve(event.file)).split(path.sep).join('/');
  return rel.startsWith('..') ? event : { ...event, file: rel };
}
