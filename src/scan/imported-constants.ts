import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { InputLog } from './inputs.js';

/**
 * String constants other files export, for names a file imports: `db(SHIPMENTS)` with
 * `export const SHIPMENTS = 'shipments'` in tables.ts, `db(TableName.Users)` with an exported
 * enum or `as const` object of table names. Real code keeps table names in such modules, and
 * without them every query through one reads "a table named by an unknown identifier".
 *
 * Exports are read with regular expressions, not a second parse: only literal string values
 * count (nothing computed), so a miss leaves the name unknown as before and never invents one.
 * Only relative imports and their barrels (`export * from`, `export { X } from`) are followed.
 */

export type ExportedValue = string | ReadonlyMap<string, string>;
type Exports = Map<string, ExportedValue>;

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];
const MAX_REEXPORT_DEPTH = 4;
const MAX_FILE_BYTES = 512 * 1024;

const STRING = String.raw`(?:'([^'\\\n]*)'|"([^"\\\n]*)"|\x60([^\x60\\$]*)\x60)`;
const CONST_STRING = new RegExp(String.raw`export\s+const\s+([A-Za-z_$][\w$]*)\s*(?::\s*string\s*)?=\s*${STRING}`, 'g');
const ENUM = /export\s+(?:declare\s+)?(?:const\s+)?enum\s+([A-Za-z_$][\w$]*)\s*\{([^}]*)\}/g;
const CONST_OBJECT = /export\s+const\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*\{([^{}]*)\}/g;
const ENTRY = new RegExp(String.raw`(?:^|[,{\s])(?:([A-Za-z_$][\w$]*)|'([^']+)'|"([^"]+)")\s*[:=]\s*${STRING}\s*(?=,|$|\s)`, 'g');
const STAR_REEXPORT = /export\s+\*\s+from\s+['"]([^'"]+)['"]/g;
const NAMED_REEXPORT = /export\s+(?:type\s+)?\{([^}]*)\}\s*from\s+['"]([^'"]+)['"]/g;

export class ImportedConstants {
  /** `log` records every module read and every import resolved, for a later run to check (src/scan/inputs.ts). */
  constructor(private readonly log?: InputLog) {}

  private readonly byFile = new Map<string, Exports>();
  /** Specifier bases already looked up: every file of a folder imports the same few modules. */
  private readonly resolved = new Map<string, string | undefined>();

  /** What `import { ... } from specifier` in `importer` (absolute) can see, by exported name. */
  exportsOf(importer: string, specifier: string): ReadonlyMap<string, ExportedValue> | undefined {
    const file = this.moduleFile(importer, specifier);
    return file === undefined ? undefined : this.read(file, 0);
  }

  /** The file a relative specifier in `from` names, stat-ed once per base path. */
  private moduleFile(from: string, specifier: string): string | undefined {
    if (!specifier.startsWith('.')) return undefined;
    const base = path.resolve(path.dirname(from), specifier);
    if (!this.resolved.has(base)) {
      const file = resolveModule(base);
      this.resolved.set(base, file);
      this.log?.resolution(base, file);
    }
    return this.resolved.get(base);
  }

  private read(file: string, depth: number): Exports {
    const cached = this.byFile.get(file);
    if (cached !== undefined) return cached;
    const out: Exports = new Map();
    // Set before following re-exports, so an import cycle ends here.
    this.byFile.set(file, out);
    let text: string;
    try {
      if (statSync(file).size > MAX_FILE_BYTES) {
        this.log?.overLimit(file, MAX_FILE_BYTES);
        return out;
      }
      text = readFileSync(file, 'utf8');
    } catch {
      this.log?.file(file, 'utf8', undefined);
      return out;
    }
    this.log?.file(file, 'utf8', text);
    for (const match of text.matchAll(CONST_STRING)) out.set(match[1]!, match[2] ?? match[3] ?? match[4] ?? '');
    for (const match of text.matchAll(ENUM)) out.set(match[1]!, entriesOf(match[2]!));
    for (const match of text.matchAll(CONST_OBJECT)) {
      const entries = entriesOf(match[2]!);
      if (entries.size > 0 && !out.has(match[1]!)) out.set(match[1]!, entries);
    }
    if (depth >= MAX_REEXPORT_DEPTH) return out;
    for (const match of text.matchAll(STAR_REEXPORT)) {
      const target = this.reexported(file, match[1]!, depth);
      if (target !== undefined) for (const [name, value] of target) if (!out.has(name)) out.set(name, value);
    }
    for (const match of text.matchAll(NAMED_REEXPORT)) {
      const target = this.reexported(file, match[2]!, depth);
      if (target === undefined) continue;
      for (const part of match[1]!.split(',')) {
        const [imported, local] = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/);
        const value = imported === undefined ? undefined : target.get(imported);
        if (value !== undefined) out.set((local ?? imported)!, value);
      }
    }
    return out;
  }

  private reexported(from: string, specifier: string, depth: number): Exports | undefined {
    const file = this.moduleFile(from, specifier);
    return file === undefined ? undefined : this.read(file, depth + 1);
  }
}

/** `name = 'value'` (enum) and `name: 'value'` (object) members, by member name. */
function entriesOf(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const match of body.matchAll(ENTRY)) {
    const key = match[1] ?? match[2] ?? match[3];
    const value = match[4] ?? match[5] ?? match[6];
    if (key !== undefined && value !== undefined) out.set(key, value);
  }
  return out;
}

/** A specifier's file the way TypeScript and bundlers find it: `./x.js` may be x.ts, `./dir` is dir/index.ts. */
export function resolveModule(base: string): string | undefined {
  const candidates = [base];
  const withoutJs = base.replace(/\.(?:m|c)?jsx?$/, '');
  for (const extension of EXTENSIONS) candidates.push(withoutJs + extension);
  for (const extension of EXTENSIONS) candidates.push(path.join(base, `index${extension}`));
  for (const candidate of candidates) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}
