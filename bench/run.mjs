#!/usr/bin/env node
// Speed and memory benchmark (`npm run bench`; bench/README.md). For the synthetic corpus at each
// scale (bench/generate.mjs) and each real tree of bench/real/*.json whose mirror is here, it runs
// the CLI in fresh processes: audit cold, warm, after a one-file change, with --all, then explain
// and check-drops; then the parse floor and a grep baseline. It prints a table and the targets,
// and writes everything to bench/results/<YYYY-MM-DD>.json.
//
// Env: BENCH_SCALES (default "1,10"), BENCH_REAL ("0" skips real trees), BENCH_REAL_ONLY (e.g.
// "calcom/cal.com"), BENCH_MIRRORS (default ../.mirror), BENCH_CLI (default dist/src/cli.js),
// BENCH_OUT (results file), BENCH_FILES / BENCH_MIGRATIONS (the 1x size, default 1000 / 80).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CODE_EXTENSIONS, isTestFile, listCodeFiles } from './lib/files.mjs';
import { ensureTree, realSpecs } from './lib/real-trees.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const generated = path.join(here, '.generated');
const work = path.join(generated, 'work');
const env = process.env;

const scales = (env.BENCH_SCALES ?? '1,10').split(',').map((s) => Number(s.trim())).filter((s) => s > 0);
const baseFiles = Number(env.BENCH_FILES ?? 1000);
const baseMigrations = Number(env.BENCH_MIGRATIONS ?? 80);
const defaultCli = path.join(repo, 'dist', 'src', 'cli.js');
const cli = path.resolve(env.BENCH_CLI ?? defaultCli);
const withReal = env.BENCH_REAL !== '0';
const realOnly = env.BENCH_REAL_ONLY ? env.BENCH_REAL_ONLY.split(',').map((s) => s.trim()) : undefined;
const mirrors = path.resolve(env.BENCH_MIRRORS ?? path.join(repo, '..', '.mirror'));
const startedAt = new Date();
const out = path.resolve(env.BENCH_OUT ?? path.join(here, 'results', `${startedAt.toISOString().slice(0, 10)}.json`));
const hook = pathToFileURL(path.join(here, 'rss-hook.mjs')).href;
const log = (line) => process.stderr.write(`${line}\n`);
let rssCounter = 0;

if (!existsSync(cli)) {
  if (cli !== defaultCli) {
    console.error(`BENCH_CLI: no ${cli}`);
    process.exit(2);
  }
  execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
}
mkdirSync(work, { recursive: true });
restorePendingChange();

const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
const cacheFlag = `${help.stdout}${help.stderr}`.includes('--cache-location');
const results = {
  version: 1,
  startedAt: startedAt.toISOString(),
  machine: { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), loadAvgAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100) },
  cli: { path: cli, version: spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' }).stdout.trim(), cacheLocationFlag: cacheFlag, ...gitInfo(path.resolve(path.dirname(cli), '../..')) },
  settings: { scales, baseFiles, baseMigrations, real: withReal, realOnly: realOnly ?? null },
  corpora: [],
  skipped: [],
  targets: [],
};
log(`bench: ${cli} (${results.cli.version}), cache ${cacheFlag ? '--cache-location' : '<cwd>/node_modules/.cache/dead-schema'}; results to ${path.relative(process.cwd(), out)}`);

