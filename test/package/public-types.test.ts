import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { configSchema } from '../../src/config/schema.js';
import type { DeadSchemaConfig } from '../../src/index.js';

/*
 * What a project type-checks when it imports dead-schema: the declaration files TypeScript loads
 * for the main entry, found by TypeScript itself. Issue 13: one import used to bring in the
 * compiler (through ts-morph) and zod, ~30k definition lines. The build is what ships, so these
 * read dist/ (CI builds before testing) and skip without it.
 */

const repo = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };
const NO_DIST = 'dist/ is missing: run `npm run build` first (CI builds before testing)';

/** Packages the main entry's types may load besides its own files; Node's own types are always allowed. */
const ALLOWED_PACKAGES: readonly string[] = [];

function typesOf(subpath: string): string {
  const entry = pkg.exports[subpath];
  const types = typeof entry === 'object' ? entry.types : undefined;
  if (types === undefined) throw new Error(`package.json exports["${subpath}"] has no "types" condition`);
  return path.join(repo, types);
}

const built = existsSync(typesOf('.'));

const compilerOptions: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  // Only what the declarations themselves pull in, not every @types package of this checkout.
  types: [],
  noEmit: true,
};

/** Every non-lib declaration file TypeScript loads for `entry`, with the package each comes from (undefined: ours). */
function loadedFiles(entry: string): { file: string; from: string | undefined }[] {
  const program = ts.createProgram([entry], compilerOptions);
  const dist = path.join(repo, 'dist') + path.sep;
  return program
    .getSourceFiles()
    .filter((file) => !program.isSourceFileDefaultLibrary(file))
    .map((file) => {
      const name = path.resolve(file.fileName);
      return { file: path.relative(repo, name), from: name.startsWith(dist) ? undefined : packageOf(name) };
    });
}

/** `node_modules/@scope/name/...` → `@scope/name`; a file outside any node_modules is named as it is. */
function packageOf(file: string): string {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  if (at === -1) return file;
  const first = parts[at + 1] ?? '';
  return first.startsWith('@') ? `${first}/${parts[at + 2] ?? ''}` : first;
}

/** Node's built-in module types come from @types/node, which a Node project has anyway. */
function isNodeTypes(name: string): boolean {
  return name === '@types/node' || name === 'undici-types';
}

/** A project with this package in its node_modules, as an install would have it. */
function consumerFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dead-schema-types-'));
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(repo, path.join(dir, 'node_modules', 'dead-schema'), 'dir');
  return path.join(dir, 'index.ts');
}

describe('public types', () => {
  it('of the main entry load no other package: not TypeScript, ts-morph or zod', ({ skip }) => {
    skip(!built, NO_DIST);
    const files = loadedFiles(typesOf('.'));
    const foreign = [...new Set(files.map((f) => f.from).filter((from): from is string => from !== undefined && !isNodeTypes(from)))];
    expect(foreign.filter((name) => !ALLOWED_PACKAGES.includes(name))).toEqual([]);
    expect(files.map((f) => f.file)).toContain(path.join('dist', 'src', 'index.d.ts'));
  });

  it('of dead-schema/rules bring the compiler types a rule needs (the walk above does see packages)', ({ skip }) => {
    skip(!built, NO_DIST);
    const from = new Set(loadedFiles(typesOf('./rules')).map((f) => f.from));
    expect(from).toContain('ts-morph');
  });

  it('resolve the ./rules subpath for TypeScript and for Node', ({ skip }) => {
    skip(!built, NO_DIST);
    const consumer = consumerFile();
    const resolved = ts.resolveModuleName('dead-schema/rules', consumer, compilerOptions, ts.sys).resolvedModule;
    expect(resolved && path.relative(repo, realpath(resolved.resolvedFileName))).toBe(path.join('dist', 'src', 'rules-api.d.ts'));
    const runtime = createRequire(consumer).resolve('dead-schema/rules');
    expect(path.relative(repo, realpath(runtime))).toBe(path.join('dist', 'src', 'rules-api.js'));
    // Removes the link to this checkout, not the checkout.
    rmSync(path.dirname(consumer), { recursive: true, force: true });
  });

  it('name a file for every types condition in exports', ({ skip }) => {
    skip(!built, NO_DIST);
    const missing = Object.keys(pkg.exports).filter((subpath) => typeof pkg.exports[subpath] === 'object' && !existsSync(typesOf(subpath)));
    expect(missing).toEqual([]);
  });

  // Checked by `npm run typecheck`: the hand-written config type (src/define-config.ts) is the
  // type the zod schema accepts, so neither can change without the other.
  it('declare the config exactly as the schema validates it', () => {
    expectTypeOf<DeadSchemaConfig>().toEqualTypeOf<z.infer<typeof configSchema>>();
    expectTypeOf<DeadSchemaConfig>().toEqualTypeOf<z.input<typeof configSchema>>();
  });
});

function realpath(file: string): string {
  return ts.sys.realpath?.(file) ?? file;
}
