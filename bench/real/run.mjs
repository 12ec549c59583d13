#!/usr/bin/env node
// Scores the audit on the repositories labelled in bench/real/*.json (see README.md there):
// recall by history (dropped objects must come out dead once their drop migration is removed)
// and precision by review (high findings against hand labels), with time, memory, parse rate
// and events. Needs the built CLI (`npm run build`) and the repositories' bare git mirrors.
//
//   node bench/real/run.mjs [--mirrors DIR] [--only owner/name] [--write] [--skip-recall] [--cli path/to/cli.js]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exportTree } from './export.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '../..');

const { values } = parseArgs({
  options: {
    mirrors: { type: 'string', default: path.resolve(projectRoot, '../.mirror') },
    only: { type: 'string' },
    write: { type: 'boolean', default: false },
    'skip-recall': { type: 'boolean', default: false },
    // Another build of the CLI, to compare before and after a change on the same labels.
    cli: { type: 'string', default: path.join(projectRoot, 'dist/src/cli.js') },
  },
});
const cli = path.resolve(values.cli);

if (!existsSync(cli)) {
  console.error('dist/src/cli.js is missing: run `npm run build` first');
  process.exit(2);
}

const files = readdirSync(here).filter((f) => f.endsWith('.json')).sort();
const rows = [];
const work = mkdtempSync(path.join(tmpdir(), 'dead-schema-bench-real-'));
try {
  for (const file of files) {
    const spec = JSON.parse(readFileSync(path.join(here, file), 'utf8'));
    if (values.only && spec.repo !== values.only) continue;
    // Discovery-only repositories (zero-config.mjs) have no labels to score.
    if (spec.audit === undefined) continue;
    // `mirror` names another repository holding the same commits (a fork) when the upstream cannot be fetched.
    const source = spec.mirror ?? spec.repo;
    const mirror = path.join(values.mirrors, source.replace('/', '+'), 'repo');
    if (!existsSync(mirror)) {
      console.error(`${spec.repo}: no mirror at ${mirror} (fetch github:${source}); skipped`);
      continue;
    }
    const measured = await scoreRepository(spec, mirror);
    rows.push({ repo: spec.repo, ...measured });
    if (values.write) {
      spec.measured = { ...measured, at: new Date().toISOString().slice(0, 10) };
      writeFileSync(path.join(here, file), `${JSON.stringify(spec, null, 2)}\n`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
printTable(rows);

async function scoreRepository(spec, mirror) {
  const tree = path.join(work, spec.repo.replace('/', '__'), 'head');
  await exportTree(mirror, spec.commit, tree);
  const how = await withSharedRepositories(spec);
  const run = audit(tree, how);
  const high = run.report.findings.filter((f) => f.verdict !== 'alive' && f.confidence === 'high');
  const labels = new Map((spec.precision ?? []).map((p) => [p.id, p.label]));
  const labelled = high.filter((f) => labels.has(f.id));
  const precision = {
    labelled: labelled.length,
    dead: labelled.filter((f) => labels.get(f.id) === 'dead').length,
    falseDead: labelled.filter((f) => labels.get(f.id) === 'alive').map((f) => f.id),
    unreviewed: high.filter((f) => !labels.has(f.id)).map((f) => f.id),
  };
  const recall = { cases: 0, objects: 0, reported: 0, missed: [] };
  if (!values['skip-recall']) {
    for (const [index, item] of (spec.recall ?? []).entries()) {
      const caseTree = path.join(work, spec.repo.replace('/', '__'), `case-${index}`);
      await exportTree(mirror, item.commit, caseTree);
      for (const removed of item.removeMigrations) removeMigration(caseTree, removed);
      const caseRun = audit(caseTree, item.args ? { ...how, args: [...item.args, ...sharedArgs(how)] } : how);
      const dead = new Map(caseRun.report.findings.filter((f) => f.verdict !== 'alive').map((f) => [f.id, f.confidence]));
      recall.cases++;
      for (const dropped of item.dropped) {
        recall.objects++;
        // A column of a dead table is reported inside the table's finding.
        const parts = dropped.id.split('.');
        const table = parts.length === 3 ? parts.slice(0, 2).join('.') : undefined;
        if (dead.has(dropped.id) || (table !== undefined && dead.has(table))) recall.reported++;
        else recall.missed.push(`${dropped.id} (${item.commit.slice(0, 8)})`);
      }
      rmSync(caseTree, { recursive: true, force: true });
    }
  }
  const { stats, events } = run.report;
  const eventKinds = {};
  for (const event of events) eventKinds[event.kind] = (eventKinds[event.kind] ?? 0) + 1;
  return {
    wallSeconds: run.wallSeconds,
    peakRssMB: run.peakRssMB,
    filesScanned: stats.files.scanned,
    parseRate: stats.sql.parseRate,
    dead: stats.dead,
    recall,
    precision,
    events: eventKinds,
  };
}

/**
 * `audit.sharedWith`: other repositories on the same database ({ repo, commit }), exported next
 * to the tree and passed as `--shared-with`.
 */
async function withSharedRepositories(spec) {
  const shared = spec.audit.sharedWith ?? [];
  const args = [...spec.audit.args];
  for (const { repo, commit } of shared) {
    const mirror = path.join(values.mirrors, repo.replace('/', '+'), 'repo');
    if (!existsSync(mirror)) throw new Error(`${spec.repo} shares its database with ${repo}: no mirror at ${mirror} (fetch github:${repo})`);
    const dir = path.join(work, spec.repo.replace('/', '__'), `shared-${repo.replace('/', '__')}`);
    await exportTree(mirror, commit, dir);
    args.push('--shared-with', dir);
  }
  return { ...spec.audit, args };
}

function sharedArgs(how) {
  const out = [];
  for (let i = 0; i < how.args.length; i++) if (how.args[i] === '--shared-with') out.push('--shared-with', how.args[i + 1]);
  return out;
}

/** A removed drizzle-kit migration also leaves its journal, which orders what is applied. */
function removeMigration(tree, relative) {
  const target = path.join(tree, relative);
  rmSync(target, { recursive: true, force: true });
  const journal = path.join(path.dirname(target), 'meta', '_journal.json');
  if (!relative.endsWith('.sql') || !existsSync(journal)) return;
  const parsed = JSON.parse(readFileSync(journal, 'utf8'));
  const tag = path.basename(relative, '.sql');
  parsed.entries = (parsed.entries ?? []).filter((entry) => entry.tag !== tag);
  writeFileSync(journal, JSON.stringify(parsed, null, 2));
}

function audit(tree, how) {
  const root = path.join(tree, how.root ?? '.');
  const timing = path.join(work, 'time.txt');
  let stdout;
  try {
    stdout = execFileSync('/usr/bin/time', ['-f', '%e %M', '-o', timing, process.execPath, cli, 'audit', '.', ...how.args, '--format', 'json', '--no-cache', '--quiet'], {
      cwd: root,
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString('utf8');
  } catch (error) {
    // Exit 1 only means findings at or above --fail-on; the report is still on stdout.
    if (error.status !== 1) throw new Error(`audit failed in ${root}: ${String(error.stderr ?? error.message).split('\n')[0]}`);
    stdout = error.stdout.toString('utf8');
  }
  const [wall, rssKb] = readFileSync(timing, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { report: JSON.parse(stdout), wallSeconds: wall, peakRssMB: Math.round(rssKb / 1024) };
}

function printTable(rows) {
  const header = ['repository', 'files', 'wall s', 'RSS MB', 'parse', 'high/med/low', 'recall', 'precision (high)', 'unreviewed'];
  const lines = rows.map((r) => [
    r.repo,
    String(r.filesScanned),
    r.wallSeconds.toFixed(1),
    String(r.peakRssMB),
    `${(r.parseRate * 100).toFixed(1)}%`,
    `${r.dead.high}/${r.dead.medium}/${r.dead.low}`,
    r.recall.objects === 0 ? '-' : `${r.recall.reported}/${r.recall.objects} (${pct(r.recall.reported, r.recall.objects)})`,
    r.precision.labelled === 0 ? '-' : `${r.precision.dead}/${r.precision.labelled} (${pct(r.precision.dead, r.precision.labelled)})`,
    String(r.precision.unreviewed.length),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(format(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const line of lines) console.log(format(line));
  for (const r of rows) {
    if (r.recall.missed.length > 0) console.log(`${r.repo} missed: ${r.recall.missed.join(', ')}`);
    if (r.precision.falseDead.length > 0) console.log(`${r.repo} false dead (high): ${r.precision.falseDead.join(', ')}`);
  }
}

function pct(a, b) {
  return `${Math.round((a / b) * 1000) / 10}%`;
}