// ---- corpora ------------------------------------------------------------------------------------
async function main() {
  const corpora = [];
  for (const scale of scales) {
    const root = path.join(generated, `corpus-${scale}x`);
    corpora.push({
      name: `synthetic-${scale}x`,
      kind: 'synthetic',
      scale,
      prepare: () => {
        const generatedBy = execFileSync(process.execPath, [path.join(here, 'generate.mjs'), root, '--files', String(baseFiles * scale), '--migrations', String(baseMigrations * scale)], { encoding: 'utf8' }).trim();
        log(generatedBy);
        return { root, args: ['--migrations', path.join(root, 'db', 'migrations')], generated: generatedBy };
      },
    });
  }
  if (withReal) {
    const { specs, skipped } = realSpecs(path.join(here, 'real'), mirrors, realOnly);
    for (const s of skipped) {
      log(`${s.repo}: skipped (${s.why})`);
      results.skipped.push(s);
    }
    for (const s of specs) {
      corpora.push({ name: s.spec.repo, kind: 'real', commit: s.spec.commit, prepare: () => ensureTree(s, path.join(generated, 'real'), log) });
    }
  }

  for (const corpus of corpora) {
    const entry = { name: corpus.name, kind: corpus.kind, ...(corpus.scale ? { scale: corpus.scale } : {}), ...(corpus.commit ? { commit: corpus.commit } : {}) };
    results.corpora.push(entry);
    try {
      Object.assign(entry, await measureCorpus(corpus, entry));
    } catch (error) {
      entry.error = String(error?.stack ?? error);
      log(`${corpus.name}: ${entry.error}`);
    }
    entry.targets = corpusTargets(entry);
    save();
  }
  results.targets = [...results.corpora.flatMap((c) => (c.targets ?? []).map((t) => ({ corpus: c.name, ...t }))), ...linearTargets()];
  results.finishedAt = new Date().toISOString();
  save();
  printSummary();
}

// ---- one corpus ---------------------------------------------------------------------------------
async function measureCorpus(corpus, entry) {
  const prepared = await corpus.prepare();
  const { root, args } = prepared;
  if (prepared.generated) entry.generated = prepared.generated;
  entry.root = path.relative(repo, root) || '.';
  entry.auditArgs = args.map((a) => (path.isAbsolute(a) ? path.relative(root, a) || '.' : a));
  const migrationsAt = args.indexOf('--migrations');
  const migrationsDir = migrationsAt === -1 ? undefined : path.resolve(root, args[migrationsAt + 1]);
  const cacheDir = path.join(generated, 'cache', corpus.name.replace(/[^\w.-]+/g, '_'));
  const cacheArgs = cacheFlag ? ['--cache-location', cacheDir] : [];
  const runs = {};
  entry.runs = runs;
  entry.loadAvg = os.loadavg().map((l) => Math.round(l * 100) / 100);
  const audit = async (label, extra = []) => {
    const run = await runCli(['audit', root, ...args, '--format', 'json', ...cacheArgs, ...extra], root);
    runs[label] = auditSummary(run);
    log(`[${corpus.name}] ${label.padEnd(11)} ${seconds(run.wallMs)} s  RSS ${run.peakRssMb} MB  ${stagesText(runs[label].timingsMs)}${runs[label].error ? `  ERROR ${runs[label].error}` : ''}`);
    return run.report;
  };

  // 1. cold: no cache of any kind.
  rmSync(cacheDir, { recursive: true, force: true });
  rmSync(path.join(root, 'node_modules', '.cache', 'dead-schema'), { recursive: true, force: true });
  const cold = await audit('cold');
  if (!cold) throw new Error(`cold audit failed: ${runs.cold.error}`);
  entry.files = cold.stats.files;
  entry.sql = cold.stats.sql;
  entry.schema = { ...cold.schema, objects: cold.stats.objects };
  entry.dead = cold.stats.dead;
  if (corpus.kind === 'synthetic') {
    // The generator promises migrations that all apply and SQL that all parses (bench/README.md, Validity).
    const failures = Object.entries(runs.cold.events).filter(([kind]) => /fail/.test(kind));
    entry.validity = { ok: failures.length === 0 && !cold.schema.statementsFailed, statementsFailed: cold.schema.statementsFailed ?? 0, failureEvents: Object.fromEntries(failures) };
    if (!entry.validity.ok) log(`[${corpus.name}] WARNING: the generated corpus does not apply or parse cleanly: ${JSON.stringify(entry.validity)}`);
  }
  // 2. warm: the same again.
  await audit('warm');
  // 3. one-change: one scanned file gains an export, then is restored (content and times).
  const codeFiles = await listCodeFiles(root, migrationsDir ? [migrationsDir] : []);
  const touched = pickTouchFile(codeFiles);
  if (touched) {
    const file = path.join(root, touched);
    const original = readFileSync(file);
    const { atime, mtime } = statSync(file);
    writeFileSync(path.join(work, 'pending-change.json'), JSON.stringify({ file, atime: atime.getTime(), mtime: mtime.getTime(), original: original.toString('base64') }));
    try {
      writeFileSync(file, Buffer.concat([original, Buffer.from(`\nexport const benchTouch${Date.now()} = 1;\n`)]));
      await audit('oneChange');
      runs.oneChange.file = touched;
    } finally {
      restorePendingChange();
    }
  }
  // 4. every object (alive ones too): the column names of the grep baseline, ids for explain.
  const all = await audit('all', ['--all']);
  // 5. explain, right after an audit.
  const explainId = pickExplainId(cold, all);
  if (explainId) {
    const run = await runCli(['explain', explainId, '--root', root, ...args, '--format', 'json', ...cacheArgs], root);
    runs.explain = { id: explainId, ...commandSummary(run, (json) => ({ findings: json.findings?.length })) };
    log(`[${corpus.name}] explain     ${seconds(run.wallMs)} s  RSS ${run.peakRssMb} MB  ${explainId}`);
  }
  // 6. check-drops on a one-statement drop script.
  const drop = pickDrop(cold, all);
  if (drop) {
    const script = path.join(work, `${corpus.name.replace(/[^\w.-]+/g, '_')}-drop.sql`);
    writeFileSync(script, `${drop.sql}\n`);
    const run = await runCli(['check-drops', script, '--root', root, ...args, '--format', 'json', ...cacheArgs], root);
    runs.checkDrops = { script: drop.sql, ...commandSummary(run, (json) => ({ drops: json.drops?.length, errors: json.errors?.length })) };
    log(`[${corpus.name}] check-drops ${seconds(run.wallMs)} s  RSS ${run.peakRssMb} MB  ${drop.sql}`);
  }
  // 7. parse floor, in a process of its own.
  const floorRun = await runProcess(process.execPath, [path.join(here, 'lib', 'parse-floor.mjs'), root, ...(migrationsDir ? [migrationsDir] : [])], root);
  entry.parseFloor = floorRun.exit === 0 ? { ...JSON.parse(floorRun.stdout), wallMs: Math.round(floorRun.wallMs) } : { error: floorRun.stderr.slice(0, 2000) };
  log(`[${corpus.name}] parse floor ${seconds(entry.parseFloor.floorMs ?? NaN)} s for ${entry.parseFloor.files} files (read ${seconds(entry.parseFloor.readMs ?? NaN)} s)`);
  // 8. grep baseline: every column name, whole words, in the same files.
  if (all) entry.grep = await grepBaseline(all, root, corpus.name);
  if (entry.grep) log(`[${corpus.name}] grep        ${seconds(entry.grep.wallMs)} s  ${entry.grep.names} names, ${entry.grep.filesMatched} files`);
  entry.rates = rates(entry);
  return {};
}

