#!/usr/bin/env node
// Writes a deterministic synthetic monorepo shaped like the incident's codebase (see bench/README.md):
//   node bench/generate.mjs <outDir> [--files 1000] [--migrations 80] [--seed 1]
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const argv = process.argv.slice(2);
const outDir = argv.find((arg, i) => !arg.startsWith('--') && !argv[i - 1]?.startsWith('--'));
const flag = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(argv[i + 1]);
};
if (!outDir) {
  console.error('usage: node bench/generate.mjs <outDir> [--files 1000] [--migrations 80] [--seed 1]');
  process.exit(2);
}
const FILES = flag('files', 1000);
const MIGRATIONS = flag('migrations', 80);
const SEED = flag('seed', 1);

// mulberry32: tiny, fast, and identical output for a given seed on every platform.
let state = SEED >>> 0 || 1;
const rand = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (list) => list[Math.floor(rand() * list.length)];
const chance = (p) => rand() < p;
const sample = (list, n) => {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
};

const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const pascal = (s) => camel(s).replace(/^./, (c) => c.toUpperCase());
const plural = (s) => (s.endsWith('y') ? `${s.slice(0, -1)}ies` : s.endsWith('s') || s.endsWith('ch') ? `${s}es` : `${s}s`);

const NOUNS = ['agent', 'run', 'skill', 'session', 'webhook', 'invoice', 'plan', 'quota', 'tool', 'prompt', 'dataset',
  'model', 'deployment', 'secret', 'workspace', 'member', 'invite', 'api_key', 'audit_event', 'notification', 'channel',
  'message', 'thread', 'attachment', 'stored_file', 'job', 'schedule', 'trigger_rule', 'integration', 'connector',
  'sync_run', 'usage_record', 'billing_account', 'payment', 'subscription', 'coupon', 'feature_flag', 'experiment',
  'variant', 'metric', 'dashboard', 'report', 'data_export', 'import_batch', 'tag', 'label', 'comment', 'reaction',
  'bookmark', 'snippet', 'template', 'environment', 'env_variable', 'build', 'artifact', 'log_stream', 'alert',
  'incident', 'oncall_shift', 'runbook', 'policy', 'approval', 'review', 'checklist'];
const PREFIXES = ['retry', 'soul', 'nix', 'network', 'plugins', 'billing', 'sandbox', 'delivery', 'token', 'prompt',
  'tool', 'window', 'backoff', 'egress', 'memory', 'context', 'cost', 'latency', 'region', 'storage', 'display',
  'external', 'last_error', 'next_run', 'max_tokens', 'grant', 'callback', 'signing', 'rollout', 'archive'];
const SUFFIXES = { _md: 'text', _config: 'jsonb', _seconds: 'integer', _count: 'integer', _url: 'text', _at: 'timestamptz',
  _name: 'text', _enabled: 'boolean', _limit: 'integer', _hash: 'text', _ratio: 'numeric(6,3)', _domains: 'text[]', _ref: 'text' };
const GENERIC = { name: 'text', status: 'text', description: 'text', kind: 'text', email: 'text', position: 'integer' };

