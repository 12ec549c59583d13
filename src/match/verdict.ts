import { relationObjectKind, type Catalog, type CatalogObjectKind, type CatalogRelation, type CatalogTrigger } from '../catalog.js';
import type { SchemaLookup } from '../sql/types.js';
import type { CodeEvidence } from './collect.js';
import { databaseEvidence } from './database-evidence.js';
import { propagateInternalUses } from './internal.js';
import { EvidenceBag, MappedRuns, runMay, type KindRoleTest } from './evidence-bag.js';
import { nearModelEvidence } from './near-models.js';
import { EVIDENCE_RULES, LIVE_KINDS, PROVES_RELATION, SENT_SQL, SITUATION_CAPS } from './liveness.js';
import { isCommonName, nameEvidence, type NameMatching } from './names.js';
import { CONFIDENCE_RANK, type Confidence, type Evidence, type Finding, type Reason, type Verdict } from './types.js';

/** Evidence kept per finding unless the caller asks for all of it (explain). */
export interface DecideInput {
  catalog: Catalog;
  lookup: SchemaLookup;
  code: CodeEvidence;
  definedAt: Record<string, { file: string; line: number }>;
  /** Keep every piece of evidence instead of the strongest 25. */
  allEvidence?: boolean;
  /** Receives every finding's whole evidence (for a stored result's evidence file). */
  evidenceSink?: Map<string, EvidenceBag>;
  names?: NameMatching;
  /** No source file was scanned (`--allow-no-code`): absence of evidence proves little, so every dead verdict is low. */
  noCodeScanned?: boolean;
}

const reads: KindRoleTest = (kind, role) => LIVE_KINDS.has(kind) && (role === 'read' || role === 'call' || role === 'mention');
const writes: KindRoleTest = (kind, role) => LIVE_KINDS.has(kind) && (role === 'write' || role === 'delete' || role === 'truncate');
const isRead = (e: Evidence): boolean => reads(e.kind, e.role);
const readsProvingRelation: KindRoleTest = (kind, role) => reads(kind, role) && PROVES_RELATION.has(kind);
const sentWrites: KindRoleTest = (kind, role) => writes(kind, role) && SENT_SQL.has(kind);
const ofKind =
  (wanted: Evidence['kind']): KindRoleTest =>
  (kind) =>
    kind === wanted;

