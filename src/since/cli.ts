import path from 'node:path';
import type { CommandContext } from '../cli/context.js';
import { UsageError } from '../errors.js';
import type { AuditOptions, AuditReport } from '../run.js';
import { counted } from '../text/count.js';

export interface SinceRun {
  /** What `audit()` needs to report only the objects the new migrations define. */
  options: Pick<AuditOptions, 'onlyObjects'>;
  /** Records in `stats.since` what the filter considered; call after `audit()`. */
  annotate(report: AuditReport): void;
  /** One line for stderr saying what was compared. */
  /** One line for stderr: what the branch adds and how much of it nothing uses. */
  describe(report: AuditReport): string;
}

/** `--since <ref>`: undefined without the flag; a UsageError when the run has no migrations folder to compare. */
export async function sinceRun(ctx: CommandContext, options: AuditOptions): Promise<SinceRun | undefined> {
  const ref = ctx.values.since;
  if (ref === undefined) return undefined;
  if (typeof ref !== 'string') throw new UsageError('--since needs a git ref, e.g. --since origin/main');
  if (options.migrations === undefined) {
    throw new UsageError('--since needs a migrations folder: it reports objects that migrations added since the ref define', {
      hint: options.databaseUrl !== undefined && ctx.values.db === undefined && ctx.io.env.DATABASE_URL
        ? 'DATABASE_URL is set and takes precedence over the config file; pass --migrations DIR'
        : 'pass --migrations DIR (or set "migrations" in the config) instead of --db or --schema',
    });
  }
  // Loaded only for --since: reading script migrations at a commit loads the TypeScript compiler.
  const { migrationsSince } = await import('./index.js');
  const scope = await migrationsSince(ref, options.migrations, options.layout);
  let objects = 0;
  return {
    options: {
      onlyObjects: (catalog) => {
        const ids = scope.objectIds(catalog);
        objects = ids.size;
        return ids;
      },
    },
    annotate(report) {
      report.stats.since = { ref, commit: scope.commit, migrations: scope.migrations.length, objects };
    },
    describe(report) {
      if (scope.migrations.length === 0) return `--since ${ref}: no migration added or changed in ${relative(ctx, options.migrations!)}, nothing to report`;
      const files = scope.migrations.map((m) => (m.status === 'added' ? m.relativePath : `${m.relativePath} (changed)`));
      const shown = files.length > 3 ? `${files.slice(0, 3).join(', ')} and ${files.length - 3} more` : files.join(', ');
      // What it means for the branch: objects it adds that nothing uses yet, not drop advice.
      const unused = report.stats.dead.high + report.stats.dead.medium + report.stats.dead.low;
      const verdict = unused === 0 ? 'all of them are used' : `${unused} of them nothing reads`;
      return `--since ${ref}: this branch's migrations (${shown}) define ${counted(objects, 'object')}; ${verdict}`;
    },
  };
}

function relative(ctx: CommandContext, dir: string): string {
  const rel = path.relative(ctx.io.cwd, dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
}