// ---- schema model -------------------------------------------------------------------------------
const tables = [];
const usedNames = new Set();
function newColumn(table) {
  for (;;) {
    const generic = chance(0.2);
    const name = generic ? pick(Object.keys(GENERIC)) : `${pick(PREFIXES)}${pick(Object.keys(SUFFIXES))}`;
    if (table.columns.some((c) => c.name === name)) continue;
    const type = generic ? GENERIC[name] : SUFFIXES[name.slice(name.lastIndexOf('_'))];
    return { name, type };
  }
}
function makeTable(noun) {
  const name = plural(noun);
  usedNames.add(name);
  const table = { noun, name, entity: pascal(noun), columns: [{ name: 'id', type: 'uuid' }], compositeKey: false };
  if (noun === 'organization') table.columns.push({ name: 'name', type: 'text' });
  else {
    table.columns.unshift({ name: 'organization_id', type: 'uuid' });
    table.compositeKey = chance(0.25);
  }
  const extra = int(3, 11);
  for (let i = 0; i < extra; i++) table.columns.push(newColumn(table));
  table.columns.push({ name: 'created_at', type: 'timestamptz' });
  if (chance(0.6)) table.columns.push({ name: 'updated_at', type: 'timestamptz' });
  return table;
}
const colDdl = (c) => {
  const defaults = { jsonb: `'{}'::jsonb`, boolean: 'false', 'text[]': `'{}'`, timestamptz: 'now()' };
  const required = ['created_at', 'updated_at'].includes(c.name) || c.type === 'jsonb' || c.type === 'boolean';
  return `  ${c.name} ${c.type}${required ? ` NOT NULL DEFAULT ${defaults[c.type] ?? 'now()'}` : ''}`;
};
function createTableSql(t) {
  const cols = t.columns.map((c) => {
    if (c.name === 'id') return `  id uuid NOT NULL DEFAULT gen_random_uuid()${t.compositeKey ? '' : ' PRIMARY KEY'}`;
    if (c.name === 'organization_id') return '  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE';
    return colDdl(c);
  });
  if (t.compositeKey) cols.push('  PRIMARY KEY (organization_id, id)');
  const index = t.name !== 'organizations' ? `\nCREATE INDEX ${t.name}_organization_id_idx ON ${t.name} (organization_id, created_at DESC);\n` : '';
  return `CREATE TABLE ${t.name} (\n${cols.join(',\n')}\n);\n${index}`;
}

// About three quarters of the migrations create a table. When that is more tables than NOUNS has
// (over 86 migrations), compound nouns join the pool: a domain prefix on a noun (`billing_invoice`,
// `audit_invoice`), then numbered domains (`billing2_invoice`) as far as needed. Up to 65 tables
// (86 migrations) the pool is NOUNS alone, so those corpora, the default one included, are unchanged.
const DOMAINS = ['billing', 'audit', 'ops', 'growth', 'partner', 'legacy', 'admin', 'support', 'sales', 'infra', 'edge',
  'mobile', 'ledger', 'search', 'fleet', 'vendor', 'trust', 'market', 'media', 'labs'];
