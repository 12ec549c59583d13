import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export interface WorkerEntry {
  url: URL;
  execArgv: string[];
}

/**
 * The PGlite worker's entry point. The build runs the compiled `pglite-worker.js`; from the
 * TypeScript sources (vitest, which transforms only the main thread) the worker registers
 * module hooks that transpile `.ts` files with the TypeScript dev dependency, since Node 20
 * cannot run TypeScript itself.
 */
export function pgliteWorkerEntry(): WorkerEntry {
  if (!import.meta.url.endsWith('.ts')) return { url: new URL('./pglite-worker.js', import.meta.url), execArgv: [] };
  const typescript = pathToFileURL(createRequire(import.meta.url).resolve('typescript')).href;
  const register = [
    `import { register } from 'node:module';`,
    `register(${JSON.stringify(dataUrl(tsHooks(typescript)))});`,
  ].join('\n');
  return { url: new URL('./pglite-worker.ts', import.meta.url), execArgv: ['--import', dataUrl(register)] };
}

function dataUrl(source: string): string {
  return `data:text/javascript,${encodeURIComponent(source)}`;
}

/** Resolves `./x.js` to `./x.ts` beside a TypeScript importer and erases types on load. */
function tsHooks(typescriptUrl: string): string {
  return `
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from ${JSON.stringify(typescriptUrl)};
export async function resolve(specifier, context, next) {
  if (context.parentURL?.endsWith('.ts') && /^\\.\\.?\\//.test(specifier) && specifier.endsWith('.js')) {
    const candidate = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const source = await readFile(fileURLToPath(url), 'utf8');
  const output = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
  });
  return { format: 'module', source: output.outputText, shortCircuit: true };
}
`;
}
