import type { DeadSchemaConfig } from '../config/index.js';

/** Where the CLI writes; tests pass their own. `stdout` resolves once the text is handed on. */
export interface CliIo {
  stdout(text: string): Promise<void>;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  stderrIsTTY: boolean;
  /** Colour and the terminal's width apply to stdout only when it is a terminal (src/cli/terminal.ts). */
  stdoutIsTTY?: boolean;
  /** The terminal's width in characters, when stdout is one. */
  columns?: number;
  /** The working directory paths are relative to. */
  cwd: string;
}

/** Every flag any command accepts, as parseArgs returns them. */
export interface CliValues {
  [flag: string]: string | boolean | string[] | undefined;
}

export interface CommandContext {
  /** Positionals after the command name. */
  args: string[];
  values: CliValues;
  io: CliIo;
  config: DeadSchemaConfig;
  configFile?: string;
  /** The code root, absolute: the command's root argument or --root, else the working directory. */
  root: string;
}

export interface Command {
  /** What follows `dead-schema` in the usage line, e.g. `audit [root]`; its flags come from src/cli/flags.ts. */
  usage: string;
  /** What it does, in one sentence: the command list in --help and the top of its own help. */
  summary: string;
  /** More for its own help (`dead-schema help audit`): what it needs, what it leaves out. */
  details?: string;
  /** Its exit codes, when they are more than 0 done, 2 error. */
  exitCodes?: string;
  /** The first positional argument is the code root (`audit [root]`), the same as --root. */
  rootArgument?: boolean;
  run(ctx: CommandContext): Promise<number>;
}
