import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AnalysisEvent } from '../catalog.js';
import { messageOf } from '../errors.js';
import { discoverFiles, makeTestMatcher } from './files.js';
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
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface ProjectScan {
  files: FileScan[];
  events: AnalysisEvent[];
}

const READ_CONCURRENCY = 64;

export async function scanProject(options: ScanProjectOptions): Promise<ProjectScan> {
  const root = path.resolve(options.root);
  const files = await discoverFiles({
    root,
    ...(options.include ? { include: options.include } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.excludePaths ? { excludePaths: options.excludePaths } : {}),
  });
  const isTest = makeTestMatcher(options.testGlobs);
  const scans: FileScan[] = [];
  const events: AnalysisEvent[] = [];
  for (let offset = 0; offset < files.length; offset += READ_CONCURRENCY) {
    const batch = files.slice(offset, offset + READ_CONCURRENCY);
    const texts = await Promise.all(
      batch.map(async (file) => readFile(path.join(root, file), 'utf8').catch((error: unknown) => error as Error)),
    );
    batch.forEach((file, index) => {
      const text = texts[index];
      if (text instanceof Error || text === undefined) {
        events.push({ kind: 'file-read-error', file, message: messageOf(text) });
        return;
      }
      const scan = file.endsWith('.sql')
        ? scanSqlFile(file, text, isTest(file))
        : scanTypeScript(file, text, isTest(file), {
            interestingNames: options.interestingNames,
            ...(options.extraSqlTags ? { extraSqlTags: options.extraSqlTags } : {}),
          });
      scans.push(scan);
      events.push(...scan.events);
    });
    options.onProgress?.('scanning files', Math.min(offset + batch.length, files.length), files.length);
  }
  return { files: scans, events };
}
