import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A TypeScript module that does not parse, with where (1-based) for `file:line:column` messages. */
export class ModuleSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}`);
    this.name = 'ModuleSyntaxError';
  }
}

const TYPESCRIPT = /\.[cm]?tsx?$/;

/**
 * The exports of a user's module (a config, a reporter). Node 20 cannot import TypeScript and the
 * project may have no TS runtime, so `.ts` goes through jiti, which transpiles in memory and
 * resolves the module's own imports (relative `.ts` files, packages) from its folder: nothing is
 * written next to it. Anything else is a plain import().
 */
export async function importModuleFile(file: string): Promise<Record<string, unknown>> {
  if (!TYPESCRIPT.test(file)) return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  // Loaded here, not at the top: only a .ts module needs jiti and its Babel (a few hundred ms).
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, {
    // Transpiled code is cached by content in the OS temp folder (jiti's own default when it finds
    // no node_modules beside itself), never in the user's repository; a warm run skips Babel.
    fsCache: path.join(tmpdir(), 'jiti'),
    // Each call reads the file again, as the import() of a fresh temporary file used to.
    moduleCache: false,
    // The module's real exports, so a missing default export is seen as missing.
    interopDefault: false,
  });
  try {
    return await jiti.import<Record<string, unknown>>(file);
  } catch (error) {
    throw syntaxError(error) ?? error;
  }
}

/**
 * jiti reports Babel's parse errors as `ParseError: <message> \n <file>:<line>:<column>` with a
 * 0-based column (jiti's `__JITI_ERROR__`); anything else is left as thrown.
 */
function syntaxError(error: unknown): ModuleSyntaxError | undefined {
  if (!(error instanceof Error)) return undefined;
  const match = /^(\w*Error): (.*?)\s*\n\s*(.+):(\d+):(\d+)\s*$/s.exec(error.message);
  if (match === null) return undefined;
  const [, code = '', detail = '', file = '', line = '0', column = '0'] = match;
  return new ModuleSyntaxError(file, Number(line), Number(column) + 1, `${code === 'ParseError' ? 'syntax error' : code}: ${detail}`);
}