/** Every catalog object with its verdict, confidence, reasons and evidence. */
export function decideVerdicts(input: DecideInput): Finding[] {
  const { catalog, code } = input;
  const matching = input.names === undefined ? {} : { matching: input.names };
  const evidence = new Map<string, EvidenceBag>();
  for (const [id, list] of code.byObject) evidence.set(id, EvidenceBag.of(list));
  const bagOf = (id: string): EvidenceBag => {
    let bag = evidence.get(id);
    if (bag === undefined) {
      bag = new EvidenceBag();
      evidence.set(id, bag);
    }
    return bag;
  };
  const add = (id: string, item: Evidence): void => bagOf(id).add(item);
  /** An object's evidence, empty when it has none (never stored). */
  const none = new EvidenceBag();
  const evidenceOf = (id: string): EvidenceBag => evidence.get(id) ?? none;

  // A name shared with a table the code never touches (a backup copy made by a migration)
  // does not make it ambiguous; one shared with another table in use does.
  const isTable = (r: CatalogRelation): boolean => r.kind !== 'view' && r.kind !== 'materializedView' && r.partitionOf === null;
  const touchedByCode = (r: CatalogRelation): boolean =>
    (code.byObject.get(r.id) ?? []).some((e) => SENT_SQL.has(e.kind)) ||
    r.columns.some((c) => (code.byObject.get(`${r.id}.${c.name}`) ?? []).some((e) => SENT_SQL.has(e.kind)));
  const shareAll = new Map<string, number>();
  const shareTouched = new Map<string, number>();
  const touched = new Set<string>();
  for (const relation of catalog.relations.filter(isTable)) {
    const isTouched = touchedByCode(relation);
    if (isTouched) touched.add(relation.id);
    for (const column of relation.columns) {
      shareAll.set(column.name, (shareAll.get(column.name) ?? 0) + 1);
      if (isTouched) shareTouched.set(column.name, (shareTouched.get(column.name) ?? 0) + 1);
    }
  }
  const sharedBy = (relation: CatalogRelation, column: string): number => {
    const all = shareAll.get(column) ?? 0;
    if (all <= 1) return all;
    return touched.has(relation.id) && shareTouched.get(column) === 1 ? 1 : all;
  };

  for (const relation of catalog.relations) {
    // Where an ORM models the tables the code uses, a table no model declares is reached only by
    // SQL, which is parsed: a string spelled like it is then data, not a query argument.
    const unmodelled = code.modelledRelations.size > 0 && isTable(relation) && !code.modelledRelations.has(relation.id) && !(code.byObject.get(relation.id) ?? []).some((e) => e.kind === 'model');
    const otherLanguageFiles = new Set<string>();
    for (const run of nameEvidence(relation.name, code, { sharedBy: 0, isRelation: true, ...matching })) {
      for (const item of run) {
        if (item.kind === 'other-language') otherLanguageFiles.add(item.file);
        add(relation.id, unmodelled && item.kind === 'name-match' ? { ...item, kind: 'common-name' } : item);
      }
    }
    // A view column's spelling is its base column's: only SQL naming the view says the view is used.
    if (!isTable(relation)) continue;
    for (const column of relation.columns) {
      const columnId = `${relation.id}.${column.name}`;
      const shared = sharedBy(relation, column.name);
      // Another language's `priority` could be any table's, unless that file names this table too.
      const common = isCommonName(column.name, shared, input.names);
      for (const run of nameEvidence(column.name, code, { sharedBy: shared, isRelation: false, ...matching })) {
        const bag = bagOf(columnId);
        // A run is shared by every column so named. When this column keeps only some of its
        // other-language words, the rest of the run stays shared and only those words are its own:
        // copying the whole run per column made `type` (100k+ mentions, on most tables) quadratic.
        // Kinds sort apart, so moving other-language items after the rest changes no list.
        if (!common || !runMay(run, ofKind('other-language'))) bag.addShared(run);
        else {
          const split = otherLanguageSplit(run);
          bag.addShared(split.rest);
          for (const item of split.otherLanguage) if (otherLanguageFiles.has(item.file)) bag.add(item);
        }
      }
    }
  }
  for (const fn of catalog.functions) for (const run of nameEvidence(fn.name, code, { sharedBy: 0, isRelation: false, ...matching })) for (const item of run) add(fn.id, item);
  for (const [relationId, items] of nearModelEvidence(catalog, code.unresolvedModels)) for (const item of items) add(relationId, item);

  const outsideModels = markColumnsOutsideModels(catalog, code.modelledRelations, evidence);

  // A partition is the parent table as far as the application is concerned.
  for (const relation of catalog.relations) {
    if (relation.partitionOf === null) continue;
    bagOf(relation.partitionOf).addAll(evidenceOf(relation.id));
  }

  const readByCode = new Set<string>();
  const writtenByCode = new Map<string, Set<Evidence['role']>>();
  for (const relation of catalog.relations) {
    const own = evidenceOf(relation.id);
    const columns = relation.columns.map((c) => evidenceOf(`${relation.id}.${c.name}`));
    // A table is read when something names it or sends SQL (or a library call) reading its
    // columns: a column name matching a property somewhere is only a possible read (issue 10).
    if (own.has(reads) || columns.some((bag) => bag.has(readsProvingRelation))) readByCode.add(relation.id);
    // Only SQL writes fire triggers and defaults; an object key with a column's name is not an INSERT.
    for (const item of [own, ...columns].flatMap((bag) => bag.filter(sentWrites))) {
      const roles = writtenByCode.get(relation.id) ?? new Set();
      roles.add(item.role);
      writtenByCode.set(relation.id, roles);
    }
  }
  for (const fn of catalog.functions) if (evidenceOf(fn.id).has(reads)) readByCode.add(fn.id);
  const columnsUsedByCode = new Set<string>();
  for (const relation of catalog.relations) {
    for (const column of relation.columns) {
      const columnId = `${relation.id}.${column.name}`;
      // A key column is used whenever its table is: rows are found and joined by it.
      if (column.isPrimaryKey || evidenceOf(columnId).has((kind, role) => reads(kind, role) || writes(kind, role))) columnsUsedByCode.add(columnId);
    }
  }

  const internal = propagateInternalUses({
    catalog,
    lookup: input.lookup,
    definedAt: input.definedAt,
    readByCode,
    writtenByCode,
    columnsUsedByCode,
    // postgres.js `sql.listen('orders')`, pg-listen `listenTo('orders')`, SQL `LISTEN orders`.
    isListened: (channel) =>
      (code.mentions.get(channel) ?? []).some((m) => m.evidence.kind === 'name-match' || m.evidence.kind === 'other-language') ||
      (code.tokens.get(channel) ?? []).length > 0,
    addEvidence: add,
  });

  const findings: Finding[] = [];
  const finding = (kind: CatalogObjectKind, id: string, verdict: Verdict, given: EvidenceBag | Evidence[], extraReasons: Reason[] = []): Finding => {
    const items = given instanceof EvidenceBag ? given : EvidenceBag.of(given);
    input.evidenceSink?.set(id, items);
    const result: Finding = {
      kind,
      id,
      verdict,
      confidence: null,
      reasons: [],
      evidence: input.allEvidence ? items.sorted() : items.kept(),
      evidenceCount: items.length,
      evidenceByKind: items.countByKind(),
    };
    const at = input.definedAt[id];
    if (at !== undefined) result.definedAt = at;
    if (verdict !== 'alive') {
      Object.assign(result, judge(items, input.noCodeScanned ? [...extraReasons, 'no-code-scanned'] : extraReasons));
      // Every dead finding says why (issue 10, §9): a write with nothing weaker to say is the reason.
      if (verdict === 'write-only' && result.reasons.length === 0) result.reasons.push('only-writes');
    }
    findings.push(result);
    return result;
  };

  // Code reads seed aliveRelations, so it already holds every relation read by code or by the database.
  const relationVerdict = (relation: CatalogRelation): Verdict => {
    if (internal.aliveRelations.has(relation.id)) return 'alive';
    return internal.writtenRelations.has(relation.id) ? 'write-only' : 'unreferenced';
  };

  const aliveColumns = new Set<string>();
  for (const relation of catalog.relations) {
    // A platform's table (auth.users) is the platform's to maintain, not the project's.
    if (relation.extensionOwned || relation.partitionOf !== null || relation.platform !== undefined) continue;
    const kind = relationObjectKind(relation.kind);
    const verdict = relationVerdict(relation);
    const own = evidenceOf(relation.id);
    // Reasons of the table's situation, shared by its columns.
    const dynamicSql = dynamicStatementsNear(own, code.dynamicFiles);
    const situation: Reason[] = dynamicSql.length > 0 ? ['dynamic-sql-in-file'] : [];
    // Logical replication hands every row (and column) to a consumer outside the code.
    if (isReplicated(relation)) situation.push('replicated');
    // Read again after propagation: a live view or function reading a column proves its table too.
    const columns = relation.columns.map((c) => evidenceOf(`${relation.id}.${c.name}`));
    // Its columns' names matching properties elsewhere say the table may be read: shown, and
    // the confidence lowered, but they never make it alive.
    const columnNameReads = verdict === 'alive' ? [] : columns.flatMap((bag) => bag.filter((kind, role) => kind === 'name-match' && reads(kind, role)));
    // A table read only through its columns shows those reads, so its finding says why it is alive.
    const provenByColumns = verdict === 'alive' && !own.has(reads) ? columns.flatMap((bag) => bag.filter(readsProvingRelation)) : [];
    const reasons: Reason[] = columnNameReads.length > 0 ? [...situation, 'column-names-only'] : situation;
    const relationFinding = finding(kind, relation.id, verdict, withItems(own, [...columnNameReads, ...provenByColumns]), reasons);
    if (relationFinding.reasons.includes('dynamic-sql-in-file')) relationFinding.dynamicSql = dynamicSql;
    // Columns of a dead table fold into its finding; view columns go with the view.
    if (verdict !== 'alive' || kind !== 'table') continue;
    const wildcards = code.wildcards.get(relation.id) ?? [];
    for (const column of relation.columns) {
      const columnId = `${relation.id}.${column.name}`;
      const items = evidenceOf(columnId);
      const outsideModel = outsideModels.has(columnId);
      // A key identifies rows for the ORM (saves, relations) and for tools outside the code, so it
      // lives with its table; unless the table's model no longer declares it (a surrogate id
      // replaced by a composite key), when only what names it counts.
      if (column.isPrimaryKey && !outsideModel) {
        aliveColumns.add(columnId);
        finding('column', columnId, 'alive', withItems(items, [databaseEvidence(input.definedAt, relation.id, 'database', 'read', 'primary key')]));
        continue;
      }
      const columnVerdict: Verdict = items.has(reads) ? 'alive' : items.has(writes) ? 'write-only' : 'unreferenced';
      if (columnVerdict === 'alive') aliveColumns.add(columnId);
      const reasons: Reason[] = column.isPrimaryKey ? [...situation, 'primary-key'] : situation;
      // `SELECT * FROM ${table}` in a file that names this table may read any of its columns.
      const columnFinding = finding('column', columnId, columnVerdict, withItems(items, [], wildcards), reasons);
      if (columnFinding.reasons.includes('dynamic-sql-in-file')) columnFinding.dynamicSql = dynamicSql;
    }
  }

  const relationFindings = new Map(findings.map((f) => [f.id, f]));
  const triggersOf = new Map<string, CatalogTrigger[]>();
  for (const trigger of catalog.triggers) triggersOf.set(trigger.functionId, [...(triggersOf.get(trigger.functionId) ?? []), trigger]);
  for (const fn of catalog.functions) {
    if (fn.extensionOwned) continue;
    const kind: CatalogObjectKind = fn.kind === 'procedure' ? 'procedure' : 'function';
    const triggers = triggersOf.get(fn.id) ?? [];
    const channel = triggers.map((t) => internal.unheardTriggers.get(t.id)).find((c) => c !== undefined);
    const result = finding(kind, fn.id, internal.aliveFunctions.has(fn.id) ? 'alive' : 'unreferenced', evidenceOf(fn.id), channel !== undefined ? ['no-listener'] : []);
    if (channel !== undefined && result.verdict !== 'alive') result.channel = channel;
    // A trigger function runs when its table is written: it is no surer dead than that table
    // is (one a Python service may write, say).
    for (const trigger of triggers) capToDependent(result, relationFindings.get(trigger.relationId));
  }

  const deadRelations = new Set(findings.filter((f) => (f.kind === 'table' || f.kind === 'view' || f.kind === 'materializedView') && f.verdict !== 'alive' && f.verdict !== 'write-only').map((f) => f.id));
  const writeOnlyRelations = new Set(findings.filter((f) => f.kind === 'table' && f.verdict === 'write-only').map((f) => f.id));
  for (const trigger of catalog.triggers) {
    // A trigger drops with its table: only triggers on live tables are judged on their own.
    if (trigger.extensionOwned || deadRelations.has(trigger.relationId)) continue;
    const alive = internal.aliveTriggers.has(trigger.id);
    const channel = internal.unheardTriggers.get(trigger.id);
    const reasons: Reason[] = alive ? [] : channel !== undefined ? ['no-listener'] : writeOnlyRelations.has(trigger.relationId) ? [] : ['table-never-written'];
    // A service in another language that names the table may be what writes it.
    const otherLanguage = alive ? [] : evidenceOf(trigger.relationId).filter(ofKind('other-language'));
    const result = finding('trigger', trigger.id, alive ? 'alive' : 'unreferenced', withItems(evidenceOf(trigger.id), otherLanguage), reasons);
    if (!alive && channel !== undefined) result.channel = channel;
  }

  judgeTypes(input, findings, evidence, aliveColumns, internal.aliveFunctions, finding);

  for (const sequence of catalog.sequences) {
    if (sequence.extensionOwned) continue;
    // Owned sequences (serial, identity) live and drop with their column.
    if (sequence.ownedBy !== null) {
      if (aliveColumns.has(sequence.ownedBy)) {
        finding('sequence', sequence.id, 'alive', [databaseEvidence(input.definedAt, sequence.id, 'database', 'call', sequence.ownedBy)]);
      }
      continue;
    }
    const items = evidenceOf(sequence.id);
    finding('sequence', sequence.id, items.has(reads) ? 'alive' : 'unreferenced', items);
  }
  capToDeadHolders(findings, evidence);
  return findings;
}

