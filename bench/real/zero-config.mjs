#!/usr/bin/env node
// Zero-config schema discovery on the repositories in bench/real/*.json: `dead-schema audit` with
// no flag, no config and no DATABASE_URL in an exported tree. Prints which source discovery chose
// (the stderr line), whether it is the one the file expects, the tables loaded, failed statements,
// exit code and wall time. A repository whose migrations only running can apply (knex builders,
// Sequelize queryInterface) gets a second run with its opt-in (`zeroConfig.args`, usually
// --run-migrations), with its migration tool installed next to the tree (`zeroConfig.tools`, from
// the npm registry) as a developer's checkout would have it.
//
//   node bench/real/zero-config.mjs [--mirrors DIR] [--only owner/name] [--write] [--cli path/to/cli.js]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
    cli: { type: 'string', default: path.join(projectRoot, 'dist/src/cli.js') },
  },
});
const cli = path.resolve(values.cli);
if (!existsSync(cli)) {
  console.error('dist/src/cli.js is missing: run `npm run build` first');
  process.exit(2);
}

// A developer's shell often has these set; the zero-config run must not see them.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'DATABASE_URL' && !name.startsWith('PG')));
const rows = [];
const work = mkdtempSync(path.join(tmpdir(), 'dead-schema-zero-config-'));
try {
  for (const file of readdirSync(here).filter((f) => f.endsWith('.json')).sort()) {
    const spec = JSON.parse(readFileSync(path.join(here, file), 'utf8'));
    if (values.only && spec.repo !== values.only) continue;
    const mirror = path.join(values.mirrors, (spec.mirror ?? spec.repo).replace('/', '+'), 'repo');
    if (!existsSync(mirror)) {
      console.error(`${spec.repo}: no mirror at ${mirror} (fetch github:${spec.mirror ?? spec.repo}); skipped`);
      continue;
    }
    const measured = await measure(spec, mirror);
    rows.push({ repo: spec.repo, ...measured });
    if (values.write) {
      spec.zeroConfig = { ...(spec.zeroConfig ?? {}), measured: { ...measured, at: new Date().toISOString().slice(0, 10) } };
      writeFileSync(path.join(here, file), `${JSON.stringify(spec, null, 2)}\n`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
printTable(rows);

async function measure(spec, mirror) {
  const zero = spec.zeroConfig ?? {};
  const tree = path.join(work, spec.repo.replace('/', '__'));
  await exportTree(mirror, spec.commit, tree);
  const root = path.join(tree, spec.audit?.root ?? '.');
  const noFlags = run(root, [], {});
  const result = { expected: zero.expect?.source, noFlags };
  if (zero.args !== undefined) {
    if (zero.tools !== undefined) installTools(zero.tools, path.join(tree, zero.toolsAt ?? '.'));
    result.optIn = { args: zero.args, ...run(root, zero.args, zero.env ?? {}) };
  }
  rmSync(tree, { recursive: true, force: true });
  return result;
}

/** The tools in a folder of their own, linked as the tree's node_modules: the tree's package.json is never installed. */
function installTools(packages, dir) {
  const tools = mkdtempSync(path.join(work, 'tools-'));
  writeFileSync(path.join(tools, 'package.json'), '{"private":true}');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packages], { cwd: tools, stdio: ['ignore', 'ignore', 'inherit'] });
  mkdirSync(dir, { recursive: true });
  symlinkSync(path.join(tools, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}

function run(root, args, env) {
  const timing = path.join(work, 'time.txt');
  const child = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timing, process.execPath, cli, 'audit', '--format', 'json', '--no-cache', ...args], {
    cwd: root,
    env: { ...cleanEnv, ...env },
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const [wall, rssKb] = readFileSync(timing, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  const stderr = child.stderr.split('\n').filter((line) => line !== '' && !/^Command exited/.test(line));
  const source = stderr.map((line) => /^dead-schema: schema from (\S+)/.exec(line)?.[1]).find((s) => s !== undefined);
  const outcome = { exit: child.status, source: source ?? null, wallSeconds: wall, peakRssMB: Math.round(rssKb / 1024) };
  if (child.status !== 0 && child.status !== 1) return { ...outcome, error: stderr.filter((l) => !l.startsWith('dead-schema: ')).slice(0, 3).join(' / ') || stderr.slice(-1)[0] };
  const report = JSON.parse(child.stdout);
  return {
    ...outcome,
    tables: report.stats.objects.table ?? 0,
    statementsFailed: report.schema.statementsFailed ?? 0,
    layout: report.schema.layout ?? report.schema.kind,
    ...(report.schema.platform ? { platform: report.schema.platform.name } : {}),
  };
}

function printTable(rows) {
  const header = ['repository', 'found with no flags', 'as expected', 'layout', 'tables', 'failed', 'exit', 'wall s', 'opt-in run'];
  const cell = (r) => (r === undefined ? '-' : r.error !== undefined ? `exit ${r.exit}: ${r.error.slice(0, 60)}` : `${r.tables} tables, ${r.statementsFailed} failed, ${r.wallSeconds.toFixed(1)} s`);
  const lines = rows.map((r) => [
    r.repo,
    r.noFlags.source ?? '(none)',
    r.expected === undefined ? '-' : r.noFlags.source === r.expected ? 'yes' : 'NO',
    r.noFlags.layout ?? '-',
    String(r.noFlags.tables ?? '-'),
    String(r.noFlags.statementsFailed ?? '-'),
    String(r.noFlags.exit),
    r.noFlags.wallSeconds.toFixed(1),
    r.optIn === undefined ? '-' : `${r.optIn.args.join(' ').slice(0, 24)}: ${cell(r.optIn)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(format(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const line of lines) console.log(format(line));
  for (const r of rows) if (r.noFlags.error !== undefined) console.log(`${r.repo} (no flags): ${r.noFlags.error}`);
}
