import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AnalysisEvent, Catalog } from './catalog.js';
import type { CodeAnalysis } from './analyse-code.js';
import type { AuditOptions } from './run.js';
import { discardCacheFile, readCacheJson, writeCacheFile } from './schema/cache.js';
import { hash, toolFingerprint } from './scan/cache.js';
import { inputsUnchanged, type ScanInputs } from './scan/inputs.js';
import type { StoredEvidence } from './match/evidence-store.js';

/**
 * The whole analysis of the last run, reused when nothing it depends on changed (issue 12): a
 * re-run, or `explain` and `check-drops` right after an audit, then read one file instead of
 * loading the TypeScript compiler and the rules. It is reused only when the options, the tool's
 * build and the schema are the same (the key) and every folder walk and file read of the scan
 * gives the same again (src/scan/inputs.ts). One entry per root and evidence depth.
 */

/** Bump when CodeAnalysis changes shape. */
const RESULT_FORMAT = 1;

interface StoredResult {
  format: number;
  key: string;
  id: string;
  analysis: CodeAnalysis;
}

export interface ResultKeyInput {
  options: AuditOptions;
  root: string;
  excludePaths: string[];
  definedAt: Record<string, { file: string; line: number }>;
  /** catalogHash() of the loaded catalog. */
  catalogHash: string;
}

export function catalogHash(catalog: Catalog): string {
  return hash(JSON.stringify(catalog));
}

/** Everything besides the scanned files that decides the analysis. */
export function resultKey({ options, root, catalogHash, excludePaths, definedAt }: ResultKeyInput): string {
  return hash(
    JSON.stringify({
      format: RESULT_FORMAT,
      tool: toolFingerprint(),
      root,
      catalog: catalogHash,
      definedAt: hash(JSON.stringify(definedAt)),
      excludePaths,
      include: options.include ?? null,
      exclude: options.exclude ?? null,
      sharedWith: (options.sharedWith ?? []).map((dir) => path.resolve(dir)),
      testGlobs: options.testGlobs ?? null,
      sqlTags: options.extraSqlTags === undefined ? null : `${options.extraSqlTags.source}/${options.extraSqlTags.flags}`,
      // Rules passed in (the library API, tests) are named; the built-in set is the tool's build.
      rules: options.rules?.map((rule) => rule.name) ?? 'built-in',
      ruleSwitches: options.ruleSwitches ?? null,
      names: options.names ?? null,
      // Explain's objects (wholeEvidence) are served from the evidence file: the audit's entry is the one to reuse.
      allEvidence: options.allEvidence === true,
      allowNoCode: options.allowNoCode === true,
    }),
  );
}

function entryName(root: string, options: AuditOptions): string {
  // Every finding's whole evidence (allEvidence) gets its own entry, so it never pushes out the audit's.
  return `result-${hash(root).slice(0, 16)}${options.allEvidence === true ? '-all' : ''}.json`;
}

/**
 * The stored analysis when it still holds; a broken entry is deleted with a `cache-discarded`
 * event. The inputs sit in a small file of their own, checked first: after an edit the (much
 * larger) analysis is never read.
 */
export async function readResult(dir: string, root: string, options: AuditOptions, key: string, events: AnalysisEvent[]): Promise<ReusedAnalysis | undefined> {
  const name = entryName(root, options);
  const inputsFile = await readStored<StoredInputs>(dir, inputsName(name), events);
  if (inputsFile === undefined || inputsFile.format !== RESULT_FORMAT || inputsFile.key !== key) return undefined;
  if (!Array.isArray(inputsFile.inputs)) {
    events.push(await discardCacheFile(dir, inputsName(name), 'it has the wrong shape'));
    return undefined;
  }
  for (const inputs of inputsFile.inputs) if (!(await inputsUnchanged(inputs))) return undefined;
  const stored = await readStored<StoredResult>(dir, name, events);
  if (stored === undefined || stored.format !== RESULT_FORMAT || stored.key !== key || typeof stored.id !== 'string' || stored.id !== inputsFile.resultId) return undefined;
  const analysis = stored.analysis;
  if (analysis === undefined || !Array.isArray(analysis.verdicts)) {
    events.push(await discardCacheFile(dir, name, 'it has the wrong shape'));
    return undefined;
  }
  return { ...analysis, inputs: inputsFile.inputs, resultId: stored.id };
}

/** A stored analysis, with the id its evidence file must carry too. */
export type ReusedAnalysis = CodeAnalysis & { resultId: string };

interface StoredInputs {
  format: number;
  key: string;
  /** The result written with these inputs: a run writing both never pairs its inputs with another run's result. */
  resultId: string;
  inputs: ScanInputs[];
}

function inputsName(resultName: string): string {
  return resultName.replace(/\.json$/, '.inputs.json');
}

/** A cache file's JSON object, or undefined (readCacheJson deletes one that is not JSON). */
async function readStored<T>(dir: string, name: string, events: AnalysisEvent[]): Promise<Partial<T> | undefined> {
  const parsed = (await readCacheJson(dir, name, events)) as Partial<T> | null | undefined;
  return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
}

interface StoredEvidenceFile {
  format: number;
  key: string;
  resultId: string;
  evidence: StoredEvidence;
}

function evidenceName(root: string, options: AuditOptions): string {
  return entryName(root, options).replace(/^result-/, 'evidence-');
}

/** Every object's whole evidence, stored with the result under the same key; undefined when absent or stale. */
export async function readEvidence(dir: string, root: string, options: AuditOptions, key: string, resultId: string): Promise<StoredEvidence | undefined> {
  const raw = await readFile(path.join(dir, evidenceName(root, options)), 'utf8').catch(() => undefined);
  if (raw === undefined) return undefined;
  try {
    const stored = JSON.parse(raw) as Partial<StoredEvidenceFile> | null;
    // A wrong or broken file only means explain analyses again: nothing to report.
    if (stored?.format !== RESULT_FORMAT || stored.key !== key || stored.resultId !== resultId || typeof stored.evidence?.objects !== 'object') return undefined;
    return stored.evidence;
  } catch {
    return undefined;
  }
}

/**
 * Stores the analysis (best effort). Serialised before the first await, so changes the caller
 * makes to the findings afterwards (suppression) never reach the stored copy.
 */
export function writeResult(dir: string, root: string, options: AuditOptions, key: string, analysis: CodeAnalysis, evidence: StoredEvidence | undefined): Promise<void> {
  const id = randomUUID();
  // A cache-discarded event said something about this run's cache, not about the code.
  const stored: StoredResult = { format: RESULT_FORMAT, key, id, analysis: { ...analysis, events: analysis.events.filter((e) => e.kind !== 'cache-discarded'), inputs: [] } };
  const name = entryName(root, options);
  const writes = [
    writeCacheFile(dir, name, JSON.stringify(stored)),
    writeCacheFile(dir, inputsName(name), JSON.stringify({ format: RESULT_FORMAT, key, resultId: id, inputs: analysis.inputs } satisfies StoredInputs)),
  ];
  if (evidence !== undefined) writes.push(writeCacheFile(dir, evidenceName(root, options), JSON.stringify({ format: RESULT_FORMAT, key, resultId: id, evidence } satisfies StoredEvidenceFile)));
  return Promise.all(writes).then(() => undefined);
}
