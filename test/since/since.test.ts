import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { UsageError } from '../../src/errors.js';
import { migrationsSince } from '../../src/since/index.js';
import { captured } from '../support/cli-io.js';
import { commit, FIRST, git, SECOND, write } from './git-repo.js';

interface JsonReport {
  findings: { id: string; verdict: string; confidence: string }[];
  stats: { since?: { ref: string; commit: string; migrations: number; objects: number } };
}


const AUDIT = ['audit', '.', '--migrations', 'db/migrations', '--no-cache', '--format', 'json'];

let scratch: string;
let repo: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'dead-schema-since-'));
  repo = path.join(scratch, 'repo');
  git(scratch, 'init', '-q', 'repo');
  commit(repo, 'accounts', FIRST);
  git(repo, 'checkout', '-q', '-b', 'feature');
  commit(repo, 'preferences', SECOND);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('audit --since', () => {
  it('reports only the column the new migration adds that nothing reads', async () => {
    const { io, out, err } = captured(repo);
    const code = await main([...AUDIT, '--since', 'HEAD~1', '--fail-on', 'medium'], io);
    const report = JSON.parse(out()) as JsonReport;
    expect(report.findings.map((f) => f.id)).toEqual(['public.accounts.unused_note']);
    expect(report.findings[0]).toMatchObject({ verdict: 'unreferenced', confidence: 'high' });
    expect(report.stats.since).toEqual({ ref: 'HEAD~1', commit: git(repo, 'rev-parse', 'HEAD~1').trim(), migrations: 1, objects: 2 });
    expect(err()).toBe("dead-schema: --since HEAD~1: this branch's migrations (002_preferences.sql) define 2 objects; 1 of them nothing reads\n");
    expect(code).toBe(1);
  });

  it('the Markdown comment says what the branch adds nothing reads, not drop advice', async () => {
    const { io, out } = captured(repo);
    await main(['audit', '.', '--migrations', 'db/migrations', '--no-cache', '--format', 'markdown', '--since', 'HEAD~1'], io);
    expect(out()).toContain('This branch adds 1 object nothing reads (migrations since `HEAD~1`).');
    expect(out()).toContain('use it, or leave it out of the migration');
    expect(out()).not.toContain('safe to plan a drop');
  });

  it('without --since the old dead column is reported too', async () => {
    const { io, out } = captured(repo);
    await main(AUDIT, io);
    const ids = (JSON.parse(out()) as JsonReport).findings.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['public.accounts.legacy_flag', 'public.accounts.unused_note']));
  });

  it('reports nothing and exits 0 when no migration changed since the ref', async () => {
    const { io, out, err } = captured(repo);
    const code = await main([...AUDIT, '--since', 'HEAD', '--fail-on', 'low'], io);
    const report = JSON.parse(out()) as JsonReport;
    expect(report.findings).toEqual([]);
    expect(report.stats.since).toMatchObject({ ref: 'HEAD', migrations: 0, objects: 0 });
    expect(err()).toBe('dead-schema: --since HEAD: no migration added or changed in db/migrations, nothing to report\n');
    expect(code).toBe(0);
  });

  it('works on a shallow clone once the base ref is fetched, and says how to fetch it', async () => {
    const clone = path.join(scratch, 'shallow');
    git(scratch, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${repo}`, 'shallow');
    const missing = main([...AUDIT, '--since', 'origin/main'], captured(clone).io);
    await expect(missing).rejects.toBeInstanceOf(UsageError);
    await expect(missing).rejects.toThrow(
      'git ref origin/main not found; fetch it first: git fetch --depth=1 origin main:refs/remotes/origin/main',
    );

    // Run exactly the command the error suggests.
    git(clone, 'fetch', '-q', '--depth=1', 'origin', 'main:refs/remotes/origin/main');
    expect(git(clone, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
    const { io, out } = captured(clone);
    await main([...AUDIT, '--since', 'origin/main'], io);
    expect((JSON.parse(out()) as JsonReport).findings.map((f) => f.id)).toEqual(['public.accounts.unused_note']);
  });

  it('a ref that does not exist is a one-line usage error', async () => {
    const run = main([...AUDIT, '--since', 'no-such-branch'], captured(repo).io);
    // Nothing to fetch from: say so rather than print a command that cannot work.
    await expect(run).rejects.toThrow(/^git ref no-such-branch not found; this repository has no remote to fetch it from; check the name with git branch -a and git tag$/);
    await expect(main([...AUDIT, '--since=--upload-pack=x'], captured(repo).io)).rejects.toThrow(/needs a git ref/);
  });

  it('outside a git work tree, and without a migrations folder, is a usage error', async () => {
    const plain = path.join(scratch, 'plain');
    write(plain, FIRST);
    await expect(main([...AUDIT, '--since', 'HEAD'], captured(plain).io)).rejects.toThrow(/is not inside a git work tree/);
    await writeFile(path.join(repo, 'schema.sql'), 'CREATE TABLE t (id int);\n');
    const dump = main(['audit', '.', '--schema', 'schema.sql', '--since', 'HEAD'], captured(repo).io);
    await expect(dump).rejects.toThrow(/--since needs a migrations folder/);
    await rm(path.join(repo, 'schema.sql'));
  });
});

describe('--since fetch advice for each form of ref', () => {
  const failure = async (cwd: string, ref: string): Promise<string> => {
    try {
      await main([...AUDIT, '--since', ref], captured(cwd).io);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    }
    throw new Error(`--since ${ref} did not fail`);
  };
  const works = async (cwd: string, ref: string): Promise<void> => {
    const { io, out } = captured(cwd);
    await main([...AUDIT, '--since', ref], io);
    expect((JSON.parse(out()) as JsonReport).stats.since?.ref).toBe(ref);
  };
  /** Runs the command an error suggests, exactly as printed. */
  const runSuggested = (cwd: string, message: string): void => {
    const command = /: (git fetch [^,(]+?)(?: \(|,|$)/.exec(message)?.[1];
    expect(command, message).toBeDefined();
    git(cwd, ...command!.split(' ').slice(1));
  };

  it('in a shallow clone: a branch, a tag, a sha and HEAD~N, each with a command that works', async () => {
    git(repo, 'tag', 'v1.0.0', 'main');
    git(repo, 'branch', 'release/2024', 'main');
    git(scratch, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${repo}`, 'shallow-forms');
    const clone = path.join(scratch, 'shallow-forms');

    const tag = await failure(clone, 'v1.0.0');
    expect(tag).toBe('git ref v1.0.0 not found; fetch the tag first: git fetch --depth=1 origin tag v1.0.0');
    runSuggested(clone, tag);
    await works(clone, 'v1.0.0');

    const branch = await failure(clone, 'release/2024');
    expect(branch).toBe(
      'git ref release/2024 not found; if it is a branch of origin, fetch it and pass --since origin/release/2024: git fetch --depth=1 origin release/2024:refs/remotes/origin/release/2024',
    );
    runSuggested(clone, branch);
    await works(clone, 'origin/release/2024');

    expect(await failure(clone, 'deadbeefcafe')).toBe(
      'git ref deadbeefcafe not found; the commit may be older than this shallow clone: git fetch --unshallow origin (or git fetch --depth=1 origin <full sha>)',
    );

    const back = await failure(clone, 'HEAD~1');
    expect(back).toBe('git ref HEAD~1 not found; this shallow clone lacks the history before HEAD: git fetch --deepen=1 (or git fetch --unshallow, or check out with fetch-depth: 0)');
    runSuggested(clone, back);
    await works(clone, 'HEAD~1');
  });

  it('in a full clone no --depth (it would make the clone shallow)', async () => {
    git(scratch, 'clone', '-q', '--single-branch', '--branch', 'feature', `file://${repo}`, 'full');
    const clone = path.join(scratch, 'full');
    const remote = await failure(clone, 'origin/main');
    expect(remote).toBe('git ref origin/main not found; fetch it first: git fetch origin main:refs/remotes/origin/main');
    runSuggested(clone, remote);
    await works(clone, 'origin/main');
    expect(await failure(clone, 'HEAD~9')).toBe('git ref HEAD~9 not found; HEAD has fewer than 9 commits behind it; check the ref with git log --oneline HEAD');
  });
});

describe('migrationsSince', () => {
  it('counts only the new statements of an edited migration, and ignores CRLF-only differences', async () => {
    const dir = path.join(scratch, 'edited');
    git(scratch, 'init', '-q', 'edited');
    commit(dir, 'init', {
      'migrations/001.sql': 'CREATE TABLE a (id int);\n',
      'migrations/002.sql': 'CREATE TABLE b (id int);\n',
    });
    write(dir, {
      'migrations/001.sql': 'CREATE TABLE a (id int);\r\n',
      'migrations/002.sql': 'CREATE TABLE  b (id int);\nALTER TABLE b ADD COLUMN note text;\n',
      'migrations/003.sql': 'CREATE VIEW v AS SELECT id FROM a;\n',
    });
    const scope = await migrationsSince('HEAD', path.join(dir, 'migrations'));
    expect(scope.migrations.map((m) => [m.relativePath, m.status, m.statements.map((s) => s.sql)])).toEqual([
      ['002.sql', 'changed', ['ALTER TABLE b ADD COLUMN note text']],
      ['003.sql', 'added', ['CREATE VIEW v AS SELECT id FROM a']],
    ]);
  });
});
