import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalysisEvent } from '../catalog.js';
import { discardCacheFile, readCacheJson, writeCacheFile } from '../schema/cache.js';
import { toolInfo } from '../report/tool.js';
import { lineStarts } from '../text/lines.js';
import type { FileScan } from './types.js';

/**
 * What scanning a file found, kept between runs so a warm run parses only the files that
 * changed (issue 12). One pack per scanned root holds every file's entry: one read and one
 * write per run costs less than a thousand small files, and a run keeps only the entries of
 * files it saw, so deleted files leave nothing behind.
 *
 * An entry is reused when the file's content, everything the whole scan depends on (the tool's
 * build, the schema's names, the rules, the SQL tags: `runKey`) and the file's own inputs (test
 * file or not, the packages it may use) are the same, and when every lookup the scan made
 * outside the file (another module's exported constants, a workspace package's libraries)
 * still answers the same: those are replayed before the entry is trusted.
 */

/** Bump when FileScan or what a scan records changes shape. */
const PACK_FORMAT = 1;

/** A lookup the scan of a file made outside it: its kind, its question and a hash of the answer. */
export type ScanDependency = [kind: string, question: string, answer: string];

interface PackEntry {
  /** Content hash and the file's own inputs. */
  key: string;
  dependencies: ScanDependency[];
  /** The scan without `file` and `lineStarts`, which are rebuilt from the path and text. */
  scan: Omit<FileScan, 'file' | 'lineStarts'>;
}

interface Pack {
  format: number;
  runKey: string;
  entries: Record<string, PackEntry>;
}

export interface ScanCacheStats {
  hits: number;
  misses: number;
}

export class ScanCache {
  private readonly next: Record<string, PackEntry> = {};
  private changed = false;
  readonly stats: ScanCacheStats = { hits: 0, misses: 0 };

  private constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly runKey: string,
    private readonly previous: Record<string, PackEntry>,
  ) {}

  /** The cache of one root; an unreadable pack is deleted (a `cache-discarded` event) and rebuilt. */
  static async open(dir: string, root: string, runKey: string, events: AnalysisEvent[]): Promise<ScanCache> {
    const name = `scan-${hash(path.resolve(root)).slice(0, 16)}.json`;
    const parsed = await readCacheJson(dir, name, events);
    let entries: Record<string, PackEntry> = {};
    if (parsed !== undefined) {
      const problem = packProblem(parsed);
      if (typeof problem === 'string') events.push(await discardCacheFile(dir, name, problem));
      else if (problem.runKey === runKey) entries = problem.entries;
    }
    return new ScanCache(dir, name, runKey, entries);
  }

  /**
   * The cached scan of `file` when its entry still holds: same key, and every recorded lookup
   * gives the same answer now (`replay` asks it again).
   */
  get(file: string, key: string, text: string, replay: (dependency: ScanDependency) => boolean): FileScan | undefined {
    const entry = this.previous[file];
    if (entry === undefined || entry.key !== key || !entry.dependencies.every(replay)) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    this.next[file] = entry;
    // Not copied: the pack is written (serialised at once) before anything reads the scans.
    return { ...entry.scan, file, lineStarts: lineStarts(text) };
  }

  set(file: string, key: string, scan: FileScan, dependencies: ScanDependency[]): void {
    const { file: _file, lineStarts: _lineStarts, ...rest } = scan;
    this.next[file] = { key, dependencies, scan: rest };
    this.changed = true;
  }

  /**
   * Writes the pack when something changed or a file went away; best effort, like every cache
   * write. The pack is serialised before this returns its promise, so later changes to the scans
   * (a shared root's renamed files) never reach it.
   */
  async save(): Promise<void> {
    const dropped = Object.keys(this.previous).some((file) => this.next[file] === undefined);
    if (!this.changed && !dropped) return;
    const pack: Pack = { format: PACK_FORMAT, runKey: this.runKey, entries: this.next };
    await writeCacheFile(this.dir, this.name, JSON.stringify(pack));
  }
}

/** The pack, or why it cannot be used. */
function packProblem(parsed: unknown): Pack | string {
  const pack = parsed as Partial<Pack> | null;
  if (pack === null || typeof pack !== 'object' || typeof pack.runKey !== 'string' || typeof pack.entries !== 'object' || pack.entries === null) {
    return 'it is not a scan cache';
  }
  // Another format is another build's: not broken, just not ours to read.
  if (pack.format !== PACK_FORMAT) return { format: PACK_FORMAT, runKey: '', entries: {} };
  for (const entry of Object.values(pack.entries)) {
    const e = entry as Partial<PackEntry> | null;
    if (e === null || typeof e !== 'object' || typeof e.key !== 'string' || !Array.isArray(e.dependencies) || typeof e.scan !== 'object' || e.scan === null) {
      return 'an entry has the wrong shape';
    }
  }
  return pack as Pack;
}

export function hash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

let buildFingerprint: string | undefined;

/**
 * The tool's own build: its version plus the size and time of every module of it, so a
 * rebuilt checkout (same version, new code) never reuses what older code found.
 */
export function toolFingerprint(): string {
  if (buildFingerprint !== undefined) return buildFingerprint;
  // This module is <package>/src/scan/cache.{ts,js} (under dist/ when built): its package's src/ and rules/.
  const base = fileURLToPath(new URL('../../', import.meta.url));
  const parts = [toolInfo().version];
  for (const folder of ['src', 'rules']) collectStamps(path.join(base, folder), parts);
  buildFingerprint = hash(parts.join('\n'));
  return buildFingerprint;
}

function collectStamps(dir: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const full = path.join(dir, name);
    if (/\.(?:js|ts|mjs)$/.test(name)) {
      const info = statSync(full, { throwIfNoEntry: false });
      if (info !== undefined) out.push(`${full}\0${info.size}\0${info.mtimeMs}`);
    } else if (!name.includes('.') && name !== 'node_modules') collectStamps(full, out);
  }
}
