import { twoColumns, wrap } from '../text/wrap.js';
import type { Command } from './context.js';
import { AUDITING, FLAGS, GROUP_NOTES, flagTerm, flagsOf, type CommandName, type Flag, type FlagGroup } from './flags.js';

/** Every help line fits a default terminal and a CI log without wrapping mid-word. */
export const HELP_WIDTH = 80;

const COLUMNS = { indent: 2, termWidth: 24, gap: 2, width: HELP_WIDTH };
const GROUP_ORDER: readonly FlagGroup[] = ['Schema source', 'Code to scan', 'Findings', 'Output', 'Cache', 'General'];
const EXIT_CODES = 'Exit codes: 0 clean, 1 findings at or above --fail-on (check-drops: a dropped object is alive, refused or unknown), 2 error. To fail CI on high-confidence findings only, one flag:\n  dead-schema audit --fail-on high';

/** `dead-schema --help`: every command, and every flag with the commands it is for. */
export function overviewHelp(commands: readonly (readonly [CommandName, Command])[]): string {
  const forEvery = FLAGS.filter((flag) => flag.commands === 'all' && flag.overviewOnly !== true).map((flag) => `--${flag.name}`);
  const commandRows = commands.map(([, command]) => [command.usage, command.summary] as const);
  return sections([
    wrap('dead-schema: find the dead parts of a PostgreSQL schema in a TypeScript or JavaScript codebase', HELP_WIDTH),
    [
      'Usage: dead-schema [command] [options]',
      '       dead-schema help [command]',
      'The command defaults to audit: dead-schema ./repo audits ./repo.',
    ],
    ['Commands:', ...twoColumns([...commandRows, ['help [command]', "this help, or one command's usage and flags"]], COLUMNS)],
    wrap(`A flag is for ${sentenceList(AUDITING)} unless brackets name its commands; ${sentenceList(forEvery)} are for every command.`, HELP_WIDTH),
    ...flagSections(FLAGS, (flag) => `${commandsNote(flag)}${flag.help}${valuesNote(flag)}`),
    wrap(EXIT_CODES, HELP_WIDTH),
    wrap("dead-schema help <command> (or dead-schema <command> --help) shows one command's usage and flags only.", HELP_WIDTH),
  ]);
}

/** `dead-schema help audit`: its usage, what it does, and only the flags it reads. */
export function commandHelp(name: CommandName, command: Command): string {
  const about = `${command.summary.charAt(0).toUpperCase()}${command.summary.slice(1)}.${command.details !== undefined ? ` ${command.details}` : ''}`;
  return sections([
    [`Usage: dead-schema ${command.usage} [options]`],
    wrap(about, HELP_WIDTH),
    ...flagSections(flagsOf(name), (flag) => flag.helpFor?.[name] ?? flag.help, name),
    wrap(`Exit codes: ${command.exitCodes ?? '0 done, 2 error'}.`, HELP_WIDTH),
  ]);
}

/** One block per group, in the order a run needs them: where the schema comes from first. */
function flagSections(flags: readonly Flag[], text: (flag: Flag) => string, command?: CommandName): string[][] {
  return GROUP_ORDER.flatMap((group) => {
    const inGroup = flags.filter((flag) => flag.group === group);
    if (inGroup.length === 0) return [];
    const note = GROUP_NOTES[group];
    const heading = wrap(note === undefined ? `${group}:` : `${group} (${note}):`, HELP_WIDTH);
    return [[...heading, ...twoColumns(inGroup.map((flag) => [flagTerm(flag, command), text(flag)] as const), COLUMNS)]];
  });
}

/** `[audit, baseline] ` before the text of a flag that fewer commands than the auditing ones read; first, so it never wraps. */
function commandsNote(flag: Flag): string {
  if (flag.commands === 'all') return '';
  const same = flag.commands.length === AUDITING.length && AUDITING.every((command) => flag.commands.includes(command));
  return same ? '' : `[${flag.commands.join(', ')}] `;
}

/** ` (explain: json only)` after a flag some commands take fewer values of. */
function valuesNote(flag: Flag): string {
  const narrowed = Object.entries(flag.valuesFor ?? {}).map(([command, values]) => `${command}: ${values.join(' | ')}`);
  return narrowed.length === 0 ? '' : ` (${narrowed.join('; ')})`;
}

function sentenceList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

function sections(blocks: readonly (readonly string[])[]): string {
  return `${blocks.map((lines) => lines.map((line) => line.trimEnd()).join('\n')).join('\n\n')}\n`;
}
