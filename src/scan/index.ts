import path from 'node:path';
import type { AnalysisEvent } from '../catalog.js';
import { messageOf } from '../errors.js';
import { PackageDependencies, isRuleEnabled } from '../rules/enable.js';
import { RuleOffWatch } from '../rules/switches.js';
import type { Rule } from '../rules/types.js';
import { encodingEvent, readDecoded, type DecodedText } from '../text/decode.js';
import { lineStarts } from '../text/lines.js';
import { TreeListing, discoverFiles, makeTestMatcher, type DiscoverOptions, type DiscoveredFiles } from './files.js';
import type { InputLog } from './inputs.js';
import { OTHER_LANGUAGE_GLOBS, scanOtherLanguageFile } from './other-languages.js';
import { ImportedConstants, type ExportedValue } from './imported-constants.js';
import { ScanCache, hash, type ScanCacheStats, type ScanDependency } from './cache.js';
import { scanSqlFile } from './sql-files.js';
import type { FileScan } from './types.js';
import { scanTypeScript } from './typescript.js';

export type { FileScan, Mention, MentionKind, SqlSite, SqlOrigin } from './types.js';

export interface ScanProjectOptions {
  root: string;
  include?: string[];
  exclude?: string[];
  /** Absolute paths that are not application code (migrations, schema dumps). */
  excludePaths?: string[];
  testGlobs?: string[];
  interestingNames: ReadonlySet<string>;
  extraSqlTags?: RegExp;
  /** Library rules; each file gets those its package depends on or it imports. */
  rules?: readonly Rule[];
  /** Rules the config turned off: files with their call shapes are reported (`library-rule-off`). */
  offRules?: readonly Rule[];
  onProgress?: (step: string, done: number, total: number) => void;
  /**
   * Reuse scans of unchanged files (src/scan/cache.ts): the cache folder, and a key of
   * everything above that changes what a scan finds (the caller's: it knows the schema's names).
   */
  cache?: { dir: string; runKey: string };
  /** Records every walk and read, so a later run can tell whether this scan would change (src/scan/inputs.ts). */
  inputs?: InputLog;
}

export interface ProjectScan {
  files: FileScan[];
  events: AnalysisEvent[];
  /** Files whose scan came from the cache, and those parsed; absent without a cache. */
  cache?: ScanCacheStats;
  /** The cache pack being written (serialised already): await before exiting. */
  cacheSaved?: Promise<void>;
}

const READ_CONCURRENCY = 64;

export async function scanProject(options: ScanProjectOptions): Promise<ProjectScan> {
  const root = path.resolve(options.root);
  const log = options.inputs;
  // The code, other languages' files and rules' declaration files come from one walk of the tree.
  const listing = new TreeListing(root);
  const { files, skipped } = await walk(log, listing, {
    root,
    ...(options.include ? { include: options.include } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.excludePaths ? { excludePaths: options.excludePaths } : {}),
  });
  const isTest = makeTestMatcher(options.testGlobs);
  const scans: FileScan[] = [];
  const events: AnalysisEvent[] = [...skipped];
  const dependencies = new PackageDependencies(root, log);
  const rules = options.rules ?? [];
  const imported = new ImportedConstants(log);
  const offWatch = new RuleOffWatch(rules, options.offRules ?? []);
  const cache = options.cache === undefined ? undefined : await ScanCache.open(options.cache.dir, root, options.cache.runKey, events);
  // What a scan asks outside its file, answered the same way when a cached entry is replayed.
  // A workspace lookup's question is its package names joined, so a replay asks the same.
  const workspace = (question: string): Set<string> => dependencies.withWorkspaceLibraries(question === '' ? [] : question.split(','));
  const answer = (file: string, [kind, question]: ScanDependency): string =>
    kind === 'constants' ? exportsText(imported.exportsOf(path.join(root, file), question)) : librariesText(workspace(question));
  const scanCode = (file: string, text: string, textHash: string): FileScan => {
    const packages = dependencies.forFile(file);
    const key = hash(`${textHash}\0${isTest(file) ? 1 : 0}\0${[...packages].sort().join(',')}`);
    const cached = cache?.get(file, key, text, (dependency) => answer(file, dependency) === dependency[2]);
    if (cached !== undefined) return cached;
    const asked: ScanDependency[] = [];
    const scan = scanTypeScript(file, text, isTest(file), {
      interestingNames: options.interestingNames,
      ...(options.extraSqlTags ? { extraSqlTags: options.extraSqlTags } : {}),
      rules,
      packages,
      withWorkspaceLibraries: (names) => {
        const question = [...names].join(',');
        const out = workspace(question);
        asked.push(['workspace', question, librariesText(out)]);
        return out;
      },
      importedConstants: (specifier) => {
        const exports = imported.exportsOf(path.join(root, file), specifier);
        // Only relative imports are read (ImportedConstants): a package's answer never changes.
        if (specifier.startsWith('.')) asked.push(['constants', specifier, exportsText(exports)]);
        return exports;
      },
    });
    cache?.set(file, key, scan, asked);
    return scan;
  };
  await readInBatches(root, files, events, log, (file, decoded, textHash) => {
    const notUtf8 = encodingEvent(file, decoded);
    if (notUtf8 !== undefined) events.push(notUtf8);
    const text = decoded.text;
    const scan = file.endsWith('.sql') ? scanSqlFile(file, text, isTest(file)) : scanCode(file, text, textHash());
    if (!file.endsWith('.sql')) offWatch.check(scan, text);
    scans.push(scan);
    events.push(...scan.events);
  }, (done) => options.onProgress?.('scanning files', done, files.length));
  events.push(...offWatch.events());
  await scanOtherLanguages(options, root, listing, isTest, scans, events);
  for (const rule of rules) {
    if (rule.projectFiles === undefined) continue;
    // Its skipped links are the main walk's too, already reported.
    const { files: declarationFiles } = await walk(log, listing, {
      root,
      include: rule.projectFiles.patterns,
      ...(options.exclude ? { exclude: options.exclude } : {}),
      ...(options.excludePaths ? { excludePaths: options.excludePaths } : {}),
    });
    for (const file of declarationFiles) {
      if (!isRuleEnabled(rule, dependencies.forFile(file))) continue;
      const scan = await scanProjectFile(rule, root, file, isTest(file), log);
      if ('kind' in scan) {
        events.push(scan);
        continue;
      }
      scans.push(scan);
      events.push(...scan.events);
    }
  }
  events.push(...dependencies.events);
  if (cache === undefined) return { files: scans, events };
  return { files: scans, events, cache: cache.stats, cacheSaved: cache.save() };
}

