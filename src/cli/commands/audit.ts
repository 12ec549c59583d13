import path from 'node:path';
import { CONFIDENCE_RANK } from '../../match/types.js';
import { confidenceFlag, progressReporter, resolveAuditOptions } from '../../config/resolve.js';
import { UsageError } from '../../errors.js';
import { loadReporter } from '../../report/index.js';
import { relocateReport } from '../../report/relocate.js';
import { audit, checkRoot } from '../../run.js';
import { suppressionOptions } from '../../suppress/cli.js';
import { sinceRun } from '../../since/cli.js';
import type { Command } from '../context.js';
import { reportPerformance } from '../performance.js';
import { outputFiles, writeOutputFile } from '../output-files.js';

export const auditCommand: Command = {
  rootArgument: true,
  usage: 'audit [root]              report dead tables, columns, views, functions, triggers, types, sequences',
  async run(ctx) {
    const extra = ctx.args;
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`, { hint: 'give one root directory' });
    const reporter = await loadReporter(typeof ctx.values.format === 'string' ? ctx.values.format : 'table', ctx.io.cwd);
    const outputs = ctx.values['output-file'];
    const files = await outputFiles(Array.isArray(outputs) ? outputs : typeof outputs === 'string' ? [outputs] : undefined, ctx.io.cwd);
    const failOn = confidenceFlag('fail-on', ctx.values['fail-on']) ?? ctx.config.failOn;
    const options = await resolveAuditOptions(ctx, ctx.root);
    // Before the baseline file under it is looked for, so a mistyped root gets its own message.
    await checkRoot(options.root);
    // Suppressions: the config's ignore list and the baseline file (--baseline, --no-baseline).
    Object.assign(options, await suppressionOptions(ctx, options.root));
    // --since: only objects that migrations added or changed since the ref define.
    const since = await sinceRun(ctx, options);
    if (since) Object.assign(options, since.options);
    const progress = progressReporter(ctx);
    let report;
    try {
      report = await audit(progress ? { ...options, onProgress: progress } : options);
    } finally {
      progress?.clear();
    }
    const platform = report.schema.platform;
    if (platform !== undefined && ctx.values.quiet !== true) {
      ctx.io.stderr(`dead-schema: the migrations are a ${platform.name} project's: ${platform.name}'s own objects were stood in for so they apply, and its schemas (${platform.schemas.join(', ')}) are not audited unless --schemas names them\n`);
    }
    if (since) {
      since.annotate(report);
      if (ctx.values.quiet !== true) ctx.io.stderr(`dead-schema: ${since.describe(report)}\n`);
    }
    // GitHub places SARIF results and annotations relative to the checkout, i.e. the directory CI runs in.
    const located = (format: string): typeof report => (format === 'sarif' || format === 'github' ? relocateReport(report, relativePath(ctx.io.cwd, options.root)) : report);
    for (const file of files) await writeOutputFile(file, file.reporter(located(file.format)));
    await ctx.io.stdout(reporter(located(typeof ctx.values.format === 'string' ? ctx.values.format : 'table')));
    reportPerformance(ctx, report);
    if (failOn === undefined) return 0;
    const failing = report.findings.some(
      (f) => f.verdict !== 'alive' && f.confidence !== null && CONFIDENCE_RANK[f.confidence] >= CONFIDENCE_RANK[failOn],
    );
    return failing ? 1 : 0;
  },
};

function relativePath(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/');
}
