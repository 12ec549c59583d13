import { readFile, stat } from 'node:fs/promises';
import { readDecoded } from '../text/decode.js';
import { listWorkspaceManifests } from '../rules/enable.js';
import { hash } from './cache.js';
import { TreeListing, discoverFiles, type DiscoverOptions } from './files.js';
import { resolveModule } from './imported-constants.js';

/**
 * Everything a scan read from disk, so a later run can tell, without parsing anything, whether
 * a scan now would find exactly the same (issue 12: a warm run with nothing changed reuses the
 * whole result). Like a build system's dependency record: the folder walks and what they
 * listed, each file read with a hash of its text (or that it was absent), and how each relative
 * import resolved. Replaying it reads and hashes the files again and walks the folders again.
 */
export interface ScanInputs {
  walks: { options: DiscoverOptions; files: string[] }[];
  /** The workspace's package.json files (PackageDependencies), when it listed them. */
  manifests?: string[];
  /**
   * Absolute path → how it was read and a hash of its text (null when it could not be read);
   * `over-limit` files were skipped for size and hold the limit instead of a hash.
   */
  files: Record<string, { read: 'decoded' | 'utf8' | 'over-limit'; hash: string | null; size?: number }>;
  /** An import's base path → the file it resolved to (null: none). */
  resolutions: Record<string, string | null>;
}

export class InputLog {
  readonly inputs: ScanInputs = { walks: [], files: {}, resolutions: {} };

  walk(options: DiscoverOptions, files: readonly string[]): void {
    this.inputs.walks.push({ options, files: [...files] });
  }

  manifests(root: string, files: readonly string[]): void {
    this.inputs.manifests = [root, ...files];
  }

  /**
   * A file read as text: `text` undefined when it could not be read. `utf8Exact` says the text
   * is the file's bytes as UTF-8 (decoded as UTF-8, no replacement characters), so its size is
   * the file's and a later check can compare sizes before reading anything. `textHash`: the
   * text's hash when the caller has it already.
   */
  file(absolute: string, read: 'decoded' | 'utf8', text: string | undefined, utf8Exact = read === 'utf8', textHash = text === undefined ? undefined : hash(text)): void {
    if (text === undefined || textHash === undefined) {
      this.inputs.files[absolute] = { read, hash: null };
      return;
    }
    const exact = utf8Exact && !text.includes('\uFFFD');
    this.inputs.files[absolute] = exact ? { read, hash: textHash, size: Buffer.byteLength(text) } : { read, hash: textHash };
  }

  /** A file skipped because it is larger than `limit` bytes: it stays skipped while it stays that large. */
  overLimit(absolute: string, limit: number): void {
    this.inputs.files[absolute] = { read: 'over-limit', hash: String(limit) };
  }

  resolution(base: string, file: string | undefined): void {
    this.inputs.resolutions[base] = file ?? null;
  }
}

/** True when walking, reading and resolving again gives what `inputs` recorded. */
export async function inputsUnchanged(inputs: ScanInputs): Promise<boolean> {
  for (const [base, file] of Object.entries(inputs.resolutions)) if ((resolveModule(base) ?? null) !== file) return false;
  if (inputs.manifests !== undefined) {
    const [root, ...files] = inputs.manifests;
    if (root === undefined || !sameList(listWorkspaceManifests(root), files)) return false;
  }
  const listings = new Map<string, TreeListing>();
  for (const walk of inputs.walks) {
    const root = walk.options.root;
    if (!listings.has(root)) listings.set(root, new TreeListing(root));
    const { files } = await discoverFiles(walk.options, listings.get(root));
    if (!sameList(files, walk.files)) return false;
  }
  const entries = Object.entries(inputs.files);
  const BATCH = 64;
  // Sizes first: an edit almost always changes one, and a stat costs far less than reading and
  // hashing every file. Equal sizes prove nothing, so the hashes are compared after.
  for (let offset = 0; offset < entries.length; offset += BATCH) {
    const batch = entries.slice(offset, offset + BATCH).filter(([, entry]) => entry.size !== undefined);
    const sizes = await Promise.all(batch.map(async ([file]) => stat(file).then((info) => info.size, () => undefined)));
    if (batch.some(([, entry], index) => sizes[index] !== entry.size)) return false;
  }
  for (let offset = 0; offset < entries.length; offset += BATCH) {
    const batch = entries.slice(offset, offset + BATCH);
    const now = await Promise.all(batch.map(async ([file, { read, hash: before }]) => (read === 'over-limit' ? sizeAbove(file, Number(before)) : hashOf(file, read))));
    if (batch.some(([, { hash: before }], index) => before !== now[index])) return false;
  }
  return true;
}

async function hashOf(file: string, read: 'decoded' | 'utf8'): Promise<string | null> {
  try {
    return hash(read === 'decoded' ? (await readDecoded(file)).text : await readFile(file, 'utf8'));
  } catch {
    return null;
  }
}

/** The limit as recorded while the file stays over it, so the comparison above holds. */
async function sizeAbove(file: string, limit: number): Promise<string | null> {
  const size = await stat(file).then((info) => info.size, () => undefined);
  return size !== undefined && size > limit ? String(limit) : null;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