const tableTarget = Math.max(2, Math.round(MIGRATIONS * 0.75));
function nounPool(needed) {
  if (needed <= NOUNS.length) return NOUNS;
  const pool = [...NOUNS];
  const seen = new Set([...NOUNS, 'organization']);
  for (let round = 1; pool.length < needed; round++) {
    for (const domain of DOMAINS) {
      for (const noun of NOUNS) {
        const compound = `${domain}${round > 1 ? round : ''}_${noun}`;
        if (!seen.has(compound)) {
          seen.add(compound);
          pool.push(compound);
        }
      }
    }
  }
  return pool;
}
const nouns = ['organization', ...sample(nounPool(tableTarget - 1), tableTarget - 1)];
const migrations = [];
const stamp = (i) => {
  const d = new Date(Date.UTC(2023, 0, 2) + i * 3 * 86_400_000 + ((i * 7919) % 86_400) * 1000);
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
};
const mig = (name, up, down) => migrations.push({ name, up, down });
let created = 0;
const kinds = ['alter', 'view', 'trigger', 'index', 'alter', 'backup', 'enum', 'vector'];
let extraIndex = 0;
let hasTouch = false;
for (let i = 0; i < MIGRATIONS; i++) {
  const remaining = MIGRATIONS - i;
  const mustCreate = tableTarget - created >= remaining || created < 2;
  if (created < tableTarget && (mustCreate || chance(0.75))) {
    const t = makeTable(nouns[created++]);
    tables.push(t);
    mig(`create_${t.name}`, createTableSql(t), `DROP TABLE ${t.name};`);
    continue;
  }
  const kind = kinds[extraIndex++ % kinds.length];
  const t = pick(tables.slice(1));
  if (kind === 'alter') {
    const added = Array.from({ length: int(1, 3) }, () => {
      const c = newColumn(t);
      t.columns.push(c);
      return c;
    });
    mig(`add_${t.noun}_${added[0].name}`, added.map((c) => `ALTER TABLE ${t.name} ADD COLUMN${colDdl(c).replace(/^ +/, ' ')};`).join('\n'),
      added.map((c) => `ALTER TABLE ${t.name} DROP COLUMN ${c.name};`).join('\n'));
  } else if (kind === 'view') {
    const cols = sample(t.columns.filter((c) => !['organization_id', 'id'].includes(c.name)), 3);
    const view = `${t.noun}_overview_${i}`;
    mig(`create_${view}`, `CREATE VIEW ${view} AS\nSELECT t.id, t.organization_id, o.name AS organization_name${cols.map((c) => `, t.${c.name}`).join('')}\nFROM ${t.name} AS t\nJOIN organizations AS o ON o.id = t.organization_id;`, `DROP VIEW ${view};`);
  } else if (kind === 'trigger') {
    const fn = hasTouch ? '' : `CREATE FUNCTION touch_updated_at() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n$$;\n\n`;
    hasTouch = true;
    const target = tables.find((x) => x.columns.some((c) => c.name === 'updated_at') && !x.touched) ?? t;
    target.touched = true;
    const body = target.columns.some((c) => c.name === 'updated_at')
      ? `CREATE TRIGGER ${target.name}_touch BEFORE UPDATE ON ${target.name}\nFOR EACH ROW EXECUTE FUNCTION touch_updated_at();`
      : `CREATE FUNCTION ${target.noun}_audit_${i}() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  RAISE NOTICE '% %', TG_OP, NEW.id;\n  RETURN NEW;\nEND;\n$$;\nCREATE TRIGGER ${target.name}_audit_${i} AFTER INSERT ON ${target.name}\nFOR EACH ROW EXECUTE FUNCTION ${target.noun}_audit_${i}();`;
    mig(`trigger_${target.name}_${i}`, fn + body, `-- irreversible`);
  } else if (kind === 'index') {
    const c = pick(t.columns.filter((x) => !['jsonb', 'text[]'].includes(x.type)));
    mig(`index_${t.name}_${c.name}_${i}`, `CREATE INDEX ${t.name}_${c.name}_${i}_idx ON ${t.name} (${c.name});`, `DROP INDEX ${t.name}_${c.name}_${i}_idx;`);
  } else if (kind === 'backup') {
    const backup = `migration_${stamp(i).slice(0, 8)}_${t.name}_backup`;
    const c = t.columns.find((x) => x.type === 'text' && x.name !== 'organization_id');
    mig(`backfill_${t.name}`, `-- Keep a copy of the rows the backfill touches.\nCREATE TABLE ${backup} AS\nSELECT * FROM ${t.name};\n${c ? `\nUPDATE ${t.name} SET ${c.name} = coalesce(${c.name}, '');\n` : ''}`, `DROP TABLE ${backup};`);
  } else if (kind === 'enum') {
    const type = `${t.noun}_state`;
    if (!usedNames.has(type)) {
      usedNames.add(type);
      t.columns.push({ name: 'state', type });
      mig(`add_${type}`, `CREATE TYPE ${type} AS ENUM ('draft', 'active', 'paused', 'archived');\nALTER TABLE ${t.name} ADD COLUMN state ${type} NOT NULL DEFAULT 'draft';`, `ALTER TABLE ${t.name} DROP COLUMN state;\nDROP TYPE ${type};`);
    } else mig(`noop_${i}`, 'SELECT 1;', 'SELECT 1;');
  } else {
    const owner = tables.slice(1).find((x) => !x.columns.some((c) => c.name === 'embedding')) ?? t;
    owner.columns.push({ name: 'embedding', type: 'vector(8)' });
    mig(`add_${owner.noun}_embedding`, `CREATE EXTENSION IF NOT EXISTS vector;\nALTER TABLE ${owner.name} ADD COLUMN embedding vector(8);`, `ALTER TABLE ${owner.name} DROP COLUMN embedding;`);
  }
}

