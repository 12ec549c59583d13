import { STRENGTH_RANK, EVIDENCE_RULES } from './liveness.js';
import { MAX_EVIDENCE, keptEvidence } from './evidence-list.js';
import type { Evidence, EvidenceKind, EvidenceRole } from './types.js';

/** A test on what an item is and does, answerable from a shared run's summary without visiting its items. */
export type KindRoleTest = (kind: EvidenceKind, role: EvidenceRole) => boolean;

interface RunSummary {
  /** Items per kind, and the roles seen with it. */
  kinds: Map<EvidenceKind, { count: number; roles: Set<EvidenceRole> }>;
  /** Per kind, the first MAX_EVIDENCE items in (file, line) order: all a kept list can take from this run. */
  top?: Map<EvidenceKind, Evidence[]>;
}

/** Summaries of shared runs, computed once however many objects hold the run. */
const summaries = new WeakMap<readonly Evidence[], RunSummary>();

function summaryOf(run: readonly Evidence[]): RunSummary {
  let summary = summaries.get(run);
  if (summary !== undefined) return summary;
  summary = { kinds: new Map() };
  for (const item of run) {
    const entry = summary.kinds.get(item.kind);
    if (entry === undefined) summary.kinds.set(item.kind, { count: 1, roles: new Set([item.role]) });
    else {
      entry.count++;
      entry.roles.add(item.role);
    }
  }
  summaries.set(run, summary);
  return summary;
}

const byPlace = (a: Evidence, b: Evidence): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);
const strength = (kind: EvidenceKind): number => STRENGTH_RANK.get(kind) ?? EVIDENCE_RULES.length;
/** The order findings list evidence in: strongest kind first, then by place (a stable sort keeps ties in order). */
export const byStrength = (a: Evidence, b: Evidence): number => strength(a.kind) - strength(b.kind) || byPlace(a, b);

function topOf(run: readonly Evidence[]): Map<EvidenceKind, Evidence[]> {
  const summary = summaryOf(run);
  if (summary.top !== undefined) return summary.top;
  const top = new Map<EvidenceKind, Evidence[]>();
  for (const kind of summary.kinds.keys()) top.set(kind, firstByPlace(run.filter((e) => e.kind === kind), MAX_EVIDENCE));
  summary.top = top;
  return top;
}

/** True when some item of a shared run passes `test`, from its summary (no item is visited). */
export function runMay(run: readonly Evidence[], test: KindRoleTest): boolean {
  for (const [kind, { roles }] of summaryOf(run).kinds) for (const role of roles) if (test(kind, role)) return true;
  return false;
}

/** The first `limit` items in (file, line) order, ties in list order. */
function firstByPlace(items: readonly Evidence[], limit: number): Evidence[] {
  return [...items].sort(byPlace).slice(0, limit);
}

/**
 * The evidence of one object. A name's mentions are the same list for every column so named
 * (`id` sits on every table and has thousands of mentions), so such a list is held by reference
 * as a shared run and summarised once, instead of being copied into every column's list and
 * sorted per column: that made matching grow with tables × mentions, superlinear in repository
 * size. Items keep the order they were added in, so results equal those of one flat list.
 */
export class EvidenceBag {
  /** Runs in the order they were added; the last one may be this bag's own (mutable) run. */
  private readonly runs: (readonly Evidence[])[] = [];
  /** Runs this bag owns and may append to; every other run is shared and never changed. */
  private readonly own = new Set<readonly Evidence[]>();
  private size = 0;

  static of(items: Iterable<Evidence>): EvidenceBag {
    const bag = new EvidenceBag();
    for (const item of items) bag.add(item);
    return bag;
  }

  get length(): number {
    return this.size;
  }

  add(item: Evidence): void {
    const last = this.runs[this.runs.length - 1];
    if (last !== undefined && this.own.has(last)) (last as Evidence[]).push(item);
    else {
      const run = [item];
      this.runs.push(run);
      this.own.add(run);
    }
    this.size++;
  }

  /** A list shared with other objects, held by reference: it must not change afterwards. */
  addShared(run: readonly Evidence[]): void {
    if (run.length === 0) return;
    this.runs.push(run);
    this.size += run.length;
  }

  /** Every item of another bag (a partition's evidence for its parent), its shared runs by reference. */
  addAll(other: EvidenceBag): void {
    for (const run of other.runs) {
      if (other.own.has(run)) for (const item of run) this.add(item);
      else this.addShared(run);
    }
  }

  /** The runs in order, each marked shared (held by reference) or this bag's own. */
  segments(): { items: readonly Evidence[]; shared: boolean }[] {
    return this.runs.map((items) => ({ items, shared: !this.own.has(items) }));
  }

