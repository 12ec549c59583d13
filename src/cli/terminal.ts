import type { ReportContext } from '../report/index.js';
import type { AuditReport } from '../run.js';
import type { CliIo, CommandContext } from './context.js';

/** What a pipe, a file or a CI log gets: the width they all show without wrapping. */
export const DEFAULT_COLUMNS = 80;

/**
 * Whether stdout gets colour: NO_COLOR (any non-empty value, no-color.org) wins, then FORCE_COLOR
 * (`0` and `false` turn colour off, as in Node and supports-color), then a terminal that is not
 * TERM=dumb. Decided here, once: styleText on Node 20 checks none of these variables itself.
 */
export function isColorWanted(io: Pick<CliIo, 'env' | 'stdoutIsTTY'>): boolean {
  const { NO_COLOR, FORCE_COLOR, TERM } = io.env;
  if (NO_COLOR !== undefined && NO_COLOR !== '') return false;
  if (FORCE_COLOR !== undefined) return FORCE_COLOR !== '0' && FORCE_COLOR !== 'false';
  return io.stdoutIsTTY === true && TERM !== 'dumb';
}

/** The terminal's width; COLUMNS when stdout is not one (set by hand, or by CI); else 80. */
export function terminalColumns(io: Pick<CliIo, 'env' | 'stdoutIsTTY' | 'columns'>): number {
  if (io.stdoutIsTTY === true && io.columns !== undefined && io.columns > 0) return io.columns;
  const fromEnv = Number(io.env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_COLUMNS;
}

export function stdoutContext(io: CliIo): ReportContext {
  return { color: isColorWanted(io), columns: terminalColumns(io) };
}

/**
 * Above this many findings the default output hides the low-confidence ones. 50 lines is about
 * two screens: below it every lead is cheap to read; above it (a 3,900-file monorepo printed
 * 1,436) the possible reads (wildcards, common names, unparsed SQL) bury the findings a user can
 * act on, and the hidden line says how to get them back.
 */
export const HIDE_LOW_ABOVE = 50;

/**
 * The report the default text output shows, and how many low findings it leaves out: only when
 * the user asked for no level (no --min-confidence or config minConfidence, no --all) and the
 * findings are many. The exit code, output files and other formats use the whole report.
 */
export function trimForTerminal(report: AuditReport, ctx: Pick<CommandContext, 'values' | 'config'>): { report: AuditReport; hiddenLow: number } {
  const asked = ctx.values['min-confidence'] !== undefined || ctx.values.all === true || ctx.config.minConfidence !== undefined;
  const low = report.findings.filter((f) => f.confidence === 'low').length;
  if (asked || low === 0 || report.findings.length <= HIDE_LOW_ABOVE) return { report, hiddenLow: 0 };
  return { report: { ...report, findings: report.findings.filter((f) => f.confidence !== 'low') }, hiddenLow: low };
}