/** discoverFiles(), recorded. */
async function walk(log: InputLog | undefined, listing: TreeListing, options: DiscoverOptions): Promise<DiscoveredFiles> {
  const found = await discoverFiles(options, listing);
  log?.walk(options, found.files);
  return found;
}

/** Exported constants as text, to compare what a module exports now with what a cached scan saw. */
function exportsText(exports: ReadonlyMap<string, ExportedValue> | undefined): string {
  if (exports === undefined || exports.size === 0) return '';
  return hash(JSON.stringify([...exports].map(([name, value]) => [name, typeof value === 'string' ? value : [...value]]))).slice(0, 16);
}

/** A workspace lookup's answer, short: packs hold one per import of every file. */
function librariesText(libraries: ReadonlySet<string>): string {
  const text = [...libraries].sort().join(',');
  return text.length <= 16 ? text : hash(text).slice(0, 16);
}

/** Reads files a batch at a time (bounded open files); a file that cannot be read is an event. */
async function readInBatches(
  root: string,
  files: string[],
  events: AnalysisEvent[],
  log: InputLog | undefined,
  /** `textHash` hashes the text once, for the input log and the scan cache both. */
  onFile: (file: string, decoded: DecodedText, textHash: () => string) => void,
  onBatch?: (done: number) => void,
): Promise<void> {
  for (let offset = 0; offset < files.length; offset += READ_CONCURRENCY) {
    const batch = files.slice(offset, offset + READ_CONCURRENCY);
    const texts = await Promise.all(batch.map(async (file) => readDecoded(path.join(root, file)).catch((error: unknown) => error as Error)));
    batch.forEach((file, index) => {
      const decoded = texts[index];
      if (decoded instanceof Error || decoded === undefined) {
        log?.file(path.join(root, file), 'decoded', undefined);
        events.push({ kind: 'file-read-error', file, message: messageOf(decoded) });
        return;
      }
      let textHash: string | undefined;
      const hashOnce = (): string => (textHash ??= hash(decoded.text));
      if (log !== undefined) log.file(path.join(root, file), 'decoded', decoded.text, decoded.encoding === 'utf-8', hashOnce());
      onFile(file, decoded, hashOnce);
    });
    onBatch?.(Math.min(offset + batch.length, files.length));
  }
}

/** Files of services in other languages: their words are possible uses (src/scan/other-languages.ts). */
async function scanOtherLanguages(options: ScanProjectOptions, root: string, listing: TreeListing, isTest: (file: string) => boolean, scans: FileScan[], events: AnalysisEvent[]): Promise<void> {
  const { files } = await walk(options.inputs, listing, {
    root,
    include: OTHER_LANGUAGE_GLOBS,
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.excludePaths ? { excludePaths: options.excludePaths } : {}),
  });
  await readInBatches(root, files, events, options.inputs, (file, decoded) => {
    scans.push(scanOtherLanguageFile(file, decoded.text, isTest(file), options.interestingNames));
  });}

/** A non-code file a rule declares models in (schema.prisma): only its library references count. */
async function scanProjectFile(rule: Rule, root: string, file: string, isTest: boolean, log: InputLog | undefined): Promise<FileScan | AnalysisEvent> {
  let decoded: DecodedText;
  try {
    decoded = await readDecoded(path.join(root, file));
  } catch (error) {
    log?.file(path.join(root, file), 'decoded', undefined);
    return { kind: 'file-read-error', file, message: messageOf(error) };
  }
  log?.file(path.join(root, file), 'decoded', decoded.text, decoded.encoding === 'utf-8');
  const text = decoded.text;
  const notUtf8 = encodingEvent(file, decoded);
  const refs = rule.projectFiles!.scan(file, text);
  return {
    file,
    isTest,
    sqlSites: [],
    mentions: [],
    libraryRefs: refs.map((ref) => ({ rule: rule.name, ref })),
    rules: [rule.name],
    lineStarts: lineStarts(text),
    events: notUtf8 === undefined ? [] : [notUtf8],
  };
}