// ---- code ---------------------------------------------------------------------------------------
const PACKAGES = ['api', 'worker', 'core', 'gateway'];
const files = new Map();
const write = (rel, text) => files.set(rel, text);
const dataCols = (t) => t.columns.filter((c) => !['id', 'organization_id', 'created_at', 'updated_at', 'embedding'].includes(c.name) && !c.type.endsWith('_state'));
const tsType = (c) => ({ integer: 'number', boolean: 'boolean', jsonb: 'Record<string, unknown>', timestamptz: 'Date', 'text[]': 'string[]', 'numeric(6,3)': 'string' })[c.type] ?? 'string';
const value = (c, expr) => (c.type === 'jsonb' ? `\${sql.json(${expr} as never)}` : `\${${expr}}`);

function rowTypes(t) {
  const fields = t.columns.map((c) => `  ${c.name}: ${tsType(c)};`);
  const camelFields = t.columns.map((c) => `  ${camel(c.name)}: ${tsType(c)};`);
  return `/** Row shape of ${t.name}. */\nexport interface ${t.entity}Row {\n${fields.join('\n')}\n}\n\nexport interface ${t.entity} {\n${camelFields.join('\n')}\n}\n`;
}
function mapper(t) {
  return `export function to${t.entity}(row: ${t.entity}Row): ${t.entity} {\n  return {\n${t.columns.map((c) => `    ${camel(c.name)}: row.${c.name},`).join('\n')}\n  };\n}\n`;
}
function keyWhere(t, alias = '') {
  const a = alias ? `${alias}.` : '';
  return t.name === 'organizations' ? `${a}id = \${id}` : `${a}organization_id = \${organizationId} AND ${a}id = \${id}`;
}
function repository(t, rel) {
  const cols = dataCols(t);
  const some = sample(cols, Math.min(cols.length, int(2, 5)));
  const list = t.columns.filter((c) => c.name !== 'embedding').map((c) => c.name).join(', ');
  const args = t.name === 'organizations' ? 'id: string' : 'organizationId: string, id: string';
  const insertCols = t.name === 'organizations' ? some : [{ name: 'organization_id' }, ...some];
  const p = (c) => (c.name === 'organization_id' ? 'organizationId' : `input.${camel(c.name)}`);
  const hasUpdated = t.columns.some((c) => c.name === 'updated_at');
  const generic = t.columns.find((c) => c.name === 'status' || c.name === 'kind');
  return `import type { Sql, TransactionSql } from '${rel}db.js';
import { to${t.entity}, type ${t.entity}, type ${t.entity}Row } from './${t.noun}.types.js';

export interface New${t.entity} {
${some.map((c) => `  ${camel(c.name)}: ${tsType(c)};`).join('\n')}
}

export class ${t.entity}Repository {
  constructor(private readonly sql: Sql) {}

  async get(${args}): Promise<${t.entity} | null> {
    const [row] = await this.sql<${t.entity}Row[]>\`
      SELECT ${list}
      FROM ${t.name}
      WHERE ${keyWhere(t)}
    \`;
    return row ? to${t.entity}(row) : null;
  }

  async getRaw(${args}): Promise<${t.entity}Row | undefined> {
    // SELECT * keeps admin exports in step with new columns.
    const [row] = await this.sql<${t.entity}Row[]>\`SELECT * FROM ${t.name} WHERE ${keyWhere(t)}\`;
    return row;
  }

  async list(${t.name === 'organizations' ? '' : 'organizationId: string, '}filter: { ${generic ? `${generic.name}?: string; ` : ''}limit?: number } = {}): Promise<${t.entity}[]> {
    let where = this.sql\`WHERE ${t.name === 'organizations' ? 'true' : 'organization_id = ${organizationId}'}\`;
${generic ? `    if (filter.${generic.name}) where = this.sql\`\${where} AND ${generic.name} = \${filter.${generic.name}}\`;\n` : ''}    const rows = await this.sql<${t.entity}Row[]>\`
      SELECT ${list}
      FROM ${t.name}
      \${where}
      ORDER BY created_at DESC
      LIMIT \${filter.limit ?? 50}
    \`;
    return rows.map(to${t.entity});
  }

  async insert(tx: TransactionSql, ${t.name === 'organizations' ? '' : 'organizationId: string, '}input: New${t.entity}): Promise<${t.entity}Row> {
    const params: unknown[] = [];
    const p = (v: unknown): string => {
      params.push(v);
      return \`$\${params.length}\`;
    };
    const rows = await tx.unsafe<${t.entity}Row[]>(
      \`
      INSERT INTO public.${t.name} AS r (
${insertCols.map((c) => `        ${c.name}`).join(',\n')}
      )
      VALUES (${insertCols.map((c) => `\${p(${p(c)})}`).join(', ')})
      RETURNING r.id, r.created_at${some.map((c) => `, r.${c.name}`).join('')}
      \`,
      params as never[],
    );
    return rows[0];
  }

  async update(${args}, patch: Partial<New${t.entity}>): Promise<void> {
    const sql = this.sql;
    await sql.begin(async (tx) => {
${some.map((c) => `      if (patch.${camel(c.name)} !== undefined) {\n        await tx\`UPDATE ${t.name} SET ${c.name} = ${value(c, `patch.${camel(c.name)}`)}${hasUpdated ? ', updated_at = now()' : ''} WHERE ${keyWhere(t)}\`;\n      }`).join('\n')}
    });
  }
}
`;
}

const FILLERS = [
  (n) => `export interface ${n}ToolArgs {\n  file_path: string;\n  start_line?: number;\n  end_line?: number;\n  max_bytes?: number;\n}\n\nexport function describe${n}Args(args: ${n}ToolArgs): string {\n  const range = args.start_line ? \`:\${args.start_line}-\${args.end_line ?? 'end'}\` : '';\n  if (args.max_bytes !== undefined && args.max_bytes <= 0) {\n    throw new RangeError('max_bytes must be positive');\n  }\n  return \`\${args.file_path}\${range}\`;\n}\n`,
  (n) => `export async function with${n}Retry<T>(fn: () => Promise<T>, attempts = 4, baseMs = 100): Promise<T> {\n  let last: unknown;\n  for (let attempt = 0; attempt < attempts; attempt++) {\n    try {\n      return await fn();\n    } catch (error) {\n      last = error;\n      const delay = baseMs * 2 ** attempt + Math.floor(Math.random() * baseMs);\n      await new Promise((resolve) => setTimeout(resolve, delay));\n    }\n  }\n  throw last instanceof Error ? last : new Error(String(last));\n}\n`,
  (n) => `export class ${n}Cache<K, V> {\n  private readonly entries = new Map<K, { value: V; expires: number }>();\n\n  constructor(private readonly ttlMs = 30_000, private readonly max = 500) {}\n\n  get(key: K): V | undefined {\n    const hit = this.entries.get(key);\n    if (!hit) return undefined;\n    if (hit.expires < Date.now()) {\n      this.entries.delete(key);\n      return undefined;\n    }\n    this.entries.delete(key);\n    this.entries.set(key, hit);\n    return hit.value;\n  }\n\n  set(key: K, value: V): void {\n    if (this.entries.size >= this.max) {\n      const oldest = this.entries.keys().next().value as K;\n      this.entries.delete(oldest);\n    }\n    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });\n  }\n}\n`,
  (n) => `export interface ${n}Page<T> {\n  items: T[];\n  next_cursor: string | null;\n  total_estimate?: number;\n}\n\nexport function paginate${n}<T extends { id: string }>(items: T[], limit: number, cursor?: string): ${n}Page<T> {\n  const start = cursor ? items.findIndex((item) => item.id === cursor) + 1 : 0;\n  const slice = items.slice(start, start + limit);\n  return {\n    items: slice,\n    next_cursor: slice.length === limit ? slice[slice.length - 1].id : null,\n    total_estimate: items.length,\n  };\n}\n`,
  (n) => `export const ${camel(n.toLowerCase())}Defaults = {\n  request_timeout_ms: 15_000,\n  max_retries: 3,\n  trace_sample_rate: 0.1,\n  log_level: 'info',\n  feature_gates: { beta_ui: false, new_scheduler: true },\n} as const;\n\nexport function merge${n}Options(overrides: Partial<typeof ${camel(n.toLowerCase())}Defaults>): typeof ${camel(n.toLowerCase())}Defaults {\n  return { ...${camel(n.toLowerCase())}Defaults, ...overrides };\n}\n`,
  (n) => `type ${n}Listener<E> = (event: E) => void | Promise<void>;\n\nexport class ${n}Events<E extends { type: string }> {\n  private readonly listeners = new Map<string, Set<${n}Listener<E>>>();\n\n  on(type: E['type'], listener: ${n}Listener<E>): () => void {\n    const set = this.listeners.get(type) ?? new Set();\n    set.add(listener);\n    this.listeners.set(type, set);\n    return () => set.delete(listener);\n  }\n\n  async emit(event: E): Promise<void> {\n    for (const listener of this.listeners.get(event.type) ?? []) {\n      await listener(event);\n    }\n  }\n}\n`,
  (n) => `export function parse${n}Headers(headers: Record<string, string | undefined>): { request_id: string; trace_id?: string; user_agent?: string } {\n  const request_id = headers['x-request-id'] ?? crypto.randomUUID();\n  return { request_id, trace_id: headers['traceparent']?.split('-')[1], user_agent: headers['user-agent'] };\n}\n\nexport function redact${n}(input: Record<string, unknown>, keys = ['password', 'api_token', 'secret']): Record<string, unknown> {\n  return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, keys.includes(k) ? '[redacted]' : v]));\n}\n`,
  (n) => `export function format${n}Duration(ms: number): string {\n  if (ms < 1000) return \`\${ms}ms\`;\n  const seconds = Math.floor(ms / 1000);\n  const parts: string[] = [];\n  const h = Math.floor(seconds / 3600);\n  const m = Math.floor((seconds % 3600) / 60);\n  const s = seconds % 60;\n  if (h) parts.push(\`\${h}h\`);\n  if (m) parts.push(\`\${m}m\`);\n  if (s || parts.length === 0) parts.push(\`\${s}s\`);\n  return parts.join(' ');\n}\n\nexport function clamp${n}(value: number, min: number, max: number): number {\n  return Math.min(max, Math.max(min, value));\n}\n`,
];
const filler = (count, seedName) => Array.from({ length: count }, (_, i) => pick(FILLERS)(`${seedName}${i || ''}`)).join('\n');

