import type { AnalysisEvent, Catalog } from '../catalog.js';
import { ConfigError } from '../errors.js';
import type { Finding } from '../match/types.js';
import type { Baseline } from './baseline.js';
import { commentIgnores } from './comments.js';
import { compileIdGlob, globSchema } from './glob.js';

export type { Baseline, BaselineEntry } from './baseline.js';
// The baseline's functions are imported from baseline.js where needed: re-exporting them here
// would load its schema library (zod) on every run.
export { compileIdGlob } from './glob.js';

/** A config `ignore` entry: an object-id glob and why its findings are hidden. */
export interface IgnoreEntry {
  id: string;
  reason: string;
}

export interface SuppressInput {
  catalog: Catalog;
  /** Every verdict, alive ones included: staleness is judged on all of them. */
  verdicts: readonly Finding[];
  ignore?: readonly IgnoreEntry[];
  baseline?: Baseline;
  /** Report stale entries and count, but hide nothing (explain shows every object). */
  keepSuppressed?: boolean;
}

export interface SuppressResult {
  /** The verdicts still to report. */
  kept: Finding[];
  suppressed: { ignored: number; baselined: number };
  events: AnalysisEvent[];
}

type Status = 'alive' | 'dead';

/**
 * The one place findings are hidden. Precedence: a comment in the schema, then a config ignore,
 * then the baseline; each hidden finding counts once. An entry is stale when it matches no dead
 * object: the object was dropped or is used again, so the entry can go.
 */
export function applySuppressions(input: SuppressInput): SuppressResult {
  const { catalog, verdicts } = input;
  const status = objectStatus(catalog, verdicts);
  const audited = new Set(catalog.schemas);
  const events: AnalysisEvent[] = [];
  const definedAt = new Map(verdicts.map((f) => [f.id, f.definedAt]));
  const at = (id: string): Pick<AnalysisEvent, 'file' | 'line'> => {
    const where = definedAt.get(id);
    return where === undefined ? {} : { file: where.file, line: where.line };
  };

  const byComment = new Map<string, string>();
  for (const ignore of commentIgnores(catalog)) {
    if (ignore.reason === '') {
      events.push({
        kind: 'invalid-ignore',
        id: ignore.id,
        message: `the comment on ${ignore.id} has @dead-schema-ignore without a reason, so it hides nothing; write "@dead-schema-ignore: <why it stays>"`,
        ...at(ignore.id),
      });
      continue;
    }
    byComment.set(ignore.id, ignore.reason);
    if (status.get(ignore.id) === 'alive') {
      events.push({
        kind: 'stale-ignore',
        id: ignore.id,
        reason: ignore.reason,
        message: `${ignore.id} is alive, so the @dead-schema-ignore in its comment hides nothing; remove it (reason was: ${ignore.reason})`,
        ...at(ignore.id),
      });
    }
  }

  const globs = (input.ignore ?? []).map((entry) => {
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '') {
      throw new ConfigError(`ignore entry "${entry.id}" has no reason`, { hint: 'give each ignore entry a reason: { "id": "...", "reason": "why it stays" }' });
    }
    return { entry, matches: compileIdGlob(entry.id) };
  });
  for (const { entry, matches } of globs) {
    const schema = globSchema(entry.id);
    // An entry about a schema this run does not audit says nothing about staleness.
    if (schema !== undefined && !audited.has(schema)) continue;
    let any = false;
    let dead = false;
    for (const [id, s] of status) {
      if (!matches(id)) continue;
      any = true;
      if (s === 'dead') {
        dead = true;
        break;
      }
    }
    if (dead) continue;
    events.push({
      kind: 'stale-ignore',
      id: entry.id,
      reason: entry.reason,
      message: any
        ? `ignore "${entry.id}" matches only alive objects, so it hides nothing; remove it from the config (reason was: ${entry.reason})`
        : `ignore "${entry.id}" matches no object in the schema; remove or fix it in the config (reason was: ${entry.reason})`,
    });
  }

  const baselined = new Set<string>();
  for (const id of Object.keys(input.baseline?.findings ?? {}).sort()) {
    const s = status.get(id);
    if (s === 'dead') {
      baselined.add(id);
      continue;
    }
    if (s === undefined && !audited.has(schemaOfId(id))) continue;
    events.push({
      kind: 'stale-baseline',
      id,
      message:
        s === 'alive'
          ? `${id} is alive now; run \`dead-schema baseline\` to drop it from the baseline`
          : `${id} is no longer in the schema; run \`dead-schema baseline\` to drop it from the baseline`,
    });
  }

  const suppressed = { ignored: 0, baselined: 0 };
  const kept: Finding[] = [];
  for (const finding of verdicts) {
    const why = finding.verdict === 'alive' ? undefined : suppressionOf(finding.id);
    if (why !== undefined) suppressed[why.kind]++;
    if (why === undefined) kept.push(finding);
    else if (input.keepSuppressed) kept.push({ ...finding, suppressed: why.text });
  }
  return { kept, suppressed, events };

  function suppressionOf(id: string): { kind: 'ignored' | 'baselined'; text: string } | undefined {
    const comment = byComment.get(id);
    if (comment !== undefined) return { kind: 'ignored', text: `@dead-schema-ignore comment: ${comment}` };
    const glob = globs.find((g) => g.matches(id));
    if (glob !== undefined) return { kind: 'ignored', text: `config ignore "${glob.entry.id}": ${glob.entry.reason}` };
    return baselined.has(id) ? { kind: 'baselined', text: 'in the baseline file' } : undefined;
  }
}

/**
 * Alive or dead for every object in the catalog. An object without a finding of its own was
 * folded into its parent (columns of a dead table or of a view, triggers of a dead relation,
 * partitions, owned sequences) and shares its parent's status. Extension-owned objects are
 * nobody's to ignore and are left out.
 */
function objectStatus(catalog: Catalog, verdicts: readonly Finding[]): Map<string, Status> {
  const own = new Map<string, Status>(verdicts.map((f) => [f.id, f.verdict === 'alive' ? 'alive' : 'dead']));
  const parent = new Map<string, string>();
  const ids: string[] = [];
  for (const relation of catalog.relations) {
    if (relation.extensionOwned) continue;
    ids.push(relation.id);
    if (relation.partitionOf !== null) parent.set(relation.id, relation.partitionOf);
    for (const column of relation.columns) {
      const id = `${relation.id}.${column.name}`;
      ids.push(id);
      parent.set(id, relation.id);
    }
  }
  for (const fn of catalog.functions) if (!fn.extensionOwned) ids.push(fn.id);
  for (const trigger of catalog.triggers) {
    if (trigger.extensionOwned) continue;
    ids.push(trigger.id);
    parent.set(trigger.id, trigger.relationId);
  }
  for (const type of catalog.types) if (!type.extensionOwned) ids.push(type.id);
  for (const sequence of catalog.sequences) {
    if (sequence.extensionOwned) continue;
    ids.push(sequence.id);
    if (sequence.ownedBy !== null) parent.set(sequence.id, sequence.ownedBy);
  }

  const resolve = (id: string, depth = 0): Status | undefined => {
    const mine = own.get(id);
    if (mine !== undefined) return mine;
    const up = parent.get(id);
    return up === undefined || depth > 8 ? undefined : resolve(up, depth + 1);
  };
  const status = new Map<string, Status>();
  for (const id of ids) {
    const s = resolve(id);
    if (s !== undefined) status.set(id, s);
  }
  return status;
}

function schemaOfId(id: string): string {
  const dot = id.indexOf('.');
  return dot === -1 ? id : id.slice(0, dot);
}