const splits = new WeakMap<readonly Evidence[], { rest: readonly Evidence[]; otherLanguage: readonly Evidence[] }>();

/** A shared run's other-language items and the rest, split once however many columns share it. */
function otherLanguageSplit(run: readonly Evidence[]): { rest: readonly Evidence[]; otherLanguage: readonly Evidence[] } {
  let split = splits.get(run);
  if (split === undefined) {
    split = { rest: run.filter((e) => e.kind !== 'other-language'), otherLanguage: run.filter((e) => e.kind === 'other-language') };
    splits.set(run, split);
  }
  return split;
}

/** The dynamic statements (`FROM ${table}`) in files that name this table: where it may be read unseen. */
function dynamicStatementsNear(own: Iterable<Evidence>, dynamicFiles: ReadonlyMap<string, number[]>): { file: string; line: number }[] {
  const files = new Set<string>();
  if (dynamicFiles.size > 0) for (const e of own) if (dynamicFiles.has(e.file)) files.add(e.file);
  return [...files].sort().flatMap((file) => dynamicFiles.get(file)!.map((line) => ({ file, line })));
}

const MAX_HOLDER_PASSES = 8;

/**
 * An object only dead holders use (a function only a dead function calls, a column only a dead
 * view reads) is no surer dead than the least certain of them: if that caller is in fact used
 * (the doubt behind its lower confidence), so is this one (`weak-dependents`). A chain of
 * callers settles in a few passes.
 */