function pickTouchFile(files) {
  const repositories = files.filter((f) => f.endsWith('.repository.ts'));
  if (repositories.length > 0) return repositories[0];
  const plain = files.filter((f) => /\.tsx?$/.test(f) && !isTestFile(f));
  const pool = plain.length > 0 ? plain : files;
  return pool[Math.floor(pool.length / 2)];
}

function pickExplainId(cold, all) {
  const column = cold.findings.find((f) => f.kind === 'column') ?? all?.findings.find((f) => f.kind === 'column');
  return (column ?? cold.findings[0] ?? all?.findings[0])?.id;
}

/** A drop of one dead object: a column of a table first, else a table, view or type; else any column. */
function pickDrop(cold, all) {
  const q = (name) => `"${name.replaceAll('"', '""')}"`;
  // Columns of views are findings too; ALTER TABLE ... DROP COLUMN needs a table.
  const tables = all ? new Set(all.findings.filter((f) => f.kind === 'table').map((f) => f.id)) : undefined;
  const sqlOf = (f) => {
    const parts = f.id.split('.');
    if (f.kind === 'column' && parts.length >= 3) {
      if (tables && !tables.has(`${parts[0]}.${parts[1]}`)) return undefined;
      return `ALTER TABLE ${q(parts[0])}.${q(parts[1])} DROP COLUMN ${q(parts.slice(2).join('.'))};`;
    }
    const name = parts.length >= 2 && !f.id.includes('(') ? `${q(parts[0])}.${q(parts.slice(1).join('.'))}` : undefined;
    if (name && f.kind === 'table') return `DROP TABLE ${name};`;
    if (name && f.kind === 'view') return `DROP VIEW ${name};`;
    if (name && f.kind === 'type') return `DROP TYPE ${name};`;
    return undefined;
  };
  for (const kind of ['column', 'table', 'view', 'type']) {
    const f = cold.findings.find((x) => x.kind === kind && sqlOf(x));
    if (f) return { id: f.id, sql: sqlOf(f) };
  }
  const f = all?.findings.find((x) => x.kind === 'column' && sqlOf(x));
  return f ? { id: f.id, sql: sqlOf(f) } : undefined;
}