function service(t, rel) {
  const cols = dataCols(t);
  const c = pick(cols.length ? cols : t.columns);
  const args = t.name === 'organizations' ? 'id' : 'organizationId, id';
  return `import { sql } from '${rel}db.js';
import { ${t.entity}Repository } from './${t.noun}.repository.js';

// ${t.entity}Service owns the business rules around ${t.name}; ${c.name} is ${pick(['validated here', 'copied from the parent on create', 'kept for the admin export'])}.
export class ${t.entity}Service {
  private readonly repo = new ${t.entity}Repository(sql);

  async describe(${t.name === 'organizations' ? 'id: string' : 'organizationId: string, id: string'}): Promise<string> {
    const item = await this.repo.get(${args});
    if (!item) return 'missing';
    return JSON.stringify({ id: item.id, ${camel(c.name)}: item.${camel(c.name)} });
  }

  async recent(${t.name === 'organizations' ? '' : 'organizationId: string'}): Promise<number> {
    const rows = await sql\`SELECT count(*)::int AS n FROM ${t.name} WHERE created_at > now() - interval '7 days'${t.name === 'organizations' ? '' : ' AND organization_id = ${organizationId}'}\`;
    return rows[0].n;
  }
}

${filler(int(7, 13), t.entity)}`;
}
function route(t, rel) {
  return `import { ${t.entity}Service } from './${t.noun}.service.js';
import { sql } from '${rel}db.js';

const service = new ${t.entity}Service();

export interface RouteContext {
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: unknown;
}

export async function get${t.entity}(ctx: RouteContext): Promise<{ status: number; body: unknown }> {
  const text = await service.describe(${t.name === 'organizations' ? 'ctx.params.id' : 'ctx.params.org, ctx.params.id'});
  return text === 'missing' ? { status: 404, body: { error: 'not found' } } : { status: 200, body: JSON.parse(text) };
}

export async function health${t.entity}(): Promise<boolean> {
  const [row] = await sql\`SELECT 1 AS ok FROM ${t.name} LIMIT 1\`;
  return row === undefined || row.ok === 1;
}

${filler(int(7, 13), `${t.entity}Route`)}`;
}
function testFile(t) {
  const literal = (x) => (tsType(x) === 'number' ? 1 : tsType(x) === 'boolean' ? 'true' : tsType(x) === 'Date' ? 'new Date(0)'
    : tsType(x) === 'string[]' ? '[]' : tsType(x).startsWith('Record') ? '{}' : `'${x.name}-value'`);
  const cases = sample(t.columns, Math.min(t.columns.length, int(3, 8))).map((c) => `
  it('maps ${c.name} to ${camel(c.name)}', () => {
    const row = fixtureRow();
    expect(to${t.entity}(row as never).${camel(c.name)}).toEqual(row.${c.name});
  });`);
  return `import { describe, expect, it } from 'vitest';
import { to${t.entity} } from './${t.noun}.types.js';

function fixtureRow() {
  return {
${t.columns.map((x) => `    ${x.name}: ${literal(x)},`).join('\n')}
  };
}

describe('to${t.entity}', () => {${cases.join('\n')}

  it('does not share references with the row', () => {
    const row = fixtureRow();
    expect(to${t.entity}(row as never)).not.toBe(row);
  });
});
`;
}