function capToDeadHolders(findings: readonly Finding[], evidence: ReadonlyMap<string, EvidenceBag>): void {
  const byId = new Map(findings.map((f) => [f.id, f]));
  // A column or trigger without a finding of its own is judged with its relation.
  const holderOf = (id: string): Finding | undefined => byId.get(id) ?? byId.get(id.slice(0, id.lastIndexOf('.')));
  for (let pass = 0; pass < MAX_HOLDER_PASSES; pass++) {
    let changed = false;
    for (const result of findings) {
      if (result.verdict === 'alive' || result.confidence === null) continue;
      for (const item of evidence.get(result.id)?.filter(ofKind('dead-dependent')) ?? []) {
        if (item.kind !== 'dead-dependent' || item.via === undefined || item.via === result.id) continue;
        const before: Confidence | null = result.confidence;
        capToDependent(result, holderOf(item.via));
        if (result.confidence !== before) changed = true;
      }
    }
    if (!changed) return;
  }
}

/**
 * An ORM reaches only the columns its model declares: once a model maps a table, a property
 * named like a column the model lacks belongs to some other object (issue 10, §2), so those
 * name matches become `outside-model` (possible reads that prove nothing). Returns the ids of
 * such columns.
 */
function markColumnsOutsideModels(catalog: Catalog, modelled: ReadonlySet<string>, evidence: Map<string, EvidenceBag>): Set<string> {
  const outside = new Set<string>();
  const toOutsideModel = new MappedRuns((e) => (e.kind === 'name-match' ? { ...e, kind: 'outside-model' } : e));
  for (const relation of catalog.relations) {
    if (!modelled.has(relation.id)) continue;
    for (const column of relation.columns) {
      const columnId = `${relation.id}.${column.name}`;
      const items = evidence.get(columnId) ?? new EvidenceBag();
      if (items.hasKind('model')) continue;
      outside.add(columnId);
      evidence.set(columnId, items.map(toOutsideModel));
    }
  }
  return outside;
}

