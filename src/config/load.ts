import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ParseError } from 'jsonc-parser';
import { ConfigError, messageOf } from '../errors.js';
import { importModuleFile, ModuleSyntaxError } from './load-module.js';
import type { DeadSchemaConfig } from './schema.js';

export interface LoadedConfig {
  config: DeadSchemaConfig;
  /** The file it came from (package.json for the "dead-schema" key), when there is one. */
  file?: string;
}

const CONFIG_NAMES = ['dead-schema.config.json', 'dead-schema.config.jsonc', 'dead-schema.config.ts', 'dead-schema.config.mjs'] as const;
const PACKAGE_KEY = 'dead-schema';

/**
 * The project's config, or `explicitFile` (--config). Looked for in the audited root, then its
 * parents up to the repository's top (the first folder holding `.git`), so a workspace package
 * audited on its own still gets the monorepo's config; never above the repository, where a
 * config would apply by surprise. An empty config when there is none.
 */
export async function loadConfig(root: string, explicitFile?: string): Promise<LoadedConfig> {
  if (explicitFile !== undefined) {
    const file = path.resolve(explicitFile);
    if (!existsSync(file)) throw new ConfigError(`config file ${explicitFile} does not exist`, { path: file });
    if (path.basename(file) === 'package.json') {
      const fromPackage = await readPackageConfig(file);
      if (fromPackage === undefined) throw new ConfigError(`${explicitFile} has no "${PACKAGE_KEY}" key`, { path: file });
      return { config: await validate(fromPackage, file, `${displayName(file, root)} "${PACKAGE_KEY}"`), file };
    }
    return { config: await validate(await readConfigFile(file, root), file, displayName(file, root)), file };
  }
  for (const dir of searchedFolders(path.resolve(root))) {
    const loaded = await loadConfigIn(dir, root);
    if (loaded !== undefined) return loaded;
  }
  return { config: {} };
}

/** `root`, then each parent up to and including the first one with `.git` (or the filesystem root). */
export function searchedFolders(root: string): string[] {
  const folders: string[] = [];
  for (let dir = root; ; dir = path.dirname(dir)) {
    folders.push(dir);
    if (existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return folders;
  }
}

async function loadConfigIn(dir: string, root: string): Promise<LoadedConfig | undefined> {
  const found = CONFIG_NAMES.map((name) => path.join(dir, name)).filter((file) => existsSync(file));
  rejectUnsupported(dir);
  const packageFile = path.join(dir, 'package.json');
  const fromPackage = existsSync(packageFile) ? await readPackageConfig(packageFile) : undefined;
  const candidates = [...found.map((f) => path.basename(f)), ...(fromPackage !== undefined ? [`package.json "${PACKAGE_KEY}"`] : [])];
  if (candidates.length > 1) {
    throw new ConfigError(`more than one config in ${dir}: ${candidates.join(' and ')}`, {
      path: dir,
      hint: 'keep one of them, or pick one with --config FILE',
    });
  }
  const file = found[0];
  if (file !== undefined) return { config: await validate(await readConfigFile(file, root), file, displayName(file, root)), file };
  if (fromPackage !== undefined) return { config: await validate(fromPackage, packageFile, `${displayName(packageFile, root)} "${PACKAGE_KEY}"`), file: packageFile };
  return undefined;
}

async function validate(input: unknown, file: string, where: string): Promise<DeadSchemaConfig> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError(`${where}: the config must be an object, got ${input === null ? 'null' : Array.isArray(input) ? 'a list' : typeof input}`, {
      path: file,
    });
  }
  // The schema (zod, ~0.2 s to load and build) loads only when there is a config to check.
  const [{ configSchema }, { configIssuesError }] = await Promise.all([import('./schema.js'), import('./issues.js')]);
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) throw configIssuesError(where, file, parsed.error.issues, input, configSchema);
  return parsed.data;
}

/** A `dead-schema.config.*` this loader would otherwise ignore without a word. */
function rejectUnsupported(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  const unsupported = entries.find((name) => /^dead-schema\.config\.(js|cjs|mts|cts|json5|yaml|yml|toml)$/.test(name));
  if (unsupported !== undefined) {
    throw new ConfigError(`${unsupported} is not a supported config file`, {
      path: path.join(dir, unsupported),
      hint: `use ${CONFIG_NAMES.join(', ')} or a "${PACKAGE_KEY}" key in package.json`,
    });
  }
}

async function readConfigFile(file: string, root: string): Promise<unknown> {
  const name = displayName(file, root);
  if (file.endsWith('.json') || file.endsWith('.jsonc')) return parseJsonc(await readFile(file, 'utf8'), name, file);
  if (file.endsWith('.mjs') || file.endsWith('.ts')) return importDefault(file, name);
  throw new ConfigError(`${name}: unsupported config file type`, { path: file, hint: 'use .json, .jsonc, .ts or .mjs' });
}

async function readPackageConfig(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  let pkg: unknown;
  try {
    pkg = JSON.parse(stripBom(text));
  } catch (error) {
    // A broken package.json is only our business when it may hold our key.
    if (!text.includes(`"${PACKAGE_KEY}"`)) return undefined;
    throw jsonError(error, text, 'package.json', file);
  }
  return pkg !== null && typeof pkg === 'object' && Object.hasOwn(pkg, PACKAGE_KEY) ? (pkg as Record<string, unknown>)[PACKAGE_KEY] : undefined;
}

/**
 * A config file is JSON with comments and trailing commas allowed, as in tsconfig.json, whether
 * it is called .json or .jsonc. The first error is the message, as `file:line:column`.
 */
async function parseJsonc(text: string, name: string, file: string): Promise<unknown> {
  // Loaded here: only a JSON config needs it.
  const { parse, printParseErrorCode } = await import('jsonc-parser');
  const body = stripBom(text);
  const errors: ParseError[] = [];
  const value: unknown = parse(body, errors, { allowTrailingComma: true, disallowComments: false });
  const [first] = errors;
  if (first === undefined) return value;
  // `PropertyNameExpected` reads as "property name expected".
  const problem = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  throw new ConfigError(`${name}:${lineColumn(body, first.offset)}: invalid JSON: ${problem}`, { path: file });
}

/** `file:line:column: message` from V8's JSON errors, which give a character position. */
function jsonError(error: unknown, text: string, name: string, file: string): ConfigError {
  const message = messageOf(error);
  const body = stripBom(text);
  const position = /at position (\d+)/.exec(message)?.[1];
  const offset = position !== undefined ? Number(position) : /end of (JSON|data) input/i.test(message) ? body.length : undefined;
  const where = offset === undefined ? name : `${name}:${lineColumn(body, offset)}`;
  const detail = message.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '');
  return new ConfigError(`${where}: invalid JSON: ${detail}`, { path: file, hint: 'package.json is strict JSON: no comments or trailing commas' });
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function importDefault(file: string, name: string): Promise<unknown> {
  let module: Record<string, unknown>;
  try {
    module = await importModuleFile(file);
  } catch (error) {
    if (error instanceof ModuleSyntaxError) throw new ConfigError(`${name}:${error.line}:${error.column}: ${error.detail}`, { path: file, cause: error });
    throw new ConfigError(`${name}: cannot load: ${oneLine(messageOf(error))}`, { path: file, cause: error });
  }
  if (!('default' in module)) throw new ConfigError(`${name} has no default export`, { path: file, hint: 'export default defineConfig({ ... })' });
  return module.default;
}

function displayName(file: string, root: string): string {
  const relative = path.relative(path.resolve(root), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function oneLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
