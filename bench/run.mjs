// Speed and memory benchmark: generates a real-size synthetic repo (bench/generate.mjs) and audits it
// cold (no cache: migrations applied in PGlite) and warm (cached schema), each in a fresh process.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const corpus = path.join(here, '.generated', 'corpus');
const files = process.env.BENCH_FILES ?? '1000';
const migrations = process.env.BENCH_MIGRATIONS ?? '80';

if (!existsSync(path.join(repo, 'dist', 'src', 'index.js'))) execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
rmSync(corpus, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(here, 'generate.mjs'), corpus, '--files', files, '--migrations', migrations], { stdio: 'inherit' });

const probe = `
const { audit } = await import(${JSON.stringify(path.join(repo, 'dist', 'src', 'index.js'))});
const started = performance.now();
const report = await audit({ root: process.argv[1], migrations: process.argv[2], cacheDir: process.argv[3] });
const json = JSON.stringify(report);
console.log(JSON.stringify({
  wallMs: Math.round(performance.now() - started),
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  timings: report.stats.timingsMs,
  files: report.stats.files.scanned,
  sql: report.stats.sql,
  dead: report.stats.dead,
  cacheHit: report.schema.cacheHit,
  events: report.stats.events,
  reportBytes: json.length,
}));
`;
const cacheDir = path.join(here, '.generated', 'cache');
rmSync(cacheDir, { recursive: true, force: true });
for (const label of ['cold', 'warm']) {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe, corpus, path.join(corpus, 'db', 'migrations'), cacheDir], { encoding: 'utf8' });
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    process.exit(1);
  }
  console.log(`${label}: ${run.stdout.trim()}`);
}