async function grepBaseline(all, root, name) {
  const names = [...new Set(all.findings.filter((f) => f.kind === 'column').map((f) => f.id.split('.').slice(2).join('.')))].filter(Boolean).sort();
  if (names.length === 0) return undefined;
  const namesFile = path.join(work, `${name.replace(/[^\w.-]+/g, '_')}-columns.txt`);
  writeFileSync(namesFile, `${names.join('\n')}\n`);
  const run = await runProcess('grep', ['-rFwl', '-f', namesFile, ...CODE_EXTENSIONS.map((e) => `--include=*.${e}`), '--exclude-dir=node_modules', root], root);
  if (run.exit !== 0 && run.exit !== 1) return { names: names.length, error: run.stderr.slice(0, 500) };
  return { names: names.length, wallMs: Math.round(run.wallMs), filesMatched: run.stdout.split('\n').filter(Boolean).length, command: `grep -rFwl -f <${names.length} column names> ${CODE_EXTENSIONS.map((e) => `--include=*.${e}`).join(' ')} --exclude-dir=node_modules <root>` };
}

function rates(entry) {
  const cold = entry.runs?.cold;
  if (!cold?.timingsMs) return undefined;
  const codeMs = (cold.timingsMs.total ?? cold.wallMs) - (cold.timingsMs.schema ?? 0);
  const per = (n, ms) => (ms > 0 ? Math.round((n / ms) * 1000) : null);
  const floor = entry.parseFloor?.floorMs;
  const schemaMs = cold.timingsMs.schema ?? 0;
  return {
    // Over the cold run's wall time, and over its code stages (total minus the schema load).
    filesPerSecWall: per(cold.filesScanned, cold.wallMs),
    statementsPerSecWall: per(cold.statements, cold.wallMs),
    filesPerSecCode: per(cold.filesScanned, codeMs),
    statementsPerSecCode: per(cold.statements, codeMs),
    floorFilesPerSec: floor ? per(entry.parseFloor.files, floor) : null,
    // cold wall / (parse floor + schema load of the cold run)
    coldOverFloor: floor ? round2(cold.wallMs / (floor + schemaMs)) : null,
    coldOverGrep: entry.grep?.wallMs ? round2(cold.wallMs / entry.grep.wallMs) : null,
    warmOverGrep: entry.grep?.wallMs && entry.runs.warm ? round2(entry.runs.warm.wallMs / entry.grep.wallMs) : null,
  };
}

// ---- targets ------------------------------------------------------------------------------------
function band(files) {
  if (files >= 500 && files < 2500) return 1000;
  if (files >= 2500 && files < 7500) return 5000;
  if (files >= 7500) return 10000;
  return 0;
}

function corpusTargets(entry) {
  const runs = entry.runs ?? {};
  const size = band(entry.files?.scanned ?? 0);
  const targets = [];
  const check = (name, measured, limit, unit) => {
    if (measured === undefined || measured === null || Number.isNaN(measured)) targets.push({ target: name, limit, unit, measured: null, ratio: null, pass: false, note: 'not measured' });
    else targets.push({ target: name, measured, limit, unit, ratio: round2(measured / limit), pass: measured <= limit });
  };
  const wall = (run) => (run && !run.error ? round2(run.wallMs / 1000) : undefined);
  if (size === 1000) {
    check('warm ≤ 1 s (~1,000 files)', wall(runs.warm), 1, 's');
    check('one-change ≤ 1.5 s (~1,000 files)', wall(runs.oneChange), 1.5, 's');
  }
  if (size === 5000) {
    check('warm ≤ 3 s (~5,000 files)', wall(runs.warm), 3, 's');
    check('peak RSS ≤ 1 GB (~5,000 files)', peakRss(entry), 1024, 'MB');
  }
  if (size === 10000 || entry.scale === 10) check('peak RSS ≤ 2.5 GB (10x)', peakRss(entry), 2560, 'MB');
  if (entry.kind === 'synthetic' && entry.scale === 1 && entry.parseFloor?.floorMs !== undefined && runs.cold?.timingsMs) {
    const limit = 2.5 * (entry.parseFloor.floorMs + (runs.cold.timingsMs.schema ?? 0)) / 1000;
    check('cold ≤ 2.5 × (parse floor + schema load) (1x)', wall(runs.cold), round2(limit), 's');
  }
  check('explain ≤ 1 s (after an audit)', wall(runs.explain), 1, 's');
  check('check-drops ≤ 1 s (after an audit)', wall(runs.checkDrops), 1, 's');
  return targets;
}

