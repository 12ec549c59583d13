import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * The package as npm publishes it: packed, unpacked into a project's node_modules, then run and
 * imported the ways a user would (issue 13). CI has no network, so nothing is installed: the
 * package's dependencies resolve through a link to this checkout's node_modules. The tarball
 * packs dist/, so the repository must be built first (CI builds before testing).
 */

const repo = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
const built = existsSync(path.join(repo, 'dist', 'src', 'index.js'));
const NO_DIST = 'dist/ is missing: run `npm run build` first (CI builds before testing)';
// npm pack alone takes a few seconds; the first test pays for it.
const TIMEOUT = 120_000;

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
// Node 20.19 and 22.12 load an ES module through require() without a flag.
const requiresEsm = major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);

// npm must not look for its own updates or prompt: the test runs offline and unattended.
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

interface Installed {
  /** The temporary folder holding the tarball and the project. */
  dir: string;
  /** The consumer project, with dead-schema in its node_modules. */
  project: string;
  /** The unpacked package. */
  packageDir: string;
  /** Paths in the tarball, relative to the package root. */
  files: string[];
}

let installing: Installed | undefined;

/** Packs the package and installs the tarball into a new project, once for all the tests. */
function installed(): Installed {
  installing ??= install();
  return installing;
}

function install(): Installed {
  const dir = mkdtempSync(path.join(tmpdir(), 'dead-schema-tarball-'));
  // --ignore-scripts: the test packs the build that is there, it does not rebuild it.
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--offline', '--pack-destination', dir], { cwd: repo, env: npmEnv, encoding: 'utf8' }),
  ) as { filename: string; files: { path: string }[] }[];
  const tarball = path.join(dir, packed[0]!.filename);

  const project = path.join(dir, 'project');
  const packageDir = path.join(project, 'node_modules', pkg.name);
  mkdirSync(packageDir, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
  symlinkSync(path.join(repo, 'node_modules'), path.join(packageDir, 'node_modules'), 'dir');
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { [pkg.name]: pkg.version } }, null, 2));

  // What npm install does for a bin: a link in node_modules/.bin, and the target made executable.
  const bin = path.join(project, 'node_modules', '.bin');
  mkdirSync(bin);
  for (const [name, target] of Object.entries(pkg.bin)) {
    chmodSync(path.join(packageDir, target), 0o755);
    symlinkSync(path.join('..', pkg.name, target), path.join(bin, name));
  }
  return { dir, project, packageDir, files: packed[0]!.files.map((f) => f.path) };
}

function node(project: string, args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: project, encoding: 'utf8' });
}

describe('the packed tarball', () => {
  // rmSync removes the link to this checkout's node_modules, not what it points at.
  afterAll(() => installing && rmSync(installing.dir, { recursive: true, force: true }));

  it('holds the build, the docs and the schema, and no source maps', ({ skip }) => {
    skip(!built, NO_DIST);
    const { files } = installed();
    expect(files).toEqual(expect.arrayContaining(['package.json', 'LICENSE', 'README.md', 'schema.json', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/rules-api.js']));
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    // src/ is not shipped: nothing may point into it.
    expect(files.filter((file) => file.startsWith('src/'))).toEqual([]);
  }, TIMEOUT);

  it('runs as `npx dead-schema --help`', ({ skip }) => {
    skip(!built, NO_DIST);
    const { project } = installed();
    const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
    const help = execFileSync(npx, ['--offline', 'dead-schema', '--help'], { cwd: project, env: npmEnv, encoding: 'utf8' });
    expect(help).toContain('Usage');
  }, TIMEOUT);

  it('loads with import()', ({ skip }) => {
    skip(!built, NO_DIST);
    const { project } = installed();
    const script = "import('dead-schema').then((api) => console.log(JSON.stringify({ audit: typeof api.audit, defineConfig: typeof api.defineConfig, reporters: Object.keys(api.reporters) })))";
    const api = JSON.parse(node(project, ['--input-type=module', '-e', script])) as { audit: string; defineConfig: string; reporters: string[] };
    expect(api).toMatchObject({ audit: 'function', defineConfig: 'function' });
    expect(api.reporters).toEqual(expect.arrayContaining(['table', 'json', 'sarif', 'markdown', 'github']));
  }, TIMEOUT);

  it('loads with require() (Node >= 20.19 loads the ES module build)', ({ skip }) => {
    skip(!built, NO_DIST);
    skip(!requiresEsm, `Node ${process.versions.node} cannot require() an ES module without a flag; 20.19 and 22.12 can`);
    const { project } = installed();
    const script = "const api = require('dead-schema'); console.log(JSON.stringify({ audit: typeof api.audit, checkDrops: typeof api.checkDrops }))";
    expect(JSON.parse(node(project, ['--input-type=commonjs', '--no-warnings', '-e', script]))).toEqual({ audit: 'function', checkDrops: 'function' });
  }, TIMEOUT);

  it('exports its package.json and the dead-schema/rules subpath', ({ skip }) => {
    skip(!built, NO_DIST);
    const { project } = installed();
    expect(node(project, ['--input-type=commonjs', '-e', "console.log(require('dead-schema/package.json').version)"]).trim()).toBe(pkg.version);
    // The rules API is types only: the subpath must still load, for `import type` to be honest.
    expect(node(project, ['--input-type=module', '-e', "import('dead-schema/rules').then((m) => console.log(typeof m))"]).trim()).toBe('object');
  }, TIMEOUT);

  it('links SARIF help to a repository file that exists', async ({ skip }) => {
    skip(!built, NO_DIST);
    const { packageDir } = installed();
    // tool.ts reads the package.json it was installed with, so this is what users' SARIF logs say.
    const { toolInfo } = (await import(pathToFileURL(path.join(packageDir, 'dist', 'src', 'report', 'tool.js')).href)) as typeof import('../../src/report/tool.js');
    const tool = toolInfo();
    expect(tool.informationUri).toBe('https://github.com/dead-schema/dead-schema#readme');
    const prefix = 'https://github.com/dead-schema/dead-schema/blob/HEAD/';
    expect(tool.helpUri.startsWith(prefix), tool.helpUri).toBe(true);
    expect(existsSync(path.join(repo, tool.helpUri.slice(prefix.length)))).toBe(true);
  }, TIMEOUT);
});
