// The JS/TS files an audit of <root> scans, for the parse floor and the one-change run: the
// build's own discoverFiles() (its default globs, .gitignore, links) minus the migrations folder,
// kept to code files. From this checkout's dist (bench/run.mjs builds it), whichever CLI is measured.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_EXTENSIONS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'];
const CODE = new RegExp(`\\.(?:${CODE_EXTENSIONS.join('|')})$`);
const here = path.dirname(fileURLToPath(import.meta.url));
const TEST = /(^|\/)(__tests__|__mocks__|tests?|e2e|fixtures)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

/** Sorted `/`-separated paths relative to root. `excludeDirs` are absolute (the migrations folder). */
export async function listCodeFiles(root, excludeDirs = []) {
  const { discoverFiles } = await import(path.join(here, '..', '..', 'dist', 'src', 'scan', 'files.js'));
  const { files } = await discoverFiles({ root: path.resolve(root), excludePaths: excludeDirs.map((dir) => path.resolve(dir)) });
  return files.filter((file) => CODE.test(file));
}

export const isTestFile = (file) => TEST.test(file);
