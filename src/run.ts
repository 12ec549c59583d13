import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { AnalysisEvent, Catalog, SchemaSourceInfo } from './catalog.js';
import { collectCodeEvidence } from './match/collect.js';
import { createSchemaLookup } from './match/lookup.js';
import { CONFIDENCE_RANK, type Confidence, type Finding } from './match/types.js';
import { notifyChannels } from './match/notify.js';
import { decideVerdicts } from './match/verdict.js';
import type { NameMatching } from './match/names.js';
import { UsageError, messageOf } from './errors.js';
import { nameForms } from './names/case.js';
import { scanProject, type ProjectScan } from './scan/index.js';
import { loadSchema, type LoadSchemaOptions } from './schema/index.js';
import { defaultCacheDir } from './schema/cache.js';
import { hash, toolFingerprint } from './scan/cache.js';
import { initSqlParser } from './sql/index.js';
import { rules as allRules } from '../rules/index.js';
import { applyRuleSwitches } from './rules/switches.js';
import type { Rule } from './rules/types.js';
import type { LibraryStats } from './match/library.js';
import { applySuppressions, type Baseline, type IgnoreEntry } from './suppress/index.js';

export interface AuditOptions extends LoadSchemaOptions {
  /** Root of the code to scan. */
  root: string;
  include?: string[];
  exclude?: string[];
  /** Other repositories using the same database, scanned too; their files are named relative to root. */
  sharedWith?: string[];
  testGlobs?: string[];
  extraSqlTags?: RegExp;
  /** Library rules to run (default: every rule under rules/, each gated on its enablers). */
  rules?: readonly Rule[];
  /** Config `rules`: a rule (by name or enabling package) forced on everywhere or off. */
  ruleSwitches?: Readonly<Record<string, boolean>>;
  /** Project additions to the name-matching lists (config `names`). */
  names?: NameMatching;
  /** Every piece of evidence per finding, not the strongest 25 (what `explain` prints). */
  allEvidence?: boolean;
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
  /** Stages in ms; `match` is `collect` (SQL parsed, evidence gathered) plus `decide` (verdicts). */
  timingsMs: { schema: number; scan: number; match: number; collect: number; decide: number; total: number };
  /** Source files whose scan came from the cache (hits) and those parsed (misses); absent with --no-cache. */
  cache?: { hits: number; misses: number };
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
  const cacheDir = options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir(root));
  const [loaded] = await Promise.all([loadSchema({ ...options, cacheDir: cacheDir ?? false }), initSqlParser()]);
  const schemaDone = performance.now();

  const lookup = createSchemaLookup(loaded.catalog);
  const excludePaths = [...loaded.migrationFiles];
  if (options.migrations) excludePaths.push(path.resolve(options.migrations));
  if (options.schemaFile) excludePaths.push(path.resolve(options.schemaFile));
  const switched = applyRuleSwitches(options.rules ?? allRules, options.ruleSwitches);
  const names = interestingNames(loaded.catalog);
  const scanOptions = {
    interestingNames: names,
    excludePaths,
    rules: switched.rules,
    offRules: switched.off,
    ...(options.include ? { include: options.include } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.testGlobs ? { testGlobs: options.testGlobs } : {}),
    ...(options.extraSqlTags ? { extraSqlTags: options.extraSqlTags } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(cacheDir === undefined ? {} : { cache: { dir: cacheDir, runKey: scanRunKey(names, switched.rules, switched.off, options.extraSqlTags) } }),
  };
  const scan = await scanProject({ root, ...scanOptions });
  const cacheWrites = [scan.cacheSaved];
  for (const shared of options.sharedWith ?? []) {
    const sharedRoot = path.resolve(shared);
    await checkRoot(sharedRoot);
    const sharedScan = await scanProject({ root: sharedRoot, ...scanOptions });
    cacheWrites.push(sharedScan.cacheSaved);
    mergeSharedScan(scan, sharedScan, path.relative(root, sharedRoot).split(path.sep).join('/'));
  }
  const scanDone = performance.now();
  // With nothing scanned nothing is used, so every object would be reported dead at high confidence.
  const noCode = scan.files.length === 0;
  if (noCode && options.allowNoCode !== true) throw noCodeError(options, root);

  const code = collectCodeEvidence(scan.files, lookup, options.onProgress);
  const collectDone = performance.now();
  const verdicts = decideVerdicts({
    catalog: loaded.catalog,
    lookup,
    code,
    definedAt: relativeDefinedAt(loaded.definedAt, root),
    ...(options.allEvidence ? { allEvidence: true } : {}),
    ...(options.names ? { names: options.names } : {}),
    ...(noCode ? { noCodeScanned: true } : {}),
  });
  const matchDone = performance.now();

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
  const events = [...loaded.events.map((event) => relativeEvent(event, root)), ...scan.events, ...code.events, ...suppression.events];
  const dead = { high: 0, medium: 0, low: 0 };
  for (const f of kept) if (f.verdict !== 'alive' && f.confidence !== null) dead[f.confidence]++;
  const objects: Record<string, number> = {};
  for (const f of verdicts) objects[f.kind] = (objects[f.kind] ?? 0) + 1;
  const { statements, parsed, fragments, fallback, otherDialect } = code.sqlStats;
  const postgresStatements = statements - Object.values(otherDialect).reduce((sum, n) => sum + n, 0);
  const report: AuditReport = {
    version: 1,
    schema: loaded.source,
    stats: {
      objects,
      dead,
      files: {
        scanned: scan.files.length,
        sql: scan.files.filter((f) => f.file.endsWith('.sql')).length,
        test: scan.files.filter((f) => f.isTest).length,
        skipped: scan.events.filter((e) => e.kind === 'symlink-skipped').length,
      },
      sql: { statements, parsed, fragments, fallback, otherDialect, parseRate: postgresStatements === 0 ? 1 : round((parsed + fragments) / postgresStatements) },
      libraries: code.libraries,
      suppressed: suppression.suppressed,
      events: events.length,
      ...unavailableStats(events),
      ...(scan.cache === undefined ? {} : { cache: scan.cache }),
      timingsMs: {
        schema: Math.round(schemaDone - started),
        scan: Math.round(scanDone - schemaDone),
        match: Math.round(matchDone - scanDone),
        collect: Math.round(collectDone - scanDone),
        decide: Math.round(matchDone - collectDone),
        total: Math.round(matchDone - started),
      },
    },
    findings,
    events,
  };
  await Promise.all(cacheWrites);
  return { report, catalog: loaded.catalog };
}

