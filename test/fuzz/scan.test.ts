/**
 * The file scanners on mutated real fixture sources: token ranges deleted, duplicated and
 * swapped, text truncated, and stray `${`, backticks, quotes, escapes, comment markers, line
 * separators and non-BMP characters inserted. Each file is scanned the way scanProject scans
 * it (every library rule enabled), then every SQL site is analysed. Replay a failure as
 * described in ./arbitraries.ts; the message names the fixture and carries the mutated text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { scanSqlFile } from '../../src/scan/sql-files.js';
import type { FileScan } from '../../src/scan/types.js';
import { scanTypeScript } from '../../src/scan/typescript.js';
import { analyzeSql, initSqlParser } from '../../src/sql/index.js';
import type { SqlTemplate } from '../../src/sql/types.js';
import { createFakeLookup } from '../sql/fake-lookup.js';
import { fuzzParameters, fuzzRuns } from './arbitraries.js';

const root = path.resolve(import.meta.dirname, '../../fixtures');
const listed = readdirSync(root, { recursive: true, encoding: 'utf8' }).map((file) => file.split(path.sep).join('/')).sort();
const load = (files: string[]): { file: string; text: string }[] =>
  files.map((file) => ({ file, text: readFileSync(path.join(root, file), 'utf8') }));
const sources = load(listed.filter((file) => /\/src\/.*\.(?:[cm]?[jt]sx?)$/.test(file)));
const sqlFiles = load(listed.filter((file) => file.endsWith('.sql')));

const lookup = createFakeLookup();
const packages = new Set(rules.flatMap((rule) => rule.enablers));
/** Every identifier in the fixtures, so mentions of any of them are recorded. */
const interestingNames = new Set(sources.flatMap(({ text }) => text.match(/[A-Za-z_$][\w$]*/g) ?? []));

const insertions = [
  '${', '}', '`', "'", '"', '\\', '\\u{', '\\x4', '\\u00', '/*', '*/', '//', '\n', '\r', '\r\n', '\u2028', '\u00e9', '\u{1F600}',
  '\uD800', '\u0000', '(', ')', '{', '<', '</', '=>', 'sql`', '${sql`', '`SELECT * FROM runs WHERE id = ${id}`', ' SELECT ', ' FROM ',
  '$1', '?', ':name', '#!', '@Column()', 'as any', ';',
];

type Mutation =
  | { kind: 'delete' | 'duplicate' | 'truncate'; at: number; length: number }
  | { kind: 'swap'; at: number; length: number; to: number }
  | { kind: 'insert'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const, 'truncate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }), to: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...insertions) }),
);

/** Token boundaries (words, runs of spaces, single other characters), so ranges cut where a lexer would. */
function boundaries(text: string): number[] {
  const starts = [...text.matchAll(/[\w$]+|\s+|[^\w\s$]/gu)].map((match) => match.index);
  return [...starts, text.length];
}

function mutate(text: string, mutations: Mutation[]): string {
  let current = text;
  for (const change of mutations) {
    const cuts = boundaries(current);
    const cut = (index: number): number => cuts[index % cuts.length] as number;
    const from = cut(change.at);
    const to = change.kind === 'insert' ? from : Math.max(from, cut(change.at + change.length));
    switch (change.kind) {
      case 'delete':
        current = current.slice(0, from) + current.slice(to);
        break;
      case 'duplicate':
        current = current.slice(0, to) + current.slice(from, to) + current.slice(to);
        break;
      case 'truncate':
        current = current.slice(0, from);
        break;
      case 'insert':
        current = current.slice(0, from) + change.text + current.slice(from);
        break;
      case 'swap': {
        const other = cut(change.to);
        if (other >= from && other < to) break;
        const piece = current.slice(from, to);
        const without = current.slice(0, from) + current.slice(to);
        const at = other > from ? other - piece.length : other;
        current = without.slice(0, at) + piece + without.slice(at);
        break;
      }
    }
  }
  return current;
}

/** A fixture mutated, sometimes parsed as another script kind (JSX and JS change what the parser accepts). */
const mutatedSource = fc
  .record({ index: fc.nat(), mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }), extension: fc.constantFrom('', '', '.tsx', '.js') })
  .map(({ index, mutations, extension }) => {
    const { file, text } = sources[index % sources.length]!;
    return { file: extension === '' ? file : file.replace(/\.[^.]+$/, extension), text: mutate(text, mutations) };
  });

const lineBreaks = new Set(['\n', '\r', '\u2028', '\u2029']);

/** A template's chunks and holes point into the file, in order, fragments included. */
function checkTemplate(template: SqlTemplate, length: number, where: string): void {
  expect(template.chunks.length, where).toBe(template.holes.length + 1);
  for (const chunk of template.chunks) {
    expect(typeof chunk.text, where).toBe('string');
    expect(chunk.start, where).toBeGreaterThanOrEqual(0);
    expect(chunk.start + chunk.text.length, where).toBeLessThanOrEqual(length);
  }
  for (const hole of template.holes) {
    expect(hole.start, where).toBeGreaterThanOrEqual(0);
    // A hole cut off by the end of the file (`${` as the last characters) starts at the end.
    expect(hole.start, where).toBeLessThanOrEqual(length);
    if (hole.kind === 'fragment') checkTemplate(hole.template, length, where);
    if (hole.kind === 'unknown') expect(typeof hole.text, where).toBe('string');
    if (hole.kind === 'identifier') expect(typeof hole.name, where).toBe('string');
  }
}

