import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { UsageError } from '../errors.js';
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

/** A built-in reporter by name, or a module path whose default export is a Reporter. */
export async function loadReporter(name: string): Promise<Reporter> {
  const builtIn = reporters[name];
  if (builtIn !== undefined) return builtIn;
  if (!/[./\\]/.test(name)) {
    throw new UsageError(`unknown format "${name}"`, { hint: `use one of: ${Object.keys(reporters).join(', ')}, or a path to a reporter module` });
  }
  const module = (await import(pathToFileURL(path.resolve(name)).href)) as { default?: Reporter };
  if (typeof module.default !== 'function') throw new UsageError(`reporter module ${name} has no default export function`);
  return module.default;
}
