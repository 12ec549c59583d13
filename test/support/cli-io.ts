import type { CliIo } from '../../src/cli/main.js';

/** A CliIo that keeps what the CLI writes, for running `main()` in-process. */
export function captured(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = {}): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: async (text) => {
        out += text;
      },
      stderr: (text) => {
        err += text;
      },
      env,
      stderrIsTTY: false,
      stdoutIsTTY: false,
      cwd,
    },
    out: () => out,
    err: () => err,
  };
}
