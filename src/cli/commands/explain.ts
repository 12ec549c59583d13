import path from 'node:path';
import { progressReporter, resolveAuditOptions } from '../../config/resolve.js';
import { UsageError } from '../../errors.js';
import { formatExplanation, matchIds, suggestIds } from '../../explain/index.js';
import { audit } from '../../run.js';
import { sourceLines } from '../../text/source-lines.js';
import type { Command } from '../context.js';
import { reportPerformance } from '../performance.js';

export const explainCommand: Command = {
  usage: 'explain <id>...',
  summary: 'every piece of evidence for an object, grouped by role, and its verdict',
  details: 'Ids look like public.table, public.table.column or public.function(argtypes); the schema may be left out. Objects the config or a schema comment hides from audits are explained too.',
  async run(ctx) {
    if (ctx.args.length === 0) throw new UsageError('explain needs at least one object id', { hint: 'e.g. dead-schema explain public.runs.retry_delay_seconds' });
    const options = await resolveAuditOptions(ctx, ctx.root);
    const progress = progressReporter(ctx);
    // Every piece of evidence for the asked-for objects only: the rest is the audit's own result,
    // reused from the cache right after an audit.
    const report = await audit({
      ...options,
      all: true,
      minConfidence: 'low',
      keepSuppressed: true,
      wholeEvidence: (findings) => ctx.args.flatMap((wanted) => matchIds(wanted, findings)).map((f) => f.id),
      ...(progress ? { onProgress: progress } : {}),
    });
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
      reportPerformance(ctx, report);
      return 0;
    }
    const source = sourceLines(options.root);
    // Printed relative to the working directory, as the audit's own output is.
    const fromCwd = (file: string): string => (path.isAbsolute(file) ? file : path.relative(ctx.io.cwd, path.resolve(options.root, file)).split(path.sep).join('/'));
    await ctx.io.stdout(`${findings.map((f) => formatExplanation(f, source, fromCwd)).join('\n\n')}\n`);
    reportPerformance(ctx, report);
    return 0;
  },
};
