#!/usr/bin/env node
// Would worker threads speed up the scan? The ceiling: parse every source file of a tree with
// the TypeScript compiler and walk its nodes (what the scan does before any rule runs), on the
// main thread and split across N workers, each loading its own compiler. Real scans would also
// pay to send each file's result back, so a worker pool can only do worse than this.
//
//   node bench/workers.mjs <root> [--workers 1,2,4] [--runs 3]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const EXTENSIONS = /\.(?:[cm]?[jt]s|[jt]sx)$/;

async function parseAll(files) {
  const { ts } = await import('ts-morph');
  let nodes = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const visit = (node) => {
      nodes++;
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return nodes;
}

if (!isMainThread) {
  parentPort.postMessage(await parseAll(workerData.files));
} else {
  const args = process.argv.slice(2);
  const root = args[0];
  if (root === undefined) {
    console.error('usage: node bench/workers.mjs <root> [--workers 1,2,4] [--runs 3]');
    process.exit(2);
  }
  const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const counts = option('--workers', '1,2,4').split(',').map(Number);
  const runs = Number(option('--runs', '3'));
  const { discoverFiles } = await import(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src', 'scan', 'files.js'));
  const files = (await discoverFiles({ root: path.resolve(root) })).files.filter((f) => EXTENSIONS.test(f)).map((f) => path.join(path.resolve(root), f));
  const child = args.includes('--child') ? Number(option('--child', '0')) : undefined;
  if (child !== undefined) {
    // From here on: loading the compiler (in each worker, or once here) and parsing.
    const parse = performance.now();
    if (child === 0) await parseAll(files);
    else {
      const shares = Array.from({ length: child }, (_, i) => files.filter((_, j) => j % child === i));
      await Promise.all(shares.map((share) => new Promise((resolve, reject) => {
        const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { files: share } });
        worker.once('message', resolve);
        worker.once('error', reject);
      })));
    }
    console.log(Math.round(performance.now() - parse));
    process.exit(0);
  }
  console.log(`${files.length} files, ${os.cpus().length} cores`);
  // Each measurement is a fresh process, so the main thread pays for loading the compiler as
  // every worker does.
  const time = (count) => {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), root, '--child', String(count)], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    return Number(child.stdout.trim());
  };
  for (const count of [0, ...counts]) {
    const times = [];
    for (let run = 0; run < runs; run++) times.push(time(count));
    times.sort((a, b) => a - b);
    console.log(`${count === 0 ? 'main thread' : `${count} worker${count === 1 ? '' : 's'}`}: median ${Math.round(times[Math.floor(times.length / 2)])} ms (min ${Math.round(times[0])})`);
  }
}
