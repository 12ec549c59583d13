import { nameForms } from '../names/case.js';
import type { CodeEvidence } from './collect.js';
import type { Evidence, NameMatching } from './types.js';

/**
 * Names so common that a property called this proves nothing about one column
 * (INCIDENT.md: `name`, `status`, `id`, `userId` collide with unrelated objects).
 */
const GENERIC_NAMES = new Set([
  'id', 'uuid', 'name', 'status', 'state', 'type', 'kind', 'title', 'description', 'data', 'value', 'key',
  'email', 'created_at', 'updated_at', 'deleted_at', 'created_by', 'updated_by', 'user_id', 'code', 'label',
  'slug', 'url', 'path', 'version', 'metadata', 'meta', 'config', 'settings', 'options', 'payload', 'body',
  'content', 'text', 'message', 'count', 'amount', 'price', 'position', 'order', 'sort_order', 'enabled',
  'active', 'is_active', 'date', 'time', 'timestamp', 'token', 'role', 'password', 'first_name', 'last_name',
  'phone', 'address', 'country', 'city', 'tags', 'notes', 'source', 'target', 'parent_id', 'owner_id',
  'organization_id', 'org_id', 'tenant_id', 'account_id', 'result', 'error', 'params', 'args', 'input', 'output',
  'users', 'events', 'sessions', 'messages', 'items', 'jobs', 'tasks', 'logs', 'files', 'accounts', 'orders',
]);

/** Receivers that hold arguments, options or requests rather than database rows. */
const UNRELATED_RECEIVERS = new Set([
  'args', 'argv', 'params', 'options', 'opts', 'props', 'config', 'cfg', 'env', 'req', 'request', 'res',
  'response', 'body', 'query', 'headers', 'input', 'ctx', 'context', 'event', 'evt', 'e', 'err', 'error',
  'process', 'window', 'document', 'console', 'JSON', 'Math', 'Object', 'Array', 'Promise', 'flags', 'cli',
]);

// Declared with the plain match types: AuditOptions names it, and the package's public types must
// not reach this module's imports (the scanner, and through it the TypeScript compiler's types).
export type { NameMatching } from './types.js';

export interface NameMatchOptions {
  /** How many base tables have a column of this name (2+ makes it common). */
  sharedBy: number;
  /** Relations: property/key accesses of a table name prove little (`settings.x`, `{ users }`). */
  isRelation: boolean;
  matching?: NameMatching;
}

export function isCommonName(name: string, sharedBy: number, matching?: NameMatching): boolean {
  return GENERIC_NAMES.has(name) || name.length <= 2 || sharedBy >= 2 || (matching?.commonNames?.includes(name) ?? false);
}

/**
 * Name mentions and unparsed-SQL tokens of one object, with code mentions downgraded to
 * `common-name` where the spelling cannot tell this object from others. Returned as runs shared
 * by every object with the same spelling and commonness: callers hold them by reference
 * (EvidenceBag) and must not change them.
 */
export function nameEvidence(dbName: string, code: CodeEvidence, options: NameMatchOptions): (readonly Evidence[])[] {
  const common = isCommonName(dbName, options.sharedBy, options.matching);
  const runs = nameForms(dbName).map((form) => classifiedMentions(code, form, common, options.isRelation, form === dbName, options.matching));
  runs.push(code.tokens.get(dbName) ?? []);
  return runs;
}

const classified = new WeakMap<CodeEvidence, Map<string, Evidence[]>>();

/**
 * A spelling's mentions as evidence, computed once per (spelling, commonness): `id` has
 * thousands of mentions and sits on every table, so converting per column is the hot path.
 */
function classifiedMentions(code: CodeEvidence, form: string, common: boolean, isRelation: boolean, exact: boolean, matching?: NameMatching): Evidence[] {
  let cache = classified.get(code);
  if (cache === undefined) {
    cache = new Map();
    classified.set(code, cache);
  }
  const key = `${common ? 1 : 0}${isRelation ? 1 : 0}${exact ? 1 : 0}${matching?.unrelatedReceivers?.join(',') ?? ''}\0${form}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const out: Evidence[] = [];
  for (const { evidence, receiver, dataValue } of code.mentions.get(form) ?? []) {
    if (evidence.kind !== 'name-match') {
      // Another language's common names are weighed by the caller, against the file's tables.
      out.push(evidence);
      continue;
    }
    // A table name as a string ('agents') is likely a query builder argument; as a property it
    // proves little. So does a string used as data (`kind === 'workflow_folder'`), or one spelled
    // in another case than the table (`'workspaceFileFolders'`): query builders take the real name.
    const weakForRelation = isRelation && (evidence.role !== 'mention' || dataValue === true || !exact);
    const unrelated = receiver !== undefined && (UNRELATED_RECEIVERS.has(receiver) || (matching?.unrelatedReceivers?.includes(receiver) ?? false));
    out.push(common || unrelated || weakForRelation ? { ...evidence, kind: 'common-name' } : evidence);
  }
  cache.set(key, out);
  return out;
}
