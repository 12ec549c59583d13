import { spawn, type ChildProcess } from 'node:child_process';
import { SchemaSourceError, messageOf } from '../../errors.js';

export interface SpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Bytes kept of each stream: the end of the output is what explains a failure. */
  maxOutputBytes: number;
}

export type SpawnTarget = { command: string } | { file: string; args: string[] };

export interface SpawnResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: OutputTail;
  stderr: OutputTail;
}

/** After SIGTERM, how long a process group gets to exit before SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** Output a grandchild still holds open after the command exited is not waited for longer than this. */
const CLOSE_GRACE_MS = 1_000;
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs a command with stdin closed and its output captured, in a process group of its own so
 * a timeout stops everything it started (npx → node → the tool), not just the shell. Never
 * rejects for the command's own failure; the caller reads exitCode and timedOut.
 */
export function spawnCommand(target: SpawnTarget, options: SpawnOptions): Promise<SpawnResult> {
  const isWindows = process.platform === 'win32';
  const [file, args, shell] = 'command' in target ? [target.command, [], true] : [target.file, target.args, isWindows];
  let child: ChildProcess;
  try {
    // detached: a new process group on POSIX; on Windows it would open a console window instead.
    child = spawn(file, args, { cwd: options.cwd, env: options.env, shell, stdio: ['ignore', 'pipe', 'pipe'], detached: !isWindows, windowsHide: true });
  } catch (error) {
    return Promise.reject(new SchemaSourceError(`cannot start ${file}: ${messageOf(error)}`, { cause: error }));
  }
  const result: SpawnResult = {
    exitCode: null,
    signal: null,
    timedOut: false,
    stdout: new OutputTail(options.maxOutputBytes),
    stderr: new OutputTail(options.maxOutputBytes),
  };
  child.stdout?.on('data', (chunk: Buffer) => result.stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => result.stderr.push(chunk));
  return new Promise((resolve, reject) => {
    const timers: NodeJS.Timeout[] = [];
    let settled = false;
    // The group is not in the terminal's foreground: without this, Ctrl-C would leave it running.
    const onSignal = (signal: NodeJS.Signals): void => {
      killGroup(child, 'SIGKILL');
      unlisten();
      process.kill(process.pid, signal);
    };
    const unlisten = (): void => FORWARDED_SIGNALS.forEach((s) => process.off(s, onSignal));
    FORWARDED_SIGNALS.forEach((s) => process.on(s, onSignal));
    const finish = (): void => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      unlisten();
      // Whatever the command left behind (a watcher, a daemonised server) goes with it.
      killGroup(child, 'SIGKILL');
      resolve(result);
    };
    timers.push(
      setTimeout(() => {
        result.timedOut = true;
        killGroup(child, 'SIGTERM');
        timers.push(setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS));
      }, options.timeoutMs),
    );
    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      unlisten();
      reject(new SchemaSourceError(`cannot start ${file}: ${messageOf(error)}`, { cause: error }));
    });
    child.on('exit', (code, signal) => {
      result.exitCode = code;
      result.signal = signal;
      timers.push(setTimeout(finish, CLOSE_GRACE_MS));
    });
    child.on('close', finish);
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group has already exited.
  }
}

/** The last maxBytes of a stream; earlier output is dropped and counted. */
export class OutputTail {
  private chunks: Buffer[] = [];
  private bytes = 0;
  dropped = 0;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.bytes > this.maxBytes && this.chunks.length > 0) {
      const first = this.chunks[0] as Buffer;
      const excess = this.bytes - this.maxBytes;
      if (first.length <= excess) {
        this.chunks.shift();
        this.bytes -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.bytes -= excess;
        this.dropped += excess;
      }
    }
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  /** The last n non-empty lines, ANSI colours removed (tools colour their errors; the report may be a file). */
  lastLines(n: number): string[] {
    const lines = this.text()
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
      .split(/\r?\n/)
      .map((line) => line.trimEnd())
      .filter((line) => line !== '');
    // A line cut by the byte limit is only a fragment.
    if (this.dropped > 0 && lines.length > n) lines.shift();
    return lines.slice(-n);
  }
}
