#!/usr/bin/env node
// The parse floor of a corpus, run by bench/run.mjs in a process of its own: read every JS/TS file
// the audit scans and give it to ts.createSourceFile (setParentNodes true, the script kind of its
// extension). No audit can be faster than this and still read every file with the TS parser.
//   node bench/lib/parse-floor.mjs <root> [<excluded dir>...]   prints one JSON line
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listCodeFiles } from './files.mjs';

const [root, ...excludeDirs] = process.argv.slice(2);
let started = performance.now();
const { ts } = await import('ts-morph');
const importMs = performance.now() - started;

started = performance.now();
const files = await listCodeFiles(root, excludeDirs);
const listMs = performance.now() - started;

const kindOf = (file) => {
  switch (path.extname(file)) {
    case '.tsx': return ts.ScriptKind.TSX;
    case '.jsx': return ts.ScriptKind.JSX;
    case '.js': case '.mjs': case '.cjs': return ts.ScriptKind.JS;
    default: return ts.ScriptKind.TS;
  }
};
let readMs = 0;
let bytes = 0;
let nodes = 0;
started = performance.now();
for (const file of files) {
  const before = performance.now();
  const full = path.join(root, file);
  const text = readFileSync(full, 'utf8');
  readMs += performance.now() - before;
  bytes += text.length;
  const source = ts.createSourceFile(full, text, ts.ScriptTarget.Latest, true, kindOf(file));
  nodes += source.statements.length;
}
const floorMs = performance.now() - started;
const round = (ms) => Math.round(ms);
console.log(JSON.stringify({
  files: files.length,
  chars: bytes,
  topLevelStatements: nodes,
  floorMs: round(floorMs),
  readMs: round(readMs),
  parseMs: round(floorMs - readMs),
  listMs: round(listMs),
  importMs: round(importMs),
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
}));
