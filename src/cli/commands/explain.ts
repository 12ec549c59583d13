import { readFileSync } from 'node:fs';
import path from 'node:path';
import { progressReporter, resolveAuditOptions } from '../../config/resolve.js';
import { UsageError } from '../../errors.js';
import { formatExplanation, matchIds, suggestIds, type ExplainSource } from '../../explain/index.js';
import { audit } from '../../run.js';
import type { Command } from '../context.js';

export const explainCommand: Command = {
  usage: 'explain <id>... [--root DIR] every piece of evidence for an object, grouped by role, and its verdict',
  async run(ctx) {
    if (ctx.args.length === 0) throw new UsageError('explain needs at least one object id', { hint: 'e.g. dead-schema explain public.runs.retry_delay_seconds' });
    const root = typeof ctx.values.root === 'string' ? ctx.values.root : '.';
    const options = resolveAuditOptions(ctx, root);
    const progress = progressReporter(ctx);
    const report = await audit({ ...options, all: true, minConfidence: 'low', allEvidence: true, keepSuppressed: true, ...(progress ? { onProgress: progress } : {}) });
    if (progress) ctx.io.stderr('\r\x1b[K');

    const resolved = ctx.args.map((wanted) => ({ wanted, findings: matchIds(wanted, report.findings) }));
    const unknown = resolved.filter((r) => r.findings.length === 0);
    if (unknown.length > 0) {
      const first = unknown[0]!;
      const suggestions = suggestIds(first.wanted, report.findings);
      throw new UsageError(`no schema object "${first.wanted}"`, {
        hint: suggestions.length > 0 ? `did you mean ${suggestions.join(', ')}?` : 'ids look like public.table, public.table.column or public.function(argtypes)',
      });
    }
    const findings = resolved.flatMap((r) => r.findings);
    if (ctx.values.format === 'json') {
      await ctx.io.stdout(`${JSON.stringify({ version: 1, findings }, null, 2)}\n`);
      return 0;
    }
    const source = fileLines(options.root);
    await ctx.io.stdout(`${findings.map((f) => formatExplanation(f, source)).join('\n\n')}\n`);
    return 0;
  },
};

/** Source lines of files under the root, each file read once. */
function fileLines(root: string): ExplainSource {
  const cache = new Map<string, string[] | undefined>();
  return {
    line(file, line) {
      if (!cache.has(file)) {
        try {
          cache.set(file, readFileSync(path.resolve(root, file), 'utf8').split(/\r?\n/));
        } catch {
          cache.set(file, undefined);
        }
      }
      return cache.get(file)?.[line - 1];
    },
  };
}