  *[Symbol.iterator](): Iterator<Evidence> {
    for (const run of this.runs) yield* run;
  }

  /** True when some item's kind and role pass `test`; shared runs answer from their summaries. */
  has(test: KindRoleTest): boolean {
    for (const run of this.runs) {
      if (this.own.has(run)) {
        if (run.some((e) => test(e.kind, e.role))) return true;
      } else if (runMay(run, test)) return true;
    }
    return false;
  }

  hasKind(kind: EvidenceKind): boolean {
    return this.has((k) => k === kind);
  }

  /** The items passing `test`, in order; shared runs whose summary cannot pass are skipped unvisited. */
  filter(test: KindRoleTest, more: (e: Evidence) => boolean = () => true): Evidence[] {
    const out: Evidence[] = [];
    for (const run of this.runs) {
      if (!this.own.has(run) && !runMay(run, test)) continue;
      for (const item of run) if (test(item.kind, item.role) && more(item)) out.push(item);
    }
    return out;
  }

  /**
   * A bag whose items are `change`d (a kind renamed, say). A shared run maps once per `change`
   * however many bags hold it, so the result shares runs too.
   */
  map(change: MappedRuns): EvidenceBag {
    const out = new EvidenceBag();
    for (const run of this.runs) {
      if (this.own.has(run)) for (const item of run) out.add(change.item(item));
      else out.addShared(change.run(run));
    }
    return out;
  }

  countByKind(): Partial<Record<EvidenceKind, number>> {
    const out: Partial<Record<EvidenceKind, number>> = {};
    for (const run of this.runs) {
      if (this.own.has(run)) for (const item of run) out[item.kind] = (out[item.kind] ?? 0) + 1;
      else for (const [kind, { count }] of summaryOf(run).kinds) out[kind] = (out[kind] ?? 0) + count;
    }
    return out;
  }

  /** Every item, strongest first (what explain lists). */
  sorted(): Evidence[] {
    return [...this].sort(byStrength);
  }

  /**
   * What a finding lists: keptEvidence() of the sorted items. No kind gives it more than
   * MAX_EVIDENCE items, so only each run's first MAX_EVIDENCE per kind are candidates.
   */
  kept(): Evidence[] {
    if (this.size <= MAX_EVIDENCE) return this.sorted();
    // Per kind, each run's items in place order (a shared run's are summarised once), in run order.
    const lists = new Map<EvidenceKind, Evidence[][]>();
    const addList = (kind: EvidenceKind, items: Evidence[]): void => {
      const known = lists.get(kind);
      if (known === undefined) lists.set(kind, [items]);
      else known.push(items);
    };
    for (const run of this.runs) {
      if (!this.own.has(run)) {
        for (const [kind, items] of topOf(run)) addList(kind, items);
        continue;
      }
      const byKind = new Map<EvidenceKind, Evidence[]>();
      for (const item of run) {
        const items = byKind.get(item.kind);
        if (items === undefined) byKind.set(item.kind, [item]);
        else items.push(item);
      }
      for (const [kind, items] of byKind) addList(kind, items.sort(byPlace));
    }
    const sorted: Evidence[] = [];
    for (const kind of [...lists.keys()].sort((a, b) => strength(a) - strength(b))) sorted.push(...firstMerged(lists.get(kind)!, MAX_EVIDENCE));
    return keptEvidence(sorted);
  }
}

/**
 * The first `limit` items of lists each in place order, merged: a tie goes to the earlier list,
 * as a stable sort of the lists laid end to end would order it. No kind gives a finding more
 * than MAX_EVIDENCE items, so this is all keptEvidence() can take of a kind.
 */
function firstMerged(lists: readonly Evidence[][], limit: number): Evidence[] {
  if (lists.length === 1) return lists[0]!.slice(0, limit);
  const next = lists.map(() => 0);
  const out: Evidence[] = [];
  while (out.length < limit) {
    let best = -1;
    for (let list = 0; list < lists.length; list++) {
      const item = lists[list]![next[list]!];
      if (item !== undefined && (best === -1 || byPlace(item, lists[best]![next[best]!]!) < 0)) best = list;
    }
    if (best === -1) break;
    out.push(lists[best]![next[best]!++]!);
  }
  return out;
}

/** How map() changes items, with the shared-run results remembered. */
export class MappedRuns {
  private readonly done = new WeakMap<readonly Evidence[], readonly Evidence[]>();
  constructor(readonly item: (e: Evidence) => Evidence) {}
  run(run: readonly Evidence[]): readonly Evidence[] {
    let mapped = this.done.get(run);
    if (mapped === undefined) {
      mapped = run.map(this.item);
      this.done.set(run, mapped);
    }
    return mapped;
  }
}
