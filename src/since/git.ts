import { execFile } from 'node:child_process';
import { UsageError } from '../errors.js';
import { decodeText } from '../text/decode.js';

/** Migration folders hold megabytes at most; a generous cap still fails loudly on a runaway repo. */
const MAX_BUFFER = 256 * 1024 * 1024;

interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/** Runs git without a shell (refs and paths are never interpreted); a missing git binary is a UsageError. */
function git(cwd: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      // LC_ALL=C keeps git's messages stable; GIT_OPTIONAL_LOCKS=0 keeps a read-only run from touching the index.
      { cwd, encoding: 'buffer', maxBuffer: MAX_BUFFER, env: { ...process.env, LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' } },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        if (code === 'ENOENT') {
          reject(new UsageError('--since needs git, and git was not found on PATH', { hint: 'install git, or drop --since' }));
          return;
        }
        if (error !== null && typeof code !== 'number') {
          reject(new UsageError(`git ${args[0] ?? ''} failed in ${cwd}: ${error.message.split('\n')[0] ?? ''}`));
          return;
        }
        resolve({ stdout, stderr: stderr.toString('utf8'), code: typeof code === 'number' ? code : 0 });
      },
    );
  });
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}

export interface GitLocation {
  /** Absolute path of the work tree's top level, as git prints it. */
  toplevel: string;
  /** The directory's path inside the repository, `/`-separated, with a trailing `/` (empty at the top level). */
  prefix: string;
}

/** Where `dir` sits in its repository; a clear error when it is not in one. */
export async function locateInRepo(dir: string): Promise<GitLocation> {
  const result = await git(dir, ['rev-parse', '--show-toplevel', '--show-prefix']);
  if (result.code !== 0) {
    const cause = firstLine(result.stderr);
    throw new UsageError(`--since compares migrations with a git ref, but ${dir} is not inside a git work tree`, {
      ...(cause !== '' ? { reason: cause } : {}),
      hint: 'run in a git checkout, or drop --since',
    });
  }
  const [toplevel = '', prefix = ''] = result.stdout.toString('utf8').split('\n');
  return { toplevel, prefix };
}

/** The commit a ref names; a missing ref (typical in a shallow CI clone) is a UsageError saying how to fetch it. */
export async function resolveCommit(cwd: string, ref: string): Promise<string> {
  // A ref that starts with `-` would reach git as an option.
  if (ref === '' || ref.startsWith('-')) throw new UsageError(`--since needs a git ref such as origin/main, got "${ref}"`);
  const result = await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  const commit = result.stdout.toString('utf8').trim();
  if (result.code === 0 && commit !== '') return commit;
  throw new UsageError(`git ref ${ref} not found; ${await fetchAdvice(cwd, ref)}`);
}

/**
 * The command that brings a missing ref, for the forms `--since` gets: a remote-tracking branch
 * (origin/main), a branch name, a tag, a commit sha, or one of those with ~N/^. Local facts only
 * (remotes, shallowness): no network call on an error path. `--depth=1` only in a shallow clone,
 * since in a full one it would make the clone shallow.
 */
async function fetchAdvice(cwd: string, ref: string): Promise<string> {
  const remotes = (await git(cwd, ['remote'])).stdout.toString('utf8').split('\n').filter((r) => r !== '');
  const shallow = (await git(cwd, ['rev-parse', '--is-shallow-repository'])).stdout.toString('utf8').trim() === 'true';
  const depth = shallow ? ' --depth=1' : '';
  const remote = remotes.includes('origin') ? 'origin' : remotes[0];

  const relative = /^(.+?)([~^][~^\d]*)$/.exec(ref);
  if (relative?.[1] !== undefined && relative[2] !== undefined) {
    const base = relative[1];
    const back = relative[2].split(/[~^]/).slice(1).reduce((sum, step) => sum + (step === '' ? 1 : Number(step)), 0);
    if (!(await exists(cwd, base))) return `so is ${base}; ${await fetchAdvice(cwd, base)}`;
    if (shallow) return `this shallow clone lacks the history before ${base}: git fetch --deepen=${back} (or git fetch --unshallow, or check out with fetch-depth: 0)`;
    return `${base} has fewer than ${back} commits behind it; check the ref with git log --oneline ${base}`;
  }
  if (remote === undefined) return 'this repository has no remote to fetch it from; check the name with git branch -a and git tag';
  const tag = /^(?:refs\/)?tags\/(.+)$/.exec(ref)?.[1] ?? (/^v?\d+(?:\.\d+)+(?:[-+.][\w.]+)?$/.test(ref) ? ref : undefined);
  if (tag !== undefined) return `fetch the tag first: git fetch${depth} ${remote} tag ${tag}`;
  if (/^[0-9a-f]{7,64}$/i.test(ref)) {
    return shallow
      ? `the commit may be older than this shallow clone: git fetch --unshallow ${remote} (or git fetch --depth=1 ${remote} <full sha>)`
      : `the commit is not in this clone: git fetch ${remote}, or check the sha`;
  }
  const tracking = /^(?:refs\/remotes\/)?([^/]+)\/(.+)$/.exec(ref);
  if (tracking?.[1] !== undefined && tracking[2] !== undefined && remotes.includes(tracking[1])) {
    // The explicit destination matters: in a single-branch clone (`git clone --depth 1`) no
    // refspec turns a plain `fetch origin main` into refs/remotes/origin/main.
    return `fetch it first: git fetch${depth} ${tracking[1]} ${tracking[2]}:refs/remotes/${tracking[1]}/${tracking[2]}`;
  }
  const branch = ref.replace(/^refs\/heads\//, '');
  return `if it is a branch of ${remote}, fetch it and pass --since ${remote}/${branch}: git fetch${depth} ${remote} ${branch}:refs/remotes/${remote}/${branch}`;
}

async function exists(cwd: string, ref: string): Promise<boolean> {
  return (await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).code === 0;
}

export interface TreeEntry {
  /** Object id of the blob. */
  blob: string;
  /** Path relative to the listed directory, `/`-separated. */
  path: string;
}

/**
 * Files under `prefix` at `commit`, relative to `prefix`. Path-based, so it needs only that
 * commit's tree, which a `git fetch --depth=1` brings.
 */
export async function listTree(location: GitLocation, commit: string): Promise<Map<string, TreeEntry>> {
  const args = ['ls-tree', '-r', '-z', '--full-name', commit];
  if (location.prefix !== '') args.push('--', location.prefix);
  const result = await git(location.toplevel, args);
  if (result.code !== 0) throw new UsageError(`git ls-tree ${commit} failed: ${firstLine(result.stderr)}`);
  const entries = new Map<string, TreeEntry>();
  for (const record of result.stdout.toString('utf8').split('\0')) {
    // `<mode> SP <type> SP <object> TAB <path>`
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [, type, blob] = record.slice(0, tab).split(' ');
    const full = record.slice(tab + 1);
    if (type !== 'blob' || blob === undefined || !full.startsWith(location.prefix)) continue;
    const rel = full.slice(location.prefix.length);
    entries.set(rel, { blob, path: rel });
  }
  return entries;
}

export async function readBlob(location: GitLocation, blob: string): Promise<string> {
  const result = await git(location.toplevel, ['cat-file', 'blob', blob]);
  if (result.code !== 0) throw new UsageError(`git cat-file blob ${blob} failed: ${firstLine(result.stderr)}`);
  // Decoded as the working-tree file is (src/text/decode.ts), so a Latin-1 migration compares equal.
  return decodeText(result.stdout).text;
}
