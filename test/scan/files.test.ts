import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/scan/files.js';

/** Symbolic links are made here rather than committed: what each one points at is the test. */
let scratch: string;
let root: string;

function write(rel: string, text = 'export {};\n'): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function link(rel: string, target: string): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  symlinkSync(target, file);
}

beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'dead-schema-links-'));
  root = path.join(scratch, 'repo');
  mkdirSync(root);
});

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('discoverFiles and symbolic links', () => {
  it('follows a linked file and a linked folder inside the root, naming files by the link path', async () => {
    write('.shared/money.ts');
    write('.vendored/format/dates.ts');
    link('src/money.ts', '../.shared/money.ts');
    link('src/format', '../.vendored/format');
    const { files, skipped } = await discoverFiles({ root });
    // The targets sit in dot folders the walk never enters: only the links reach them.
    expect(files).toEqual(['src/format/dates.ts', 'src/money.ts']);
    expect(skipped).toEqual([]);
  });

  it('scans a file reached twice (its real path and a link) once, under its real path', async () => {
    write('lib/orders.ts');
    link('src/orders.ts', '../lib/orders.ts');
    link('src/lib', '../lib');
    const { files } = await discoverFiles({ root });
    expect(files).toEqual(['lib/orders.ts']);
  });

  it('skips and reports links that leave the root, are broken or loop, and terminates', async () => {
    write('src/app.ts');
    mkdirSync(path.join(scratch, 'elsewhere'));
    writeFileSync(path.join(scratch, 'elsewhere', 'secret.ts'), 'export {};\n');
    link('src/outside', '../../elsewhere');
    link('src/gone.ts', './missing.ts');
    link('src/up', '..');
    link('loop/a', 'b');
    link('loop/b', 'a');
    // Two folders linking into each other: each real folder is walked once.
    write('x/one.ts');
    write('y/two.ts');
    link('x/to-y', '../y');
    link('y/to-x', '../x');
    const { files, skipped } = await discoverFiles({ root });
    expect(files).toEqual(['src/app.ts', 'x/one.ts', 'y/two.ts']);
    const byFile = Object.fromEntries(skipped.map((e) => [e.file, e.message]));
    expect(skipped.every((e) => e.kind === 'symlink-skipped')).toBe(true);
    expect(Object.keys(byFile).sort()).toEqual(['loop/a', 'loop/b', 'src/gone.ts', 'src/outside', 'src/up']);
    expect(byFile['src/outside']).toMatch(/^symbolic link to \.\.\/\.\.\/elsewhere leads outside the audited root/);
    expect(byFile['src/gone.ts']).toMatch(/is broken/);
    expect(byFile['src/up']).toMatch(/leads back to a folder that contains it/);
    expect(byFile['loop/a']).toMatch(/loop of links/);
  });

  it('keeps excludes and .gitignore: excluded folders are not entered through links either', async () => {
    write('node_modules/left-pad/index.js');
    write('generated/client.ts');
    write('.gitignore', 'generated/\n');
    write('db/migrations/001_init.sql', 'CREATE TABLE t (id int);\n');
    write('src/app.ts');
    link('src/vendor', '../node_modules/left-pad');
    link('src/client', '../generated');
    link('src/schema', '../db');
    link('src/ignored-by-name.d.ts', '../src/app.ts');
    const { files, skipped } = await discoverFiles({ root, excludePaths: [path.join(root, 'db/migrations')] });
    expect(files).toEqual(['src/app.ts']);
    expect(skipped).toEqual([]);
  });

  it('applies the include globs to the path through the link', async () => {
    write('packages/shared/src/ids.ts');
    write('apps/api/src/main.ts');
    link('apps/api/src/shared', '../../../packages/shared/src');
    const { files } = await discoverFiles({ root, include: ['apps/**/*.ts'] });
    expect(files).toEqual(['apps/api/src/main.ts', 'apps/api/src/shared/ids.ts']);
  });

  it('matches include globs as before: a dot folder only when a glob names it, `!glob` as an exclude', async () => {
    write('src/app.ts');
    write('src/app.spec.ts');
    write('.storybook/main.ts');
    write('.github/scripts/release.ts');
    const { files } = await discoverFiles({ root, include: ['./src/**/*.ts', '.storybook/**/*.ts', '!**/*.spec.ts'] });
    expect(files).toEqual(['.storybook/main.ts', 'src/app.ts']);
  });
});