const DB = `import postgres from 'postgres';\n\nexport const sql = postgres(process.env.DATABASE_URL ?? 'postgres://localhost/app', { max: 10 });\nexport type Sql = typeof sql;\nexport type TransactionSql = postgres.TransactionSql;\n`;
write('package.json', JSON.stringify({ name: 'agent-platform', private: true, type: 'module', workspaces: PACKAGES.map((p) => `packages/${p}`) }, null, 2) + '\n');
for (const p of PACKAGES) {
  write(`packages/${p}/package.json`, JSON.stringify({ name: `@platform/${p}`, version: '0.0.0', type: 'module', dependencies: { postgres: '^3.4.0' } }, null, 2) + '\n');
  write(`packages/${p}/src/db.ts`, DB);
}
// One feature folder per table and package; each feature yields up to five files, then utils fill up.
const perFeature = ['types', 'repository', 'service', 'routes', 'test'];
let n = files.size;
outer: for (let round = 0; ; round++) {
  for (const t of tables) {
    const pkg = PACKAGES[(tables.indexOf(t) + round) % PACKAGES.length];
    const dir = `packages/${pkg}/src/${t.noun.replace(/_/g, '-')}${round ? `-v${round + 1}` : ''}`;
    for (const kind of perFeature) {
      if (n >= FILES) break outer;
      const rel = '../';
      const body = kind === 'types' ? `${rowTypes(t)}\n${mapper(t)}\n${filler(int(2, 5), `${t.entity}Shape${round}`)}`
        : kind === 'repository' ? `${repository(t, rel)}\n${filler(int(2, 6), `${t.entity}Repo${round}`)}`
        : kind === 'service' ? service(t, rel) : kind === 'routes' ? route(t, rel) : testFile(t);
      write(`${dir}/${t.noun}.${kind === 'test' ? 'mapper.test' : kind}.ts`, body);
      n++;
    }
    if (n < FILES && chance(0.6)) {
      write(`packages/${pkg}/src/utils/${t.noun}-${round}.ts`, `// Helpers shared by the ${t.name} screens.\n\n${filler(int(10, 18), `${t.entity}Util${round}`)}`);
      n++;
    }
  }
}

rmSync(outDir, { recursive: true, force: true });
migrations.forEach((m, i) => {
  write(`db/migrations/${stamp(i)}_${m.name}.sql`, `-- migrate:up\n${m.up}\n\n-- migrate:down\n${m.down}\n`);
});
let lines = 0;
for (const [rel, text] of files) {
  mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
  writeFileSync(path.join(outDir, rel), text);
  if (rel.endsWith('.ts')) lines += text.split('\n').length;
}
const tsCount = [...files.keys()].filter((f) => f.endsWith('.ts')).length;
console.log(`generated ${tsCount} TS files (${lines} lines), ${migrations.length} migrations, ${tables.length} tables in ${outDir}`);
