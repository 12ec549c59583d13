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

export type Reporter = (report: AuditReport) => string;

export const reporters: Record<string, Reporter> = {
  table: formatTable,
  json: formatJson,
  sarif: formatSarif,
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
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw new UsageError(`reporter module ${name} failed to load: ${firstLine(error)}`, { path: file, cause: error });
  }
  const reporter = module.default;
  if (typeof reporter !== 'function') throw new UsageError(`reporter module ${name} has no default export function`, { path: file });
  return (report) => {
    let text: unknown;
    try {
      text = (reporter as (report: AuditReport) => unknown)(report);
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