/** What every FileScan must satisfy whatever the input text. */
function checkScan(scan: FileScan, file: string, text: string): void {
  const where = `${file}:\n${text}`;
  expect(scan.file, where).toBe(file);
  expect(scan.lineStarts[0], where).toBe(0);
  scan.lineStarts.forEach((start, index) => {
    if (index === 0) return;
    expect(start, where).toBeGreaterThan(scan.lineStarts[index - 1]!);
    expect(start, where).toBeLessThanOrEqual(text.length);
    expect(lineBreaks.has(text[start - 1]!), where).toBe(true);
  });
  for (const mention of scan.mentions) {
    expect(mention.position, where).toBeGreaterThanOrEqual(0);
    expect(mention.position, where).toBeLessThan(text.length);
    // A name is written as is at its position, unless escapes spell it (`'a\x62'`, `\u0061`): strings are cooked text.
    const escaped = text.slice(mention.position, mention.position + mention.name.length * 6).includes('\\');
    if (mention.kind !== 'string' && mention.kind !== 'element' && !escaped) {
      expect(text.startsWith(mention.name, mention.position), `${JSON.stringify(mention)} in ${where}`).toBe(true);
    }
  }
  for (const site of scan.sqlSites) {
    expect(site.position, where).toBeGreaterThanOrEqual(0);
    expect(site.position, where).toBeLessThanOrEqual(text.length);
    checkTemplate(site.template, text.length, where);
    const analysis = analyzeSql(site.template, lookup, site.fragmentOf);
    for (const ref of analysis.refs) {
      expect(ref.position, where).toBeGreaterThanOrEqual(0);
      expect(ref.position, where).toBeLessThanOrEqual(text.length);
    }
  }
  for (const { ref } of scan.libraryRefs) {
    expect(ref.position, where).toBeGreaterThanOrEqual(0);
    expect(ref.position, where).toBeLessThanOrEqual(text.length);
  }
  for (const event of scan.events) {
    expect(typeof event.message, where).toBe('string');
    if (event.line !== undefined) {
      expect(event.line, where).toBeGreaterThanOrEqual(1);
      expect(event.line, where).toBeLessThanOrEqual(scan.lineStarts.length);
    }
  }
}

const scanSource = (file: string, text: string): FileScan =>
  scanTypeScript(file, text, file.includes('.test.'), { interestingNames, rules, packages });

beforeAll(async () => {
  await initSqlParser();
});

describe('file scanners on mutated fixtures (property)', () => {
  it('finds fixture sources to mutate', () => {
    expect(sources.length).toBeGreaterThan(50);
    expect(sqlFiles.length).toBeGreaterThan(10);
  });

  it('scans the unmutated fixtures into well-formed results with no rule failures', () => {
    for (const { file, text } of sources) {
      const scan = scanSource(file, text);
      checkScan(scan, file, text);
      expect(scan.events.filter((event) => event.kind === 'library-rule-failed'), file).toEqual([]);
    }
  });

  it('scans mutated TypeScript without throwing, deterministically, into well-formed results', () => {
    fc.assert(
      fc.property(mutatedSource, ({ file, text }) => {
        const scan = scanSource(file, text);
        checkScan(scan, file, text);
        expect(scan.events.filter((event) => event.kind === 'library-rule-failed'), text).toEqual([]);
        expect(scanSource(file, text), `${file}:\n${text}`).toEqual(scan);
      }),
      fuzzParameters(fuzzRuns(30, 1500)),
    );
  });

  it('keeps every character of a mutated .sql file but its parameters, at its own offset', () => {
    const mutatedSql = fc
      .record({ index: fc.nat(), mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }) })
      .map(({ index, mutations }) => {
        const { file, text } = sqlFiles[index % sqlFiles.length]!;
        return { file, text: mutate(text, mutations) };
      });
    fc.assert(
      fc.property(mutatedSql, ({ file, text }) => {
        const scan = scanSqlFile(file, text, false);
        checkScan(scan, file, text);
        const [site] = scan.sqlSites;
        const shaped = site!.template.chunks[0]!.text;
        expect(shaped.length).toBe(text.length);
        // Only parameters change, each into a same-length `$1`.
        for (let index = 0; index < text.length; index++) {
          if (shaped[index] !== text[index] && !/[$1 ]/.test(shaped[index]!)) throw new Error(`${file}: changed at ${index}: ${JSON.stringify(shaped)}`);
        }
      }),
      fuzzParameters(fuzzRuns(30, 1000)),
    );
  });
});
