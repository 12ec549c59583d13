import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { main } from '../../src/cli/main.js';
import { captured } from '../support/cli-io.js';

/**
 * README.md is what npm shows and what a new user copies from: its first commands, the flags it
 * gives the CLI, its links (npm renders it without the repository) and the CI workflow it offers
 * are checked here against the code.
 */
const repoRoot = path.resolve(__dirname, '../..');
const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const REPO_URL = 'https://github.com/dead-schema/dead-schema';

interface Fence {
  lang: string;
  body: string;
  /** Index of the opening fence line. */
  line: number;
}

/** Fenced code blocks (``` or ~~~, closed by the same character at least as long), and the text outside them. */
function parseMarkdown(markdown: string): { fences: Fence[]; prose: string[] } {
  const lines = markdown.split('\n');
  const fences: Fence[] = [];
  const prose: string[] = [];
  let open: { marker: string; lang: string; line: number; body: string[] } | undefined;
  lines.forEach((text, index) => {
    if (open === undefined) {
      const start = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(text);
      if (start !== null) open = { marker: start[1]!, lang: start[2]!.toLowerCase(), line: index, body: [] };
      else prose.push(text);
      return;
    }
    const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(text);
    if (close !== null && close[1]![0] === open.marker[0] && close[1]!.length >= open.marker.length) {
      fences.push({ lang: open.lang, body: open.body.join('\n'), line: open.line });
      open = undefined;
    } else {
      open.body.push(text);
    }
  });
  if (open !== undefined) throw new Error(`README.md: the code block opened on line ${open.line + 1} is never closed`);
  return { fences, prose };
}

