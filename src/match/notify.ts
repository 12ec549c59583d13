import type { Catalog } from '../catalog.js';
import type { SqlRef } from '../sql/types.js';

/**
 * Trigger functions whose only effect is a notification: `pg_notify('orders', ...)` or
 * `NOTIFY orders`, no write of any table. Such a trigger does something only while a client
 * LISTENs on its channel (issue 10, §8). Returns function id → channel, for literal channels;
 * a channel built at run time (`pg_notify(TG_TABLE_NAME, ...)`) is not knowable and not listed.
 */
export function notifyOnlyFunctions(catalog: Catalog, bodies: ReadonlyMap<string, SqlRef[]>): Map<string, string> {
  const out = new Map<string, string>();
  const triggerFunctions = new Set(catalog.triggers.map((t) => t.functionId));
  for (const fn of catalog.functions) {
    if (fn.body === null || !triggerFunctions.has(fn.id) || fn.language !== 'plpgsql') continue;
    const code = withoutComments(fn.body);
    const channels = new Set(notifyChannels(code));
    // A channel that is not a literal, or several channels: not a single knowable listener.
    const dynamic = /\bpg_notify\s*\(\s*[^'\s]/i.test(code);
    if (channels.size !== 1 || dynamic) continue;
    const writes = (bodies.get(fn.id) ?? []).some((ref) => (ref.kind === 'relation' || ref.kind === 'column') && ref.role !== 'read');
    if (writes) continue;
    out.set(fn.id, [...channels][0]!);
  }
  return out;
}

/** Literal channels a function body notifies: `pg_notify('orders', ...)`, `NOTIFY orders`, `NOTIFY "Orders"`. */
export function notifyChannels(body: string): string[] {
  const channels: string[] = [];
  for (const match of body.matchAll(/\bpg_notify\s*\(\s*'([^']+)'/gi)) channels.push(match[1]!);
  for (const match of body.matchAll(/\bnotify\s+("?)([A-Za-z_][\w$]*)\1/gi)) channels.push(match[1] === '"' ? match[2]! : match[2]!.toLowerCase());
  return channels;
}

function withoutComments(body: string): string {
  return body.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
}