function peakRss(entry) {
  const values = Object.values(entry.runs ?? {}).map((r) => r.peakRssMb).filter((v) => typeof v === 'number');
  return values.length > 0 ? Math.max(...values) : undefined;
}

function linearTargets() {
  const one = results.corpora.find((c) => c.kind === 'synthetic' && c.scale === 1);
  if (!one?.runs) return [];
  const targets = [];
  for (const c of results.corpora.filter((x) => x.kind === 'synthetic' && x.scale > 1 && x.runs)) {
    for (const run of ['cold', 'warm']) {
      const base = one.runs[run];
      const big = c.runs[run];
      if (!base || !big || base.error || big.error) continue;
      const limit = round2((1.1 * c.scale * base.wallMs) / 1000);
      const measured = round2(big.wallMs / 1000);
      targets.push({ corpus: c.name, target: `linear: ${c.scale}x ${run} ≤ ${round2(1.1 * c.scale)} × 1x ${run}`, measured, limit, unit: 's', ratio: round2(measured / limit), pass: measured <= limit, scaleRatio: round2(big.wallMs / base.wallMs) });
    }
  }
  return targets;
}

// ---- processes ----------------------------------------------------------------------------------
async function runCli(args, cwd) {
  const rssFile = path.join(work, `rss-${process.pid}-${rssCounter++}.txt`);
  rmSync(rssFile, { force: true });
  const run = await runProcess(process.execPath, ['--import', hook, cli, ...args], cwd, { BENCH_RSS_FILE: rssFile });
  const lines = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(' ').map(Number)) : [];
  rmSync(rssFile, { force: true });
  const own = lines.find(([pid]) => pid === run.pid);
  const others = lines.filter(([pid]) => pid !== run.pid).map(([, , kb]) => kb);
  run.peakRssMb = own ? Math.round(own[2] / 1024) : null;
  if (others.length > 0) run.childPeakRssMb = Math.round(Math.max(...others) / 1024);
  let json;
  try {
    json = JSON.parse(run.stdout);
  } catch {
    json = undefined;
  }
  run.json = json;
  run.report = json?.stats && json?.findings ? json : undefined;
  return run;
}

