import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { CatalogObjectKind } from '../catalog.js';
import { ConfigError, messageOf } from '../errors.js';
import type { Confidence, Finding, Reason } from '../match/types.js';

export { BASELINE_FILE } from './baseline-file.js';
export const BASELINE_VERSION = 1;

/** What the baseline remembers about one dead object; the id is the key, never a line number. */
export interface BaselineEntry {
  kind: CatalogObjectKind;
  verdict: 'write-only' | 'unreferenced';
  confidence: Confidence;
  reasons: Reason[];
  /** The day (UTC, YYYY-MM-DD) the object first went into the baseline. */
  since: string;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  /** Keyed by object id, sorted. */
  findings: Record<string, BaselineEntry>;
}

const KINDS = ['table', 'column', 'view', 'materializedView', 'function', 'procedure', 'trigger', 'type', 'sequence'] as const;

const entrySchema = z.strictObject({
  kind: z.enum(KINDS),
  verdict: z.enum(['write-only', 'unreferenced']),
  confidence: z.enum(['high', 'medium', 'low']),
  // Reasons are informative only; a newer tool may know reasons this one does not.
  reasons: z.array(z.string()),
  since: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a YYYY-MM-DD date'),
});

const baselineSchema = z.strictObject({
  version: z.literal(BASELINE_VERSION),
  findings: z.record(z.string().min(1), entrySchema),
});

/** The baseline in `file`, or undefined when there is none; a file that is there but wrong is an error. */
export async function loadBaseline(file: string): Promise<Baseline | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read baseline ${file}`, { path: file, reason: messageOf(error), cause: error });
  }
  return parseBaseline(text, file);
}

export function parseBaseline(text: string, file: string): Baseline {
  const hint = 'regenerate it with `dead-schema baseline`, or pass --no-baseline';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`baseline ${file} is not valid JSON`, { path: file, reason: messageOf(error), hint });
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.map(String).join('.')}: `;
    throw new ConfigError(`baseline ${file} is malformed`, { path: file, reason: `${where}${issue?.message ?? 'invalid'}`, hint });
  }
  return parsed.data as Baseline;
}

/**
 * The dead findings as a baseline. An id already in `previous` keeps its `since`, so rewriting
 * the baseline changes only the lines of objects that really changed.
 */
export function buildBaseline(findings: readonly Finding[], previous: Baseline | undefined, today: Date): Baseline {
  const day = today.toISOString().slice(0, 10);
  const dead = findings.filter((f) => f.verdict !== 'alive' && f.confidence !== null);
  dead.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const entries: Record<string, BaselineEntry> = {};
  for (const f of dead) {
    entries[f.id] = {
      kind: f.kind,
      verdict: f.verdict as BaselineEntry['verdict'],
      confidence: f.confidence!,
      reasons: [...f.reasons].sort(),
      since: previous?.findings[f.id]?.since ?? day,
    };
  }
  return { version: BASELINE_VERSION, findings: entries };
}

/** Stable text: sorted ids, two-space indent, one trailing newline. */
export function formatBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

export async function writeBaseline(file: string, baseline: Baseline): Promise<void> {
  try {
    await writeFile(file, formatBaseline(baseline));
  } catch (error) {
    throw new ConfigError(`cannot write baseline ${file}`, { path: file, reason: messageOf(error), cause: error });
  }
}
