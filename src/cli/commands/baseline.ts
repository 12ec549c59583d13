import path from 'node:path';
import { progressReporter, resolveAuditOptions } from '../../config/resolve.js';
import { isDeadSchemaError, UsageError } from '../../errors.js';
import { audit } from '../../run.js';
import { buildBaseline, loadBaseline, writeBaseline, type Baseline } from '../../suppress/baseline.js';
import { baselinePath } from '../../suppress/cli.js';
import type { Command } from '../context.js';
import { reportPerformance } from '../performance.js';
import { counted } from '../../text/count.js';

export const baselineCommand: Command = {
  rootArgument: true,
  usage: 'baseline [root]',
  summary: 'write the current dead objects to dead-schema.baseline.json; later audits hide them',
  details: 'Every dead object at any confidence goes in, so a later audit at any --min-confidence is clean; what the config or a schema comment ignores stays out. Commit the file.',
  async run(ctx) {
    const extra = ctx.args;
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`, { hint: 'give one root directory' });
    const options = await resolveAuditOptions(ctx, ctx.root);
    const target = baselinePath(ctx, options.root);
    if (target === undefined) throw new UsageError('baseline writes a baseline file; --no-baseline makes no sense here', { hint: 'drop --no-baseline' });
    const previous = await previousBaseline(target.file);

    // Every dead object at any confidence, so a later audit at any --min-confidence is clean;
    // what the config or a schema comment already ignores stays out of the file.
    const progress = progressReporter(ctx);
    let report;
    try {
      report = await audit({
        ...options,
        all: false,
        minConfidence: 'low',
        ...(ctx.config.ignore !== undefined ? { ignore: ctx.config.ignore } : {}),
        ...(progress ? { onProgress: progress } : {}),
      });
    } finally {
      progress?.clear();
    }

    const baseline = buildBaseline(report.findings, previous, new Date());
    await writeBaseline(target.file, baseline);
    const ids = Object.keys(baseline.findings);
    const before = new Set(Object.keys(previous?.findings ?? {}));
    const added = ids.filter((id) => !before.has(id)).length;
    const gone = [...before].filter((id) => !Object.hasOwn(baseline.findings, id)).length;
    const ignored = report.stats.suppressed.ignored;
    ctx.io.stderr(
      `baselined ${counted(ids.length, 'dead object')}` +
        (previous === undefined ? '' : ` (${added} new, ${gone} gone since the last baseline)`) +
        (ignored > 0 ? `; ${ignored} ignored by config or comments, not baselined` : '') +
        '\n',
    );
    await ctx.io.stdout(`${displayPath(target.file, ctx.io.cwd)}\n`);
    reportPerformance(ctx, report);
    return 0;
  },
};

/** The file being replaced, for its `since` dates; a broken one is what this command repairs. */
async function previousBaseline(file: string): Promise<Baseline | undefined> {
  try {
    return await loadBaseline(file);
  } catch (error) {
    if (isDeadSchemaError(error)) return undefined;
    throw error;
  }
}

function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}