/** A bag with `items` (and a shared run) after the bag's own: the bag itself is left as it was. */
function withItems(bag: EvidenceBag, items: readonly Evidence[], shared: readonly Evidence[] = []): EvidenceBag {
  if (items.length === 0 && shared.length === 0) return bag;
  const out = new EvidenceBag();
  out.addAll(bag);
  for (const item of items) out.add(item);
  out.addShared(shared);
  return out;
}

/**
 * Types follow the columns and functions that use them (issue 10, section 3): a column that code
 * reads or writes makes its type alive (writing a column writes values of its type), and a type
 * only dead users hold is never more certain than the weakest of them, since every doubt about
 * such a column (a wildcard read, an unparsed query) is a doubt about its values too.
 */
function judgeTypes(
  input: DecideInput,
  findings: Finding[],
  evidence: Map<string, EvidenceBag>,
  aliveColumns: ReadonlySet<string>,
  aliveFunctions: ReadonlySet<string>,
  finding: (kind: CatalogObjectKind, id: string, verdict: Verdict, items: EvidenceBag | Evidence[], extraReasons?: Reason[]) => Finding,
): void {
  const { catalog } = input;
  const byId = new Map(findings.map((f) => [f.id, f]));
  // A column of a dead table or of a view is judged with its relation.
  const judgedAs = (columnId: string): Finding | undefined => byId.get(columnId) ?? byId.get(columnId.slice(0, columnId.lastIndexOf('.')));
  const signatureUses = (type: { name: string }, fn: { identityArgs: string; returnType: string }): boolean =>
    new RegExp(`\\b${escapeRegExp(type.name)}\\b`).test(`${fn.identityArgs} ${fn.returnType}`);
  for (const type of catalog.types) {
    if (type.extensionOwned) continue;
    // A default or check of a dead column (`DEFAULT 'FREE'::plan`) drops with that column.
    const items = [...(evidence.get(type.id) ?? [])].map((e): Evidence => {
      const holder = e.kind === 'database' && e.via !== undefined ? byId.get(e.via) : undefined;
      return holder !== undefined && holder.kind === 'column' && holder.verdict !== 'alive' ? { ...e, kind: 'dead-dependent' } : e;
    });
    let weakest: Confidence = 'high';
    const weaken = (confidence: Confidence | null | undefined): void => {
      if (confidence && CONFIDENCE_RANK[confidence] < CONFIDENCE_RANK[weakest]) weakest = confidence;
    };
    let alive = false;
    for (const user of catalog.dependencies.filter((d) => d.kind === 'columnType' && d.to === type.id)) {
      const written = !aliveColumns.has(user.from) && (evidence.get(user.from)?.has(writes) ?? false);
      if (aliveColumns.has(user.from) || written) {
        alive = true;
        items.push(databaseEvidence(input.definedAt, user.from, 'database', written ? 'write' : 'read'));
        continue;
      }
      items.push(databaseEvidence(input.definedAt, user.from, 'dead-dependent', 'read'));
      weaken(judgedAs(user.from)?.confidence);
    }
    for (const fn of catalog.functions) {
      if (fn.extensionOwned || !signatureUses(type, fn)) continue;
      if (aliveFunctions.has(fn.id)) alive = true;
      else weaken(byId.get(fn.id)?.confidence);
    }
    const result = finding('type', type.id, alive || items.some(isRead) ? 'alive' : 'unreferenced', items);
    if (result.confidence !== null && CONFIDENCE_RANK[weakest] < CONFIDENCE_RANK[result.confidence]) {
      result.confidence = weakest;
      result.reasons.push('weak-dependents');
    }
  }
}