/** Bump when a scan's output changes meaning without the tool's build changing (never, in practice). */
const SCAN_KEY_VERSION = 1;

/** Everything that changes what scanning any file finds, besides the file and its own inputs. */
function scanRunKey(names: ReadonlySet<string>, rules: readonly Rule[], offRules: readonly Rule[], extraSqlTags: RegExp | undefined): string {
  return hash(
    JSON.stringify({
      version: SCAN_KEY_VERSION,
      tool: toolFingerprint(),
      names: hash([...names].sort().join('\n')),
      rules: rules.map((rule) => rule.name),
      off: offRules.map((rule) => rule.name),
      sqlTags: extraSqlTags === undefined ? null : `${extraSqlTags.source}/${extraSqlTags.flags}`,
    }),
  );
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

/** Another repository's files and events, named relative to the audited root (`../insights/src/a.ts`). */
function mergeSharedScan(into: ProjectScan, shared: ProjectScan, prefix: string): void {
  const named = (file: string): string => `${prefix}/${file}`;
  for (const file of shared.files) into.files.push({ ...file, file: named(file.file) });
  for (const event of shared.events) into.events.push('file' in event && typeof event.file === 'string' ? { ...event, file: named(event.file) } : event);
}

/** Every spelling of every schema name: only these are kept as mentions while scanning. */
function interestingNames(catalog: Catalog): Set<string> {
  const names = new Set<string>();
  const addForms = (name: string): void => {
    for (const form of nameForms(name)) names.add(form);
  };
  for (const relation of catalog.relations) {
    addForms(relation.name);
    for (const column of relation.columns) addForms(column.name);
  }
  for (const fn of catalog.functions) addForms(fn.name);
  for (const type of catalog.types) addForms(type.name);
  // Notification channels, so a listener's `sql.listen('orders')` is seen (src/match/notify.ts).
  for (const fn of catalog.functions) for (const channel of notifyChannels(fn.body ?? '')) addForms(channel);
  return names;
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
