import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import { UsageError, messageOf } from '../errors.js';
import { formatSarifFailure } from '../report/sarif.js';
import { toolInfo } from '../report/tool.js';
import { closest } from '../text/closest.js';
import { commands } from './commands/index.js';
import type { CliIo, CliValues, Command } from './context.js';
import { PARSE_OPTIONS, refusedFlag, type CommandName } from './flags.js';
import { commandHelp, overviewHelp } from './help.js';

export type { CliIo } from './context.js';

/** parseArgs' complaint as one line; an unknown flag gets the flag it most likely meant. */
function argumentError(message: string): UsageError {
  const unknown = /^Unknown option '(-{1,2})([^']+)'/.exec(message);
  if (unknown !== null) {
    const near = closest(unknown[2]!, Object.keys(PARSE_OPTIONS));
    return new UsageError(`unknown flag ${unknown[1]}${unknown[2]}`, { hint: near !== undefined ? `did you mean --${near}?` : 'run dead-schema --help' });
  }
  return new UsageError(message.split('\n')[0] ?? 'bad arguments', { hint: 'run dead-schema --help' });
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: PARSE_OPTIONS, tokens: true });
  } catch (error) {
    throw argumentError(messageOf(error));
  }
  const values = parsed.values as CliValues;
  const [first, ...rest] = parsed.positionals;
  // `help audit`, `audit --help` and `--help audit` print the same; help wins over any other flag.
  if (first === 'help') return printHelp(rest, io);
  if (values.help === true) return printHelp(first !== undefined && isCommandName(first) ? [first] : [], io);
  if (values.version === true) {
    await io.stdout(`${toolInfo().version}\n`);
    return 0;
  }
  const { name, args } = pickCommand(parsed.positionals, io.cwd);
  // Before the run, so a refused flag costs no audit and leaves no SARIF failure log behind.
  const refused = refusedFlag(name, parsed.tokens);
  if (refused !== undefined) throw refused;
  try {
    return await runCommand(name, args, values, io);
  } catch (error) {
    await writeSarifFailure(values, io, error);
    throw error;
  }
}

/** `dead-schema help [command]`: the overview, or one command's help. */
async function printHelp(args: string[], io: CliIo): Promise<number> {
  const [wanted, ...extra] = args;
  if (extra.length > 0) throw new UsageError(`help takes one command, not "${args.join(' ')}"`, { hint: `e.g. dead-schema help ${wanted ?? 'audit'}` });
  if (wanted === undefined) {
    const loaded = await Promise.all(Object.entries(commands).map(async ([name, load]) => [name as CommandName, await load()] as const));
    await io.stdout(overviewHelp(loaded));
    return 0;
  }
  if (!isCommandName(wanted)) throw unknownCommand(wanted);
  await io.stdout(commandHelp(wanted, await commands[wanted]!()));
  return 0;
}

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

function unknownCommand(name: string): UsageError {
  const near = closest(name, Object.keys(commands));
  return new UsageError(`unknown command "${name}"`, { hint: near !== undefined ? `did you mean ${near}?` : `commands: ${Object.keys(commands).join(', ')}, help` });
}

/** The command and its positionals: `dead-schema ./repo` still means `dead-schema audit ./repo`. */
function pickCommand(positionals: string[], cwd: string): { name: CommandName; args: string[] } {
  const [first, ...rest] = positionals;
  if (first !== undefined && isCommandName(first)) return { name: first, args: rest };
  if (first !== undefined && !looksLikePath(first, cwd)) throw unknownCommand(first);
  return { name: 'audit', args: positionals };
}

/**
 * Under `--format sarif` (or a .sarif `--output-file`) a run that fails still leaves a valid SARIF
 * log saying so, so an upload step with `if: always()` does not fail on an empty file. Best
 * effort: the error itself is what the caller reports.
 */
async function writeSarifFailure(values: CliValues, io: CliIo, error: unknown): Promise<void> {
  const outputs = Array.isArray(values['output-file']) ? values['output-file'] : [];
  if (values.format !== 'sarif' && outputs.length === 0) return;
  // Loaded on failure only: output-files brings every reporter with it.
  const { outputTarget, writeOutputFile } = await import('./output-files.js');
  const sarifFiles = outputs.flatMap((spec) => {
    const target = outputTarget(spec, io.cwd);
    return target?.format === 'sarif' ? [target] : [];
  });
  if (values.format !== 'sarif' && sarifFiles.length === 0) return;
  const log = formatSarifFailure(messageOf(error));
  if (values.format === 'sarif') await io.stdout(log).catch(() => undefined);
  for (const target of sarifFiles) await writeOutputFile(target, log).catch(() => undefined);
}

async function runCommand(commandName: CommandName, args: string[], values: CliValues, io: CliIo): Promise<number> {
  const command = await commands[commandName]!();
  const root = codeRoot(command, args, values, io.cwd);
  // The config belongs to the code audited: looked for from the code root up to the repository's top.
  const loaded = await loadConfig(root, typeof values.config === 'string' ? path.resolve(io.cwd, values.config) : undefined);
  if (loaded.file !== undefined && path.dirname(loaded.file) !== root && values.quiet !== true && typeof values.config !== 'string') {
    io.stderr(`dead-schema: using the config ${path.relative(io.cwd, loaded.file)} (from a parent of the audited root)\n`);
  }
  const commandArgs = command.rootArgument === true && args[0] !== undefined ? args.slice(1) : args;
  return command.run({ args: commandArgs, values, io, root, config: loaded.config, ...(loaded.file !== undefined ? { configFile: loaded.file } : {}) });
}

/** `--root DIR` and a command's root argument mean the same thing: the code to audit. */
function codeRoot(command: Command, args: string[], values: CliValues, cwd: string): string {
  const flag = typeof values.root === 'string' ? path.resolve(cwd, values.root) : undefined;
  const positional = command.rootArgument === true && args[0] !== undefined ? path.resolve(cwd, args[0]) : undefined;
  if (flag !== undefined && positional !== undefined && flag !== positional) {
    throw new UsageError(`two code roots: ${args[0]} and --root ${String(values.root)}`, { hint: 'give one of them' });
  }
  return positional ?? flag ?? cwd;
}

function looksLikePath(arg: string, cwd: string): boolean {
  return /[./\\]/.test(arg) || existsSync(path.resolve(cwd, arg));
}