function runProcess(command, args, cwd, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ pid: child.pid, exit: code ?? signal, wallMs: performance.now() - started, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

function auditSummary(run) {
  const base = { wallMs: Math.round(run.wallMs), exit: run.exit, peakRssMb: run.peakRssMb, ...(run.childPeakRssMb ? { childPeakRssMb: run.childPeakRssMb } : {}) };
  const report = run.report;
  if (!report || (run.exit !== 0 && run.exit !== 1)) return { ...base, error: firstLines(run.stderr) || `exit ${run.exit}` };
  const events = {};
  for (const event of report.events ?? []) events[event.kind] = (events[event.kind] ?? 0) + 1;
  return {
    ...base,
    timingsMs: report.stats.timingsMs,
    filesScanned: report.stats.files?.scanned,
    statements: report.stats.sql?.statements,
    cacheHit: report.schema?.cacheHit ?? null,
    statementsFailed: report.schema?.statementsFailed,
    findings: report.findings.length,
    events,
  };
}

function commandSummary(run, details) {
  const base = { wallMs: Math.round(run.wallMs), exit: run.exit, peakRssMb: run.peakRssMb, ...(run.childPeakRssMb ? { childPeakRssMb: run.childPeakRssMb } : {}) };
  if (run.exit !== 0 && run.exit !== 1) return { ...base, error: firstLines(run.stderr) || firstLines(run.stdout) || `exit ${run.exit}` };
  return { ...base, json: run.json !== undefined, ...(run.json ? details(run.json) : {}) };
}

// ---- bookkeeping --------------------------------------------------------------------------------
/** Puts back a file a one-change run modified, also after a run that was interrupted. */
function restorePendingChange() {
  const pending = path.join(work, 'pending-change.json');
  if (!existsSync(pending)) return;
  const { file, atime, mtime, original } = JSON.parse(readFileSync(pending, 'utf8'));
  if (existsSync(path.dirname(file))) {
    writeFileSync(file, Buffer.from(original, 'base64'));
    utimesSync(file, new Date(atime), new Date(mtime));
  }
  rmSync(pending, { force: true });
}

function gitInfo(dir) {
  const git = (...args) => spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  const head = git('rev-parse', 'HEAD');
  if (head.status !== 0) return { project: dir };
  const dirty = git('status', '--porcelain', '--', 'src').stdout.split('\n').filter(Boolean).length;
  return { project: dir, commit: head.stdout.trim(), dirtySrcFiles: dirty };
}

function save() {
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
}

function printSummary() {
  const header = ['corpus', 'files', 'stmts', 'cold s', 'warm s', '1-chg s', 'explain s', 'drops s', 'RSS MB', 'files/s', 'stmts/s', 'floor s', 'grep s', 'cold/floor'];
  const rows = results.corpora.map((c) => {
    const r = c.runs ?? {};
    const s = (run) => (run && !run.error ? seconds(run.wallMs) : run?.error ? 'ERR' : '-');
    return [
      c.name,
      String(c.files?.scanned ?? '-'),
      String(c.sql?.statements ?? '-'),
      s(r.cold), s(r.warm), s(r.oneChange), s(r.explain), s(r.checkDrops),
      String(peakRss(c) ?? '-'),
      c.rates ? `${c.rates.filesPerSecWall}/${c.rates.filesPerSecCode}` : '-',
      c.rates ? `${c.rates.statementsPerSecWall}/${c.rates.statementsPerSecCode}` : '-',
      c.parseFloor?.floorMs !== undefined ? seconds(c.parseFloor.floorMs) : '-',
      c.grep?.wallMs !== undefined ? seconds(c.grep.wallMs) : '-',
      c.rates?.coldOverFloor != null ? `${c.rates.coldOverFloor}x` : '-',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log('');
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  console.log('files/s and stmts/s: over the cold wall time / over its code stages (total - schema); cold/floor: cold wall / (parse floor + schema load)');
  console.log('');
  for (const c of results.corpora) {
    for (const [label, run] of Object.entries(c.runs ?? {})) {
      if (run.timingsMs) console.log(`${c.name} ${label}: ${stagesText(run.timingsMs)}${run.cacheHit !== undefined ? ` cacheHit=${run.cacheHit}` : ''}`);
    }
    if (c.error) console.log(`${c.name}: ERROR ${c.error.split('\n')[0]}`);
    if (c.validity && !c.validity.ok) console.log(`${c.name}: WARNING the corpus does not apply or parse cleanly: ${JSON.stringify(c.validity)}`);
  }
  console.log('');
  for (const t of results.targets) {
    const verdict = t.measured === null ? 'N/A ' : t.pass ? 'PASS' : 'FAIL';
    console.log(`${verdict} ${t.corpus}: ${t.target}: ${t.measured ?? '-'} ${t.unit} (limit ${t.limit} ${t.unit}, ratio ${t.ratio ?? '-'})`);
  }
  for (const s of results.skipped) console.log(`skipped ${s.repo}: ${s.why}`);
  console.log(`\nresults: ${out}`);
}

function stagesText(timings) {
  return timings ? Object.entries(timings).map(([k, v]) => `${k}=${v}`).join(' ') : '';
}
function firstLines(text) {
  return text.trim().split('\n').slice(0, 3).join(' / ').slice(0, 500);
}
function seconds(ms) {
  return (ms / 1000).toFixed(2);
}
function round2(n) {
  return Math.round(n * 100) / 100;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    restorePendingChange();
    process.exit(130);
  });
}
await main();
