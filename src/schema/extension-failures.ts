import path from 'node:path';
import type { AnalysisEvent } from '../catalog.js';
import type { ExtensionRequest } from './extensions.js';
import { counted } from '../text/count.js';

/**
 * What an extension brings that a statement may name: its types, its functions and its
 * schemas. A failure that names one of them ("type "geometry" does not exist") failed because
 * PGlite lacks the extension, not because the migration is wrong.
 */
interface Marks {
  types?: string[];
  functions?: RegExp;
  schemas?: string[];
  /** Other error messages only it explains (timescaledb's `WITH (timescaledb.continuous)`). */
  messages?: RegExp;
}

const KNOWN: Record<string, Marks> = {
  postgis: {
    types: ['geometry', 'geography', 'box2d', 'box3d', 'spheroid'],
    functions: /^(?:st_|postgis_|addgeometrycolumn$|dropgeometrycolumn$|updategeometrysrid$)/,
  },
  postgis_raster: { types: ['raster'], functions: /^st_/ },
  postgis_topology: { schemas: ['topology'], types: ['topogeometry'] },
  postgis_tiger_geocoder: { schemas: ['tiger'] },
  pg_cron: { schemas: ['cron'] },
  pg_net: { schemas: ['net'] },
  pg_graphql: { schemas: ['graphql'] },
  pgsodium: { schemas: ['pgsodium'] },
  supabase_vault: { schemas: ['vault'] },
  pg_partman: { schemas: ['partman'] },
  timescaledb: {
    schemas: ['timescaledb_information', 'timescaledb_experimental'],
    functions: /^(?:create_hypertable|time_bucket(?:_gapfill)?|add_(?:retention|compression|continuous_aggregate|reorder)_policy|set_chunk_time_interval|create_distributed_hypertable|show_chunks|drop_chunks|locf|interpolate|first|last)$/,
    messages: /unrecognized parameter namespace "timescaledb"/,
  },
  pgjwt: { functions: /^(?:sign|verify|url_encode|url_decode|algorithm_sign)$/ },
  h3: { types: ['h3index'], functions: /^h3_/ },
};

const MISSING_TYPE = /^type "([^"]+)" does not exist/;
const MISSING_FUNCTION = /^(?:function|procedure) ([^\s(]+)\(.*\) does not exist/;
const MISSING_SCHEMA = /^schema "([^"]+)" does not exist/;
const MISSING_RELATION = /^relation "([^"]+)" does not exist/;

const NAME = String.raw`(?:"(?:[^"]|"")+"|[\w$]+)`;
const CREATED = new RegExp(
  String.raw`^create\s+(?:or\s+replace\s+)?(?:(?:global\s+|local\s+)?(?:temporary\s+|temp\s+|unlogged\s+)?)?(table|materialized\s+view|view|function|procedure|type|domain|unique\s+index|index|trigger|aggregate)\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(${NAME}(?:\s*\.\s*${NAME})?)`,
  'i',
);

/**
 * Ties failed statements to the missing extension that explains them: each such failure gets
 * `extension` and a message that says so, and each unavailable extension gets one
 * `extension-unavailable` event (at its CREATE EXTENSION) that counts and names what failed
 * because of it. A statement that failed because an earlier one did (an index on a table
 * whose geometry column made it fail) counts for the same extension.
 */
export function explainExtensionFailures(
  requests: ExtensionRequest[],
  unavailable: ReadonlySet<string>,
  events: AnalysisEvent[],
): { unavailableEvents: AnalysisEvent[]; events: AnalysisEvent[] } {
  const missing = requests.filter((r) => unavailable.has(r.name));
  const failed = new Map<string, string[]>(missing.map((r) => [r.name, []]));
  const createdBy = new Map<string, string>();
  const explained = events.map((event) => {
    if (!isFailure(event.kind)) return event;
    const extension = causeOf(event.message, missing, createdBy);
    if (extension === undefined) return event;
    const object = createdObject(event.statement ?? '');
    if (object !== undefined) createdBy.set(bare(object.name), extension);
    failed.get(extension)?.push(object === undefined ? statementAt(event) : `${object.kind} ${object.name}`);
    return { ...event, extension, message: `${event.message} (needs extension "${extension}", which PGlite lacks)` };
  });
  const unavailableEvents = missing.map((request): AnalysisEvent => {
    const objects = failed.get(request.name) ?? [];
    return {
      kind: 'extension-unavailable',
      message: unavailableMessage(request.name, objects),
      file: request.file,
      line: request.line,
      extension: request.name,
      objects,
    };
  });
  return { unavailableEvents, events: explained };
}

function isFailure(kind: AnalysisEvent['kind']): boolean {
  return kind === 'migration-failed' || kind === 'schema-statement-failed';
}

function unavailableMessage(name: string, objects: string[]): string {
  const head = `extension "${name}" is not available in PGlite, so creating it was skipped`;
  if (objects.length === 0) return `${head}; no statement failed because of it`;
  const shown = objects.slice(0, 5).join(', ');
  const more = objects.length > 5 ? ` and ${objects.length - 5} more` : '';
  return `${head} and ${counted(objects.length, 'statement')} that need it failed (${shown}${more}); those objects are missing from the audit`;
}

/** The unavailable extension a failure message points at, if any. */
function causeOf(message: string, missing: ExtensionRequest[], createdBy: Map<string, string>): string | undefined {
  const type = MISSING_TYPE.exec(message)?.[1];
  const fn = MISSING_FUNCTION.exec(message)?.[1];
  const schema = MISSING_SCHEMA.exec(message)?.[1];
  const relation = MISSING_RELATION.exec(message)?.[1];
  for (const { name } of missing) {
    const marks = KNOWN[name] ?? {};
    if (type !== undefined && (marks.types ?? [name]).includes(bare(type))) return name;
    if (fn !== undefined && (marks.functions?.test(bare(fn)) ?? false)) return name;
    if (schema !== undefined && (marks.schemas ?? [name, name.replace(/^pg_/, '')]).includes(schema)) return name;
    if (marks.messages?.test(message) ?? false) return name;
  }
  // Something an earlier failure would have created.
  for (const missingName of [type, fn, relation]) {
    if (missingName === undefined) continue;
    const by = createdBy.get(bare(missingName));
    if (by !== undefined) return by;
  }
  return undefined;
}

/** `extensions.geometry` -> `geometry`: the extension may live in any schema. */
function bare(name: string): string {
  return (name.split('.').at(-1) ?? name).replace(/"/g, '').toLowerCase();
}

function createdObject(sql: string): { kind: string; name: string } | undefined {
  const match = CREATED.exec(sql.trim());
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { kind: match[1].toLowerCase().replace(/\s+/g, ' '), name: match[2].replace(/\s+/g, '').replace(/"/g, '') };
}

function statementAt(event: AnalysisEvent): string {
  const first = /^\w+/.exec(event.statement ?? '')?.[0] ?? '';
  const where = event.file === undefined ? '' : ` at ${path.basename(event.file)}:${event.line ?? 0}`;
  return `${first || 'statement'}${where}`;
}
