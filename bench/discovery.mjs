// File discovery alone (tinyglobby walk, .gitignore, symlinks), which runs before any parsing:
//   node bench/discovery.mjs <root> [--runs 7]    (needs `npm run build`)
// Prints the median and min wall time and the median CPU time of discoverFiles() over the runs,
// after one warm-up.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const root = argv.find((arg, i) => !arg.startsWith('--') && !argv[i - 1]?.startsWith('--'));
if (!root) {
  console.error('usage: node bench/discovery.mjs <root> [--runs 7]');
  process.exit(2);
}
const runsFlag = argv.indexOf('--runs');
const runs = runsFlag === -1 ? 7 : Number(argv[runsFlag + 1]);
const { discoverFiles } = await import(path.join(here, '..', 'dist', 'src', 'scan', 'files.js'));

const count = (result) => (Array.isArray(result) ? result.length : result.files.length);
let files = count(await discoverFiles({ root }));
const times = [];
const cpu = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const usage = process.cpuUsage();
  files = count(await discoverFiles({ root }));
  const used = process.cpuUsage(usage);
  cpu.push((used.user + used.system) / 1000);
  times.push(performance.now() - started);
}
// CPU time (this process, libuv's fs threads included) moves less than wall time on a busy machine.
const median = (list) => Math.round([...list].sort((a, b) => a - b)[runs >> 1]);
console.log(JSON.stringify({ files, runs, medianMs: median(times), minMs: Math.round(Math.min(...times)), cpuMedianMs: median(cpu) }));