/** Inline code spans of a paragraph text (any number of backticks, as CommonMark reads them). */
function inlineCode(text: string): string[] {
  return [...text.matchAll(/(?<!`)(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g)].map((m) => m[2]!.trim());
}

const { fences, prose } = parseMarkdown(readme);
const proseText = prose.join('\n');
const lines = readme.split('\n');

/** Index of the line holding exactly this heading. */
function headingLine(heading: string): number {
  const index = lines.findIndex((line) => line.trim() === heading);
  expect(index, `README.md has the heading "${heading}"`).toBeGreaterThanOrEqual(0);
  return index;
}

/** The commands of a shell block: no blank lines, no comment lines, trailing comments cut. */
function shellCommands(body: string): string[] {
  return body
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const { prose: text } = parseMarkdown(markdown);
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of text) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading === null) continue;
    const base = heading[1]!
      .replace(/`/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    out.add(count === 0 ? base : `${base}-${count}`);
  }
  return out;
}

describe('README.md', () => {
  describe('opening', () => {
    it('starts with the title, one sentence, then "Install and quick start"', () => {
      expect(lines[0]).toBe('# dead-schema');
      const firstSection = lines.findIndex((line) => line.startsWith('## '));
      expect(lines[firstSection]).toBe('## Install and quick start');
      const intro = lines.slice(1, firstSection).filter((line) => line.trim() !== '');
      expect(intro, 'one paragraph between the title and the first section').toHaveLength(1);
    });

    it('its first code block is a sh block that installs the package', () => {
      const first = fences[0]!;
      expect(first.line).toBeGreaterThan(headingLine('## Install and quick start'));
      expect(first.lang).toBe('sh');
      expect(shellCommands(first.body)).toContain('npm i -D dead-schema');
    });

    it('has a three-line quick start right after the install line', () => {
      const quick = fences[1]!;
      expect(quick.lang).toBe('sh');
      const quickCommands = shellCommands(quick.body);
      expect(quickCommands).toHaveLength(3);
      for (const command of quickCommands) expect(command).toMatch(/^npx dead-schema /);
    });

    it('"From a clone" has exactly the two commands that work on a fresh clone, and links CONTRIBUTING.md', () => {
      const start = headingLine('### From a clone of this repository');
      const install = headingLine('## Install and quick start');
      const next = lines.findIndex((line, index) => index > start && /^#{1,3} /.test(line));
      expect(start).toBeGreaterThan(install);
      // Right after the install section: no other section in between.
      expect(lines.slice(install + 1, start).some((line) => /^#{1,3} /.test(line))).toBe(false);
      const block = fences.find((fence) => fence.line > start);
      expect(block, 'a code block under "From a clone"').toBeDefined();
      expect(block!.line).toBeLessThan(next);
      expect(shellCommands(block!.body)).toEqual(['npm ci && npm run example', 'npm test']);
      expect(lines.slice(start, next).join('\n')).toContain(`](${REPO_URL}/blob/main/CONTRIBUTING.md)`);
    });

    it('names scripts that package.json has', () => {
      const scripts = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
      expect(scripts).toHaveProperty('example');
      expect(scripts.test).toBeDefined();
    });

    it('shows the default output exactly as the tool prints it on the bundled example', async () => {
      const start = headingLine('## What the output looks like');
      const block = fences.find((fence) => fence.line > start);
      expect(block?.lang).toBe('text');
      const example = path.join(repoRoot, 'fixtures/audit/incident');
      const { io, out } = captured(example);
      expect(await main(['audit', '--migrations', 'migrations'], io)).toBe(0);
      // Only the run time differs from run to run.
      const seconds = (text: string): string => text.replace(/; \d+\.\ds$/m, '; N.Ns');
      expect(seconds(block!.body.trimEnd())).toBe(seconds(out().trimEnd()));
    }, 120_000);
  });

  describe('flags given to dead-schema', () => {
    let help = '';

    beforeAll(async () => {
      // The global help, and each command's own (`audit --help`, `help audit`) where the CLI has one.
      const runs: string[][] = [['--help'], ...Object.keys(commands).flatMap((name) => [[name, '--help'], ['help', name]])];
      for (const argv of runs) {
        const { io, out } = captured(repoRoot);
        try {
          if ((await main(argv, io)) === 0) help += `${out()}\n`;
        } catch {
          // A spelling of help this CLI does not have yet.
        }
      }
    });

    /** Every text a user may copy a command from: code blocks (with `\` continuations joined) and inline code. */
    function commandTexts(): string[] {
      const blocks = fences.flatMap((fence) => fence.body.replace(/\\\n\s*/g, ' ').split('\n'));
      return [...blocks, ...inlineCode(proseText)];
    }

    it('finds the flags the README mentions', () => {
      const flags = mentionedFlags();
      for (const flag of ['--since', '--fail-on', '--output-file', '--migrations']) expect(flags).toContain(flag);
    });

    /** `--flags` after `dead-schema <command>` on the same line or span. */
    function mentionedFlags(): string[] {
      const flags = new Set<string>();
      for (const text of commandTexts()) {
        for (const line of text.split('\n')) {
          const invocation = /(?:^|[\s/])dead-schema\s(.*)$/.exec(line);
          if (invocation === null) continue;
          for (const match of invocation[1]!.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)) flags.add(`--${match[1]}`);
        }
      }
      return [...flags].sort();
    }

    it('every one is in the CLI help', () => {
      expect(help).toContain('Usage: dead-schema');
      const missing = mentionedFlags().filter((flag) => !new RegExp(`(?<![\\w-])${flag}(?![\\w-])`).test(help));
      expect(missing, 'flags the README gives dead-schema that its --help does not list').toEqual([]);
    });
  });

  describe('links', () => {
    const targets = [
      ...[...proseText.replace(/(`+)[\s\S]*?\1/g, '').matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!),
      ...[...proseText.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!),
      ...[...proseText.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]!),
    ];

    it('has links to check', () => {
      expect(targets.length).toBeGreaterThan(10);
    });

    it('are absolute (npm shows the README without the repository) or in-page anchors', () => {
      const relative = targets.filter((target) => !/^(https?:\/\/|#)/.test(target));
      expect(relative, 'relative links; use https://github.com/dead-schema/dead-schema/blob/main/<path>').toEqual([]);
    });

    it('into this repository name files that exist on main, and headings that exist', () => {
      const own = targets.filter((target) => target.startsWith(`${REPO_URL}/`));
      expect(own.length).toBeGreaterThan(0);
      for (const target of own) {
        const match = /^https:\/\/github\.com\/dead-schema\/dead-schema\/(?:blob|tree)\/main\/([^#?]+)(?:#(.+))?$/.exec(target);
        expect(match, `${target} points at blob/main or tree/main`).not.toBeNull();
        const file = path.join(repoRoot, decodeURIComponent(match![1]!));
        expect(existsSync(file), `${target}: ${path.relative(repoRoot, file)} exists`).toBe(true);
        if (match![2] !== undefined && file.endsWith('.md')) {
          expect(anchors(readFileSync(file, 'utf8')), `${target}: heading #${match![2]}`).toContain(match![2]);
        }
      }
    });

    it('in-page anchors name headings of the README', () => {
      const own = anchors(readme);
      for (const target of targets.filter((t) => t.startsWith('#'))) expect(own, `README.md ${target}`).toContain(target.slice(1));
    });
  });

  describe('the GitHub Actions workflow', () => {
    const workflows = fences.filter((fence) => (fence.lang === 'yaml' || fence.lang === 'yml') && /dead-schema audit/.test(fence.body));

    it('is one YAML block', () => {
      expect(workflows).toHaveLength(1);
      expect(workflows[0]!.body).not.toMatch(/\t/);
    });

    it('has the sticky-comment marker, the permissions, the job summary and the SARIF upload', () => {
      const yaml = workflows[0]!.body;
      for (const needed of ['<!-- dead-schema -->', 'actions: read', '$GITHUB_STEP_SUMMARY', 'upload-sarif']) expect(yaml).toContain(needed);
      for (const needed of ['on: pull_request', 'contents: read', 'security-events: write', 'pull-requests: write', 'fetch-depth: 0', 'if: always()']) {
        expect(yaml).toContain(needed);
      }
      // actions: read is there for SARIF upload in private repositories, and says so.
      expect(yaml).toMatch(/actions: read\s+#.*private/);
    });

    it('audits with --since on pull requests and reads back the files the audit writes', () => {
      const yaml = workflows[0]!.body;
      const audit = yaml.split('\n').find((line) => /\bnpx dead-schema audit\b/.test(line))!;
      expect(audit, 'a step that runs npx dead-schema audit').toBeDefined();
      expect(audit).toMatch(/--since origin\/\$\{\{ github\.base_ref \}\}/);
      expect(audit).toMatch(/--fail-on (low|medium|high)/);
      const sarif = /--output-file sarif=(\S+)/.exec(audit)?.[1];
      const markdown = /--output-file markdown=(\S+)/.exec(audit)?.[1];
      expect(sarif).toBeDefined();
      expect(markdown).toBeDefined();
      expect(yaml).toMatch(new RegExp(`sarif_file: ${sarif!.replace(/\./g, '\\.')}\\s`));
      expect(yaml).toContain(`cat ${markdown} >> "$GITHUB_STEP_SUMMARY"`);
      expect(yaml.split(markdown!).length - 1, 'the Markdown file feeds the summary and the comment').toBeGreaterThanOrEqual(3);
    });

    it('uses current major versions of the actions', () => {
      const yaml = workflows[0]!.body;
      const uses = [...yaml.matchAll(/uses:\s*([\w./-]+)@v(\d+)/g)].map((m) => [m[1]!, Number(m[2])] as const);
      expect(uses.map(([name]) => name)).toEqual(expect.arrayContaining(['actions/checkout', 'actions/setup-node', 'github/codeql-action/upload-sarif']));
      // Majors that run on Node 24 (GitHub retired Node 20 for actions in 2026).
      const floor: Record<string, number> = { 'actions/checkout': 5, 'actions/setup-node': 5, 'github/codeql-action/upload-sarif': 4, 'actions/github-script': 8 };
      for (const [name, major] of uses) if (floor[name] !== undefined) expect(major, name).toBeGreaterThanOrEqual(floor[name]!);
    });
  });
});
