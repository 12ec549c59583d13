#!/usr/bin/env node
import { DeadSchemaError, isDeadSchemaError, messageOf } from './errors.js';
import { main } from './cli/main.js';

const debug = process.argv.includes('--debug');
// Without a listener, an EPIPE on stdout is thrown asynchronously and crashes with a stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});
main(process.argv.slice(2), {
  // Resolves once the text is handed to the OS, so a large report survives a pipe; a reader
  // that closed early (`| head`) wanted no more, which is not an error.
  stdout: (text) =>
    new Promise((resolve, reject) =>
      process.stdout.write(text, (error) => (error && (error as NodeJS.ErrnoException).code !== 'EPIPE' ? reject(error) : resolve())),
    ),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
  stdoutIsTTY: process.stdout.isTTY === true,
  ...(process.stdout.columns > 0 ? { columns: process.stdout.columns } : {}),
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isDeadSchemaError(error)) {
      process.stderr.write(`dead-schema: ${error.message}\n`);
      const reason = (error as DeadSchemaError).details.reason;
      if (reason) process.stderr.write(`Reason: ${reason}\n`);
      const hint = (error as DeadSchemaError).details.hint;
      if (hint) process.stderr.write(`Hint: ${hint}\n`);
      if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    } else {
      process.stderr.write(`dead-schema: unexpected error: ${messageOf(error)}\n`);
      process.stderr.write(debug && error instanceof Error && error.stack ? `${error.stack}\n` : 'Run again with --debug for the stack trace.\n');
    }
    process.exitCode = 2;
  },
);
