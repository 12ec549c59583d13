import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { COMMAND_NAMES, FLAGS, PARSE_OPTIONS, flagsOf, type CommandName } from '../../src/cli/flags.js';
import { HELP_WIDTH } from '../../src/cli/help.js';
import { main } from '../../src/cli/main.js';
import { UsageError } from '../../src/errors.js';
import { twoColumns, wrap } from '../../src/text/wrap.js';
import { captured } from '../support/cli-io.js';

const fixture = path.resolve(__dirname, '../../fixtures/audit/incident');

async function help(...argv: string[]): Promise<string> {
  const { io, out } = captured();
  expect(await main(argv, io)).toBe(0);
  return out();
}

/** A row of the flag table for `--name` (not a mention in prose, not `--migrations` inside `--migrations-layout`). */
function lists(text: string, flag: string): boolean {
  return new RegExp(`^ {2}(-[a-z], )?--${flag}( |$)`, 'm').test(text);
}

const squashed = (text: string): string => text.replace(/\s+/g, ' ');

describe('the flag table', () => {
  it('names the commands commands/index.ts registers, and every flag has a command', () => {
    expect(Object.keys(commands).sort()).toEqual([...COMMAND_NAMES].sort());
    for (const flag of FLAGS) expect(flag.commands === 'all' || flag.commands.length > 0).toBe(true);
  });

  it('is what parseArgs parses: a value placeholder exactly when the flag takes a value', () => {
    expect(Object.keys(PARSE_OPTIONS).sort()).toEqual(FLAGS.map((flag) => flag.name).sort());
    for (const flag of FLAGS) expect(PARSE_OPTIONS[flag.name]!.type).toBe(flag.value === undefined ? 'boolean' : 'string');
  });
});

describe('dead-schema --help', () => {
  it('lists every flag, --root, --baseline and --no-baseline included', async () => {
    const text = await help('--help');
    for (const flag of FLAGS) expect(lists(text, flag.name), `--${flag.name}`).toBe(true);
    for (const flag of ['root', 'baseline', 'no-baseline']) expect(lists(text, flag)).toBe(true);
  });

  it('is the same as dead-schema help, and states the exit codes and how to fail CI on high findings', async () => {
    const text = await help('--help');
    expect(await help('help')).toBe(text);
    expect(text).toContain('Exit codes: 0 clean, 1 findings at or above --fail-on');
    expect(text).toContain('dead-schema audit --fail-on high');
    expect(squashed(text)).toContain('text (default): a grouped list, one finding per line | table: a box table | json | sarif | markdown | github');
  });

  it('a path argument does not make the help a command help', async () => {
    expect(await help('./repo', '--help')).toBe(await help('--help'));
  });
});

describe('per-command help', () => {
  it.each(COMMAND_NAMES)('%s: <command> --help and help <command> print the same, its usage and only its flags', async (name: CommandName) => {
    const text = await help(name, '--help');
    expect(await help('help', name)).toBe(text);
    expect(await help('--help', name)).toBe(text);
    expect(text).toMatch(new RegExp(`^Usage: dead-schema ${name} `));
    expect(text).toMatch(/Exit codes: 0 /);
    const own = new Set(flagsOf(name).map((flag) => flag.name));
    for (const flag of FLAGS) {
      if (flag.overviewOnly === true) continue;
      expect(lists(text, flag.name), `${name} --help and --${flag.name}`).toBe(own.has(flag.name));
    }
  });

  it('narrows a flag to the values the command takes', async () => {
    expect(await help('help', 'explain')).toMatch(/^ {2}--format json +print the findings as JSON/m);
    expect(await help('help', 'check-drops')).toMatch(/^ {2}--format table\|json /m);
    expect(await help('help', 'audit')).toContain('--fail-on high');
  });

  it('help for an unknown command is a usage error with the command it most likely meant', async () => {
    await expect(main(['help', 'explian'], captured().io)).rejects.toMatchObject({ message: 'unknown command "explian"', details: { hint: 'did you mean explain?' } });
    // Two swapped letters are one slip, though two edits apart.
    await expect(main(['audti'], captured().io)).rejects.toMatchObject({ message: 'unknown command "audti"', details: { hint: 'did you mean audit?' } });
    await expect(main(['audit', '--fial-on', 'high'], captured().io)).rejects.toMatchObject({ details: { hint: 'did you mean --fail-on?' } });
    await expect(main(['help', 'nonsense'], captured().io)).rejects.toBeInstanceOf(UsageError);
    await expect(main(['help', 'audit', 'explain'], captured().io)).rejects.toBeInstanceOf(UsageError);
  });
});

describe('every help line fits 80 columns', () => {
  it.each([[['--help']], ...COMMAND_NAMES.map((name) => [['help', name]])])('%j', async (argv: string[]) => {
    const text = await help(...argv);
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(HELP_WIDTH);
    expect(text).not.toMatch(/ +$/m);
  });
});

describe('a flag the command does not read', () => {
  it('is a usage error naming the commands that take it', async () => {
    await expect(main(['init', '--fail-on', 'high'], captured().io)).rejects.toMatchObject({
      message: 'unknown flag for init: --fail-on high',
      details: { hint: '--fail-on is a flag of audit' },
    });
    await expect(main(['baseline', '--no-baseline'], captured().io)).rejects.toMatchObject({ message: 'unknown flag for baseline: --no-baseline' });
    await expect(main(['init', '--migrations=db'], captured().io)).rejects.toMatchObject({
      message: 'unknown flag for init: --migrations db',
      details: { hint: '--migrations is a flag of audit, check-drops, baseline, explain' },
    });
  });

  it('or a value it does not take: explain prints json or text, never sarif', async () => {
    const { io, out } = captured(fixture);
    await expect(main(['explain', 'runs.retry_delay_seconds', '--migrations', 'migrations', '--format', 'sarif'], io)).rejects.toMatchObject({
      message: 'unknown flag for explain: --format sarif',
      details: { hint: 'explain takes --format json only; --format sarif is a flag of audit' },
    });
    // Refused before the run: no SARIF failure log on stdout.
    expect(out()).toBe('');
  });

  it('a path still means audit, with audit\'s flags', async () => {
    const { io, out } = captured();
    expect(await main([fixture, '--migrations', path.join(fixture, 'migrations'), '--format', 'json', '--fail-on', 'high', '--no-baseline'], io)).toBe(1);
    expect((JSON.parse(out()) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
  });

  it('explain --format json still prints JSON', async () => {
    const { io, out } = captured(fixture);
    expect(await main(['explain', 'runs.retry_delay_seconds', '--migrations', 'migrations', '--format', 'json', '--quiet'], io)).toBe(0);
    const json = JSON.parse(out()) as { findings: { id: string }[] };
    expect(json.findings.map((f) => f.id)).toEqual(['public.runs.retry_delay_seconds']);
  });
});

describe('wrap', () => {
  it('breaks at spaces, keeps a paragraph indent, and never cuts a word', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('  x yy zz', 6)).toEqual(['  x yy', '  zz']);
    expect(wrap('a\n\nb', 5)).toEqual(['a', '', 'b']);
    expect(wrap('short averyveryverylongword', 8)).toEqual(['short', 'averyveryverylongword']);
  });

  it('keeps the text column aligned, and moves the text of a long term to the next line', () => {
    const layout = { indent: 2, termWidth: 6, gap: 2, width: 20 };
    expect(twoColumns([['--a', 'one two three four']], layout)).toEqual(['  --a     one two', '          three four']);
    expect(twoColumns([['--longer', 'text']], layout)).toEqual(['  --longer', '          text']);
  });
});
