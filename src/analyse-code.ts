import path from 'node:path';
import type { AnalysisEvent } from './catalog.js';
import type { AuditOptions } from './run.js';
import type { LoadedSchema } from './schema/index.js';
import { collectCodeEvidence, type SqlStats } from './match/collect.js';
import { createSchemaLookup } from './match/lookup.js';
import type { LibraryStats } from './match/library.js';
import { notifyChannels } from './match/notify.js';
import type { Finding } from './match/types.js';
import { decideVerdicts } from './match/verdict.js';
import type { EvidenceBag } from './match/evidence-bag.js';
import { encodeEvidence, type StoredEvidence } from './match/evidence-store.js';
import { nameForms } from './names/case.js';
import { hash, toolFingerprint } from './scan/cache.js';
import { scanProject, type ProjectScan } from './scan/index.js';
import { InputLog, type ScanInputs } from './scan/inputs.js';
import { initSqlParser } from './sql/index.js';
import { SqlAnalysisCache } from './sql/analysis-cache.js';
import { rules as allRules } from '../rules/index.js';
import { applyRuleSwitches } from './rules/switches.js';
import type { Rule } from './rules/types.js';
import type { Catalog } from './catalog.js';

/**
 * What the code says about the schema: scan, collect and decide. Loaded on demand by run.ts
 * (this module pulls in the TypeScript compiler, the rules and the SQL parser), so a run that
 * reuses a stored result never pays for them.
 */
export interface CodeAnalysis {
  verdicts: Finding[];
  files: { scanned: number; sql: number; test: number; skipped: number };
  sqlStats: SqlStats;
  libraries: Record<string, LibraryStats>;
  /** The scan's and the matching's events, in that order. */
  events: AnalysisEvent[];
  /** Scans reused from the per-file cache; absent without a cache. */
  cache?: { hits: number; misses: number };
  timingsMs: { scan: number; collect: number; decide: number };
  /** What each scanned root's scan read (the root, then each shared one): a stored result is reused while they hold. */
  inputs: ScanInputs[];
}

export interface AnalyseInput {
  options: AuditOptions;
  root: string;
  loaded: LoadedSchema;
  excludePaths: string[];
  cacheDir: string | undefined;
  definedAt: Record<string, { file: string; line: number }>;
  /** A hash of the catalog, which SQL analysis resolves names against (the SQL analysis cache's key). */
  catalogHash?: string;
  /** Thrown when nothing was scanned and the options do not allow it. */
  noCodeError: () => Error;
}

/**
 * The analysis, and every object's whole evidence when asked (`withEvidence`: to store beside the
 * result, or for explain's objects).
 */
export async function analyseCode(input: AnalyseInput, withEvidence: boolean): Promise<{ analysis: CodeAnalysis; evidence?: StoredEvidence }> {
  const { options, root, loaded, cacheDir } = input;
  const started = performance.now();
  const parserReady = initSqlParser();
  // AuditOptions types rules by name only, to keep the compiler's types out of the public ones
  // (rules/audit-rule.ts); a caller's rules are the whole contract, as its docs say.
  const switched = applyRuleSwitches((options.rules as readonly Rule[] | undefined) ?? allRules, options.ruleSwitches);
  const names = interestingNames(loaded.catalog);
  const scanOptions = {
    interestingNames: names,
    excludePaths: input.excludePaths,
    rules: switched.rules,
    offRules: switched.off,
    ...(options.include ? { include: options.include } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.testGlobs ? { testGlobs: options.testGlobs } : {}),
    ...(options.extraSqlTags ? { extraSqlTags: options.extraSqlTags } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(cacheDir === undefined ? {} : { cache: { dir: cacheDir, runKey: scanRunKey(names, switched.rules, switched.off, options.extraSqlTags) } }),
  };
  const rootInputs = new InputLog();
  const scan = await scanProject({ root, ...scanOptions, inputs: rootInputs });
  const inputs = [rootInputs.inputs];
  const cacheWrites = [scan.cacheSaved];
  const cache = scan.cache === undefined ? undefined : { ...scan.cache };
  for (const shared of options.sharedWith ?? []) {
    const sharedRoot = path.resolve(shared);
    const sharedInputs = new InputLog();
    const sharedScan = await scanProject({ root: sharedRoot, ...scanOptions, inputs: sharedInputs });
    inputs.push(sharedInputs.inputs);
    cacheWrites.push(sharedScan.cacheSaved);
    if (cache !== undefined && sharedScan.cache !== undefined) {
      cache.hits += sharedScan.cache.hits;
      cache.misses += sharedScan.cache.misses;
    }
    mergeSharedScan(scan, sharedScan, path.relative(root, sharedRoot).split(path.sep).join('/'));
  }
  const scanDone = performance.now();
  // With nothing scanned nothing is used, so every object would be reported dead at high confidence.
  const noCode = scan.files.length === 0;
  if (noCode && options.allowNoCode !== true) throw input.noCodeError();

  await parserReady;
  const lookup = createSchemaLookup(loaded.catalog);
  const sqlCache = cacheDir === undefined || input.catalogHash === undefined ? undefined : await SqlAnalysisCache.open(cacheDir, hash(`${toolFingerprint()}\0${input.catalogHash}`), scan.events);
  const code = collectCodeEvidence(scan.files, lookup, options.onProgress, sqlCache === undefined ? undefined : (template, context, analyse) => sqlCache.analysis(template, context, analyse));
  if (sqlCache !== undefined) cacheWrites.push(sqlCache.save());
  const collectDone = performance.now();
  const bags = withEvidence ? new Map<string, EvidenceBag>() : undefined;
  const verdicts = decideVerdicts({
    catalog: loaded.catalog,
    lookup,
    code,
    definedAt: input.definedAt,
    // Explain's asked-for objects get their whole evidence from `bags`, after: the stored result stays the audit's.
    ...(options.allEvidence === true ? { allEvidence: true } : {}),
    ...(bags === undefined ? {} : { evidenceSink: bags }),
    ...(options.names ? { names: options.names } : {}),
    ...(noCode ? { noCodeScanned: true } : {}),
  });
  const decideDone = performance.now();
  await Promise.all(cacheWrites);
  const analysis: CodeAnalysis = {
    verdicts,
    files: {
      scanned: scan.files.length,
      sql: scan.files.filter((f) => f.file.endsWith('.sql')).length,
      test: scan.files.filter((f) => f.isTest).length,
      skipped: scan.events.filter((e) => e.kind === 'symlink-skipped').length,
    },
    sqlStats: code.sqlStats,
    libraries: code.libraries,
    events: [...scan.events, ...code.events],
    ...(cache === undefined ? {} : { cache }),
    timingsMs: { scan: Math.round(scanDone - started), collect: Math.round(collectDone - scanDone), decide: Math.round(decideDone - collectDone) },
    inputs,
  };
  return bags === undefined ? { analysis } : { analysis, evidence: encodeEvidence(bags) };
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
