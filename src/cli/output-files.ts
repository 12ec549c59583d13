import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, messageOf } from '../errors.js';
import { loadReporter, reporters, type Reporter } from '../report/index.js';

/** Formats an `--output-file` path implies by its extension, when it names none (`sarif=...`). */
const BY_EXTENSION: Record<string, string> = { '.sarif': 'sarif', '.json': 'json', '.md': 'markdown', '.markdown': 'markdown', '.txt': 'text' };

export interface OutputFile {
  format: string;
  /** Absolute. */
  file: string;
  reporter: Reporter;
}

/**
 * `--output-file [format=]path`, repeatable: one run writes several reports (SARIF for code
 * scanning, Markdown for the pull request) besides the one on stdout. Checked before the audit
 * runs, so a typo costs no audit.
 */
export async function outputFiles(specs: readonly string[] | undefined, cwd: string): Promise<OutputFile[]> {
  const out: OutputFile[] = [];
  for (const spec of specs ?? []) {
    const target = outputTarget(spec, cwd);
    if (target === undefined) {
      throw new UsageError(`--output-file ${spec}: which format?`, {
        hint: `name it (${Object.keys(reporters).map((name) => `${name}=FILE`).join(', ')}) or use an extension (${Object.keys(BY_EXTENSION).join(', ')})`,
      });
    }
    out.push({ ...target, reporter: await loadReporter(target.format, cwd) });
  }
  return out;
}

/** One `--output-file [format=]path`: its format (named, else from the extension) and absolute file; undefined when neither tells. */
export function outputTarget(spec: string, cwd: string): { format: string; file: string } | undefined {
  const named = /^([a-z][a-z-]*)=(.+)$/.exec(spec);
  const format = named !== null && reporters[named[1]!] !== undefined ? named[1]! : BY_EXTENSION[path.extname(spec).toLowerCase()];
  if (format === undefined) return undefined;
  return { format, file: path.resolve(cwd, named !== null && format === named[1] ? named[2]! : spec) };
}

/** Writes one report; a file that cannot be written is a one-line error naming it. */
export async function writeOutputFile(output: Pick<OutputFile, 'file'>, text: string): Promise<void> {
  try {
    await mkdir(path.dirname(output.file), { recursive: true });
    await writeFile(output.file, text);
  } catch (error) {
    throw new UsageError(`cannot write ${output.file}: ${messageOf(error)}`, { path: output.file });
  }
}

/**
 * Under GitHub Actions, the audited commit's blob URL (`$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/
 * blob/$GITHUB_SHA/`), for links from a Markdown report posted to the pull request; elsewhere none.
 */
export function sourceLinkBase(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA } = env;
  if (!GITHUB_SERVER_URL || !GITHUB_REPOSITORY || !GITHUB_SHA) return undefined;
  return `${GITHUB_SERVER_URL.replace(/\/+$/, '')}/${GITHUB_REPOSITORY}/blob/${GITHUB_SHA}/`;
}
