import type { AuditReport } from '../run.js';
import type { CommandContext } from './context.js';

/**
 * `--performance`: where the time went, after the report. On stderr, so stdout stays the JSON or
 * SARIF a pipe expects. Stages and cache counters are read generically: run.ts adds stages
 * (discover, parse, cache...) without this file having to follow.
 */
export function reportPerformance(ctx: CommandContext, report: AuditReport): void {
  if (ctx.values.performance !== true) return;
  ctx.io.stderr(formatPerformance(report, process.resourceUsage().maxRSS, ctx.values['no-cache'] === true));
}

/** `maxRssKb` is `process.resourceUsage().maxRSS`, in kilobytes; it counts PGlite's worker thread too. */
export function formatPerformance(report: AuditReport, maxRssKb: number, cacheOff = false): string {
  const stats = report.stats as unknown as Record<string, unknown>;
  const stages = numericEntries(stats.timingsMs).map(([stage, ms]) => [stage, String(Math.round(ms))] as const);
  // Milliseconds right-aligned, so stages compare at a glance.
  const msWidth = Math.max(0, ...stages.map(([, ms]) => ms.length));
  const rows: [string, string][] = stages.map(([stage, ms]) => [stage, `${ms.padStart(msWidth)} ms`]);
  rows.push(['schema cache', cacheOff ? 'off (--no-cache)' : schemaCache(report)]);
  const cache = numericEntries(stats.cache);
  // `stats.cache` counts source files whose scan came from the cache; its counters are run.ts's to name.
  if (cache.length > 0) rows.push(['scan cache', cache.map(([name, count]) => `${name} ${count}`).join(' · ')]);
  rows.push(['peak RSS', `${Math.round(maxRssKb / 1024)} MB`]);
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `  ${label.padEnd(labelWidth)}  ${value}`);
  return `dead-schema: performance\n${lines.join('\n')}\n`;
}

function schemaCache(report: AuditReport): string {
  // A live database is read each time: there is no cache to hit or miss.
  if (report.schema.kind === 'database') return 'none (live database)';
  return report.schema.cacheHit === true ? 'hit' : 'miss';
}

function numericEntries(value: unknown): [string, number][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]));
}
