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
import { stdoutContext, trimForTerminal } from '../terminal.js';
import { outputFiles, sourceLinkBase, writeOutputFile } from '../output-files.js';

const FROM_CWD_FORMATS = new Set(['sarif', 'github', 'markdown', 'text', 'table']);

export const auditCommand: Command = {
  rootArgument: true,
  usage: 'audit [root]',
  summary: 'report dead tables, columns, views, functions, triggers, types and sequences',
  details: 'The default command: `dead-schema ./repo` audits ./repo. To fail CI on high-confidence findings only, one flag: --fail-on high.',
  exitCodes: '0 clean, 1 a finding at or above --fail-on, 2 error',
  async run(ctx) {
    const extra = ctx.args;
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`, { hint: 'give one root directory' });
    const format = typeof ctx.values.format === 'string' ? ctx.values.format : 'text';
    const reporter = await loadReporter(format, ctx.io.cwd);
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
    // GitHub places SARIF results, annotations and Markdown links relative to the checkout, i.e.
    // the directory CI runs in; a terminal makes paths relative to the working directory links.
    const located = (format: string, from = report): typeof report =>
      FROM_CWD_FORMATS.has(format) ? relocateReport(from, relativePath(ctx.io.cwd, options.root)) : from;
    const linkBase = sourceLinkBase(ctx.io.env);
    const links = linkBase !== undefined ? { linkBase } : {};
    for (const file of files) await writeOutputFile(file, file.reporter(located(file.format), links));
    // Only the default text output hides low findings on a large audit; files and other formats get them all.
    const shown = format === 'text' ? trimForTerminal(report, ctx) : { report, hiddenLow: 0 };
    await ctx.io.stdout(reporter(located(format, shown.report), { ...stdoutContext(ctx.io), ...links, ...(shown.hiddenLow > 0 ? { hiddenLow: shown.hiddenLow } : {}) }));
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
