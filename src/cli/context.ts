import type { DeadSchemaConfig } from '../config/index.js';

/** Where the CLI writes; tests pass their own. `stdout` resolves once the text is handed on. */
export interface CliIo {
  stdout(text: string): Promise<void>;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  stderrIsTTY: boolean;
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
  /** One line for --help. */
  usage: string;
  /** The first positional argument is the code root (`audit [root]`), the same as --root. */
  rootArgument?: boolean;
  run(ctx: CommandContext): Promise<number>;
}
