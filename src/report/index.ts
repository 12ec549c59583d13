import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeadSchemaError, UsageError, messageOf } from '../errors.js';
import type { AuditReport } from '../run.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatTable } from './table.js';
import { formatText } from './text.js';

/**
 * How the text is shown, decided by the CLI: colour only for a terminal that wants it (never in
 * files), the width to fit, and how many low findings the default output left out (`hiddenLow`).
 * A reporter that ignores it (one argument) still works.
 */
export interface ReportContext {
  color?: boolean;
  columns?: number;
  hiddenLow?: number;
  /**
   * Where the audited commit's files are browsable, ending in `/` (under GitHub Actions
   * `https://github.com/o/r/blob/<sha>/`): Markdown links each `file:line` to it.
   */
  linkBase?: string;
}

export type Reporter = (report: AuditReport, context?: ReportContext) => string;

export const reporters: Record<string, Reporter> = {
  text: formatText,
  table: formatTable,
  json: formatJson,
  // Its second parameter is the tool description, not a ReportContext.
  sarif: (report) => formatSarif(report),
  markdown: formatMarkdown,
  github: formatGithub,
};

/**
 * A built-in reporter by name, or a module path (relative to `cwd`) whose default export is a
 * Reporter. A module that is missing, fails to load, throws or returns no text is a one-line
 * error naming it: its stack is the module author's business, not the audit's.
 */
export async function loadReporter(name: string, cwd: string = process.cwd()): Promise<Reporter> {
  const builtIn = reporters[name];
  if (builtIn !== undefined) return builtIn;
  if (!/[./\\]/.test(name)) {
    throw new UsageError(`unknown format "${name}"`, { hint: `use one of: ${Object.keys(reporters).join(', ')}, or a path to a reporter module` });
  }
  const file = path.resolve(cwd, name);
  if (!existsSync(file)) {
    throw new UsageError(`reporter module ${name} not found`, { path: file, hint: `no file at ${file}; --format takes ${Object.keys(reporters).join(', ')} or a path to a reporter module` });
  }
  let module: { default?: unknown };
  try {
    module = (await (await import('../config/load-module.js')).importModuleFile(file)) as { default?: unknown };
  } catch (error) {
    throw new UsageError(`reporter module ${name} failed to load: ${firstLine(error)}`, { path: file, cause: error });
  }
  const reporter = module.default;
  if (typeof reporter !== 'function') throw new UsageError(`reporter module ${name} has no default export function`, { path: file });
  return (report, context) => {
    let text: unknown;
    try {
      text = (reporter as (report: AuditReport, context?: ReportContext) => unknown)(report, context);
    } catch (error) {
      throw new DeadSchemaError(`reporter module ${name} threw: ${firstLine(error)}`, { path: file, cause: error });
    }
    if (typeof text !== 'string') throw new DeadSchemaError(`reporter module ${name} returned ${text instanceof Promise ? 'a Promise' : typeof text}, not the report text`, { path: file, hint: 'a reporter returns a string synchronously' });
    return text;
  };
}

function firstLine(error: unknown): string {
  return messageOf(error).split('\n')[0] ?? '';
}