function isReplicated(relation: CatalogRelation): boolean {
  return relation.replication !== undefined && (relation.replication.publications.length > 0 || relation.replication.identityFull);
}

/** A dead finding is never surer than a dead object whose use would make it alive (`weak-dependents`). */
function capToDependent(result: Finding, dependent: Finding | undefined): void {
  if (result.confidence === null || dependent?.confidence == null) return;
  if (CONFIDENCE_RANK[dependent.confidence] >= CONFIDENCE_RANK[result.confidence]) return;
  result.confidence = dependent.confidence;
  if (!result.reasons.includes('weak-dependents')) result.reasons.push('weak-dependents');
}

function judge(items: EvidenceBag, extraReasons: Reason[]): { confidence: Confidence; reasons: Reason[] } {
  const reasons: Reason[] = [];
  let confidence: Confidence = 'high';
  const cap = (level: Confidence): void => {
    if (CONFIDENCE_RANK[level] < CONFIDENCE_RANK[confidence]) confidence = level;
  };
  const present = items.countByKind();
  for (const { kind, weak } of EVIDENCE_RULES) {
    if (weak !== undefined && present[kind] !== undefined) {
      reasons.push(weak.reason);
      cap(weak.cap);
    }
  }
  for (const reason of extraReasons) {
    reasons.push(reason);
    const level = SITUATION_CAPS[reason];
    if (level !== undefined) cap(level);
  }
  if (items.length === 0) reasons.unshift('no-mentions');
  return { confidence, reasons };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
