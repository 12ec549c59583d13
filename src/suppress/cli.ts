import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CommandContext } from '../cli/context.js';
import { ConfigError, UsageError } from '../errors.js';
import type { AuditOptions } from '../run.js';
import { BASELINE_FILE } from './baseline-file.js';

/**
 * The baseline file for this run: `--baseline FILE` (relative to the cwd), else the config's
 * `baseline` (relative to the config file), else dead-schema.baseline.json in the audited root.
 * Undefined with --no-baseline.
 */
export function baselinePath(ctx: CommandContext, root: string): { file: string; explicit: boolean } | undefined {
  const flag = ctx.values.baseline;
  if (ctx.values['no-baseline'] === true) {
    if (typeof flag === 'string') throw new UsageError('--baseline and --no-baseline contradict each other', { hint: 'give one of them' });
    return undefined;
  }
  if (typeof flag === 'string') return { file: path.resolve(ctx.io.cwd, flag), explicit: true };
  if (ctx.config.baseline !== undefined) {
    const configDir = ctx.configFile === undefined ? ctx.io.cwd : path.dirname(ctx.configFile);
    return { file: path.resolve(configDir, ctx.config.baseline), explicit: false };
  }
  return { file: path.join(root, BASELINE_FILE), explicit: false };
}

/** The config's ignore list and the baseline, ready for `audit()`. */
export async function suppressionOptions(ctx: CommandContext, root: string): Promise<Pick<AuditOptions, 'ignore' | 'baseline'>> {
  const where = baselinePath(ctx, root);
  // A baseline named on the command line that is not there is a typo, not a first run.
  if (where?.explicit && !existsSync(where.file)) {
    throw new ConfigError(`baseline ${where.file} does not exist`, {
      path: where.file,
      hint: `create it with \`dead-schema baseline --baseline ${ctx.values.baseline as string}\`, or drop --baseline`,
    });
  }
  // The baseline's schema (zod) loads only when there is a baseline to read.
  const baseline = where === undefined ? undefined : await (await import('./baseline.js')).loadBaseline(where.file);
  return {
    ...(ctx.config.ignore !== undefined ? { ignore: ctx.config.ignore } : {}),
    ...(baseline !== undefined ? { baseline } : {}),
  };
}
