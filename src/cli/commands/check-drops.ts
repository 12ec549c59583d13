import path from 'node:path';
import { checkDrops, formatCheckDrops, isSafe, readDropScript } from '../../check-drops/index.js';
import { progressReporter, resolveAuditOptions } from '../../config/resolve.js';
import { UsageError, messageOf } from '../../errors.js';
import { runAudit } from '../../run.js';
import picomatch from 'picomatch';
import { DEFAULT_EXCLUDE } from '../../scan/files.js';
import { readDecodedSync } from '../../text/decode.js';
import { sourceLines } from '../../text/source-lines.js';
import type { Command } from '../context.js';
import { reportPerformance } from '../performance.js';

export const checkDropsCommand: Command = {
  usage: 'check-drops <file.sql>',
  summary: 'judge a drop script: exit 1 if it drops, renames or moves anything still used',
  details: 'Every object the script drops, renames or moves is looked up in an audit of the code at --root (default: the working directory), alive and suppressed objects included.',
  exitCodes: '0 every object it drops is dead, 1 one is alive, refused or unknown, 2 error or a statement that does not parse',
  async run(ctx) {
    const [file, ...extra] = ctx.args;
    if (file === undefined) throw new UsageError('check-drops needs the drop script to check', { hint: 'e.g. dead-schema check-drops db/drop-dead-schema.sql --migrations db/migrations' });
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`, { hint: 'give one script; the code root is --root DIR (default: .)' });
    const format = typeof ctx.values.format === 'string' ? ctx.values.format : 'table';
    if (format !== 'table' && format !== 'json') throw new UsageError(`check-drops prints table or json, not "${format}"`);
    const scriptPath = path.resolve(ctx.io.cwd, file);
    let text: string;
    try {
      text = readDecodedSync(scriptPath).text;
    } catch (error) {
      throw new UsageError(`cannot read the drop script ${file}`, { path: scriptPath, reason: messageOf(error) });
    }
    // Statement by statement: one that does not parse is reported with its line, the rest still checked.
    const parsed = await readDropScript(text);

    const options = await resolveAuditOptions(ctx, ctx.root);
    // A drop migration already in the migrations folder would be applied with the others, and
    // what it drops would be missing from the schema ("unknown", passed under IF EXISTS): the
    // script is judged against the schema as it stands before it.
    const isMigration = options.migrations !== undefined && isInside(path.resolve(options.migrations), scriptPath);
    // The script is not application code: its own snapshot SELECTs would read what it drops.
    const exclude = [...(options.exclude ?? []), ...scriptGlob(options.root, scriptPath, isMigration)];
    if (isMigration) {
      options.leaveOutMigrations = [scriptPath];
      if (ctx.values.quiet !== true) ctx.io.stderr(`dead-schema: ${file} is one of the migrations: the schema is built without it, as it stands before the script runs\n`);
    }
    const progress = progressReporter(ctx);
    let audited: Awaited<ReturnType<typeof runAudit>>;
    try {
      // Every object needs its verdict, including alive ones and those a baseline or ignore hides.
      audited = await runAudit({
        ...options,
        all: true,
        minConfidence: 'low',
        keepSuppressed: true,
        ...(exclude.length > 0 ? { exclude } : {}),
        ...(progress ? { onProgress: progress } : {}),
      });
    } finally {
      progress?.clear();
    }
    const { report, catalog } = audited;

    const result = checkDrops({ script: file, parsed, report, catalog, sourceLine: sourceLines(options.root) });
    await ctx.io.stdout(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatCheckDrops(result));
    reportPerformance(ctx, report);
    // A drop that loses something outranks a statement that could not be checked.
    if (!result.drops.every(isSafe)) return 1;
    return result.errors.length > 0 ? 2 : 0;
  },
};

/** The script as an exclude glob relative to the root, when it lies under it. */
function scriptGlob(root: string, scriptPath: string, isMigration: boolean): string[] {
  // A script the audit never scans (outside the root, in the migrations folder, or under an
  // excluded folder) needs no exclude, and leaving the options as the audit's lets check-drops
  // reuse its stored result.
  if (isMigration || !isInside(root, scriptPath)) return [];
  const posix = path.relative(root, scriptPath).split(path.sep).join('/');
  if (picomatch(DEFAULT_EXCLUDE, { dot: true })(posix)) return [];
  return [posix.replace(/[*?[\]{}()!+@]/g, '\\$&')];
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
