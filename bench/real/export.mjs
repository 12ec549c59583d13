#!/usr/bin/env node
// Exports the files dead-schema reads (JS/TS code, files of the other languages it scans for
// mentions, SQL, package.json, schema.prisma, configs) from a bare git mirror at one commit into
// a folder. `git archive` stops at the first blob a mirror
// left out (large binaries are often absent), and the audit needs none of them.
//
//   node bench/real/export.mjs <mirror.git> <commit> <dir>
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const KEEP = /(\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|sql|json|prisma|toml|ya?ml|py|go|rb|java|kt|rs|php|ex|exs|cs|scala|clj)|\/\.gitignore|^\.gitignore|(^|\/)\.sequelizerc)$/i;
const MAX_BYTES = 2 * 1024 * 1024;

export async function exportTree(mirror, commit, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const listing = execFileSync('git', ['--git-dir', mirror, 'ls-tree', '-r', '-z', '--long', commit], { maxBuffer: 1 << 30 }).toString('utf8');
  const wanted = [];
  for (const entry of listing.split('\0')) {
    const match = /^(\d+) blob ([0-9a-f]+)\s+(\d+|-)\t(.+)$/s.exec(entry);
    if (!match) continue;
    const [, mode, sha, size, file] = match;
    if (mode === '120000' || !KEEP.test(file) || Number(size) > MAX_BYTES) continue;
    wanted.push({ sha, file });
  }
  const catFile = spawn('git', ['--git-dir', mirror, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffer = Buffer.alloc(0);
  let index = 0;
  let written = 0;
  const done = new Promise((resolve, reject) => {
    catFile.stdout.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const newline = buffer.indexOf(10);
        if (newline === -1) return;
        const header = buffer.subarray(0, newline).toString('utf8');
        if (header.endsWith(' missing')) {
          buffer = buffer.subarray(newline + 1);
          index++;
          continue;
        }
        const size = Number(header.split(' ')[2]);
        if (buffer.length < newline + 1 + size + 1) return;
        const target = path.join(dir, wanted[index].file);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, buffer.subarray(newline + 1, newline + 1 + size));
        written++;
        buffer = buffer.subarray(newline + 1 + size + 1);
        index++;
      }
    });
    catFile.on('close', () => resolve());
    catFile.on('error', reject);
  });
  for (const { sha } of wanted) catFile.stdin.write(`${sha}\n`);
  catFile.stdin.end();
  await done;
  return { files: written, listed: wanted.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mirror, commit, dir] = process.argv.slice(2);
  if (!mirror || !commit || !dir) {
    console.error('usage: node bench/real/export.mjs <mirror.git> <commit> <dir>');
    process.exit(2);
  }
  const { files, listed } = await exportTree(mirror, commit, dir);
  console.log(`exported ${files} of ${listed} files to ${dir}`);
}
