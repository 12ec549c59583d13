import type { AnalysisEvent } from '../catalog.js';
import { pruneCache, readCacheJson, writeCacheFile } from '../schema/cache.js';
import { hash } from '../scan/cache.js';
import type { FragmentContext } from './fragments.js';
import type { SqlAnalysis, SqlTemplate } from './types.js';

/**
 * What analysing each embedded statement found, kept between runs for one schema (issue 12):
 * after one file changes, only its statements are parsed again, not the repository's thousands.
 * An entry is keyed by the statement's template (text, holes and their offsets, so the positions
 * its references carry are right) and the relations a fragment belongs to; the pack by the
 * schema the names resolved against. A run keeps only the entries it used.
 */

/** Bump when SqlAnalysis or what analysis finds changes without the tool's build changing. */
const PACK_FORMAT = 1;

interface Pack {
  format: number;
  entries: Record<string, SqlAnalysis>;
}

export class SqlAnalysisCache {
  private readonly next: Record<string, SqlAnalysis> = {};
  private added = 0;

  private constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly previous: Record<string, SqlAnalysis>,
  ) {}

  /** The pack for one schema (`schemaKey`: a hash of the catalog and the tool's build). */
  static async open(dir: string, schemaKey: string, events: AnalysisEvent[]): Promise<SqlAnalysisCache> {
    const name = `sql-${schemaKey.slice(0, 16)}.json`;
    const pack = (await readCacheJson(dir, name, events)) as Partial<Pack> | null | undefined;
    let entries: Record<string, SqlAnalysis> = {};
    if (pack !== null && typeof pack === 'object' && pack.format === PACK_FORMAT && typeof pack.entries === 'object' && pack.entries !== null) entries = pack.entries;
    return new SqlAnalysisCache(dir, name, entries);
  }

  /** `analyse` runs only when the same statement at the same place was not analysed last time. */
  analysis(template: SqlTemplate, context: FragmentContext | undefined, analyse: () => SqlAnalysis): SqlAnalysis {
    const key = hash(JSON.stringify(context === undefined ? [template] : [template, context]));
    let found = this.next[key] ?? this.previous[key];
    if (found === undefined || !isAnalysis(found)) {
      found = analyse();
      this.added++;
    }
    this.next[key] = found;
    return found;
  }

  /** Written when something was added or an entry went unused (every other entry was used); best effort. */
  async save(): Promise<void> {
    if (this.added === 0 && Object.keys(this.next).length === Object.keys(this.previous).length) return;
    await writeCacheFile(this.dir, this.name, JSON.stringify({ format: PACK_FORMAT, entries: this.next } satisfies Pack));
    // A new pack means a new schema (or build): drop the oldest packs beyond the few kept.
    if (Object.keys(this.previous).length === 0) await pruneCache(this.dir);
  }
}

function isAnalysis(value: unknown): value is SqlAnalysis {
  const analysis = value as Partial<SqlAnalysis> | null;
  return analysis !== null && typeof analysis === 'object' && typeof analysis.outcome === 'string' && Array.isArray(analysis.refs);
}
