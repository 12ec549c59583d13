import { byStrength, type EvidenceBag } from './evidence-bag.js';
import type { Evidence, EvidenceKind, EvidenceRole } from './types.js';

/**
 * Every object's evidence in full, kept beside a stored result so `explain` right after an
 * audit lists all of it without analysing again (a finding keeps only 25). Compact because it
 * is written on every analysis: a run shared by many objects (a name's mentions) is stored once
 * and referred to by index, and each item is a tuple with its file named by index.
 */
export interface StoredEvidence {
  files: string[];
  runs: EncodedItem[][];
  /** Per object id, its runs in order: an index into `runs`, or its own items. */
  objects: Record<string, (number | EncodedItem[])[]>;
}

type EncodedItem = [file: number, line: number, column: number, kind: EvidenceKind, role: EvidenceRole, via?: string];

export function encodeEvidence(bags: ReadonlyMap<string, EvidenceBag>): StoredEvidence {
  const files: string[] = [];
  const fileIndex = new Map<string, number>();
  const encode = (item: Evidence): EncodedItem => {
    let index = fileIndex.get(item.file);
    if (index === undefined) {
      index = files.length;
      files.push(item.file);
      fileIndex.set(item.file, index);
    }
    const tuple: EncodedItem = [index, item.line, item.column, item.kind, item.role];
    if (item.via !== undefined) tuple.push(item.via);
    return tuple;
  };
  const runs: EncodedItem[][] = [];
  const runIndex = new Map<readonly Evidence[], number>();
  const objects: StoredEvidence['objects'] = {};
  for (const [id, bag] of bags) {
    objects[id] = bag.segments().map(({ items, shared }) => {
      if (!shared) return items.map(encode);
      let index = runIndex.get(items);
      if (index === undefined) {
        index = runs.length;
        runs.push(items.map(encode));
        runIndex.set(items, index);
      }
      return index;
    });
  }
  return { files, runs, objects };
}

/** An object's every piece of evidence, strongest first (as EvidenceBag.sorted()); undefined when not stored. */
export function fullEvidence(stored: StoredEvidence, id: string): Evidence[] | undefined {
  const segments = stored.objects[id];
  if (segments === undefined) return undefined;
  const decode = ([file, line, column, kind, role, via]: EncodedItem): Evidence => ({ file: stored.files[file]!, line, column, kind, role, ...(via === undefined ? {} : { via }) });
  const items = segments.flatMap((segment) => (typeof segment === 'number' ? (stored.runs[segment] ?? []) : segment).map(decode));
  return items.sort(byStrength);
}
