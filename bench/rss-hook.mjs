// Preloaded into every measured CLI process (`node --import bench/rss-hook.mjs cli.js ...`): Node
// cannot read a child's rusage, so the child reports its own peak RSS. On exit it appends
// "<pid> <ppid> <maxRSS KiB>" to the file named by BENCH_RSS_FILE. Only main threads write (the
// preload also runs in worker threads, whose resourceUsage() is the whole process's anyway); a
// process the CLI forks inherits --import and writes its own line, told apart by its pid.
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.BENCH_RSS_FILE;
if (file && isMainThread) {
  process.on('exit', () => {
    try {
      appendFileSync(file, `${process.pid} ${process.ppid} ${process.resourceUsage().maxRSS}\n`);
    } catch {
      // Never change the measured process's exit.
    }
  });
}
