import { readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AnalysisEvent } from '../catalog.js';
import { walkTree } from './walk.js';

/** The discovery rules, applied to the paths a link leads to. */
export interface LinkFilters {
  /** Matches the include globs (paths relative to the root). */
  isIncluded(file: string): boolean;
  /** Excluded by a glob, an excluded path (migrations) or a .gitignore. */
  isIgnored(file: string): boolean;
  /** A folder whose whole content is excluded (node_modules, dist, migrations, an ignored folder). */
  isIgnoredDir(dir: string): boolean;
  /** Excludes that hold at any depth (`**\/node_modules/**`), to prune a walk of a linked folder. */
  unanchoredIgnore: string[];
}

export interface FollowedLinks {
  files: string[];
  skipped: AnalysisEvent[];
}

type Target = { real: string; isDirectory: boolean; isFile: boolean } | { problem: string };

/**
 * Files reached through symbolic links inside the root, named by the link's path. A file is
 * kept once, by its real path: the walk's own files win, then links in sorted order, so the
 * name does not depend on timing. A link is skipped, with a `symlink-skipped` event, when it is
 * broken, leads outside the root (code there is not what was asked to audit, and could be a
 * whole disk), or leads back to a folder that contains it. Each real folder is walked at most
 * once, so links into each other terminate too.
 */
export async function followLinks(root: string, links: string[], regular: string[], filters: LinkFilters): Promise<FollowedLinks> {
  const realRoot = await realpath(root);
  const seen = new Set(regular.map((file) => path.join(realRoot, file)));
  const walked = new Set<string>();
  const files: string[] = [];
  const skipped: AnalysisEvent[] = [];
  const queue = [...links];
  while (queue.length > 0) {
    const link = queue.shift()!;
    const absolute = path.join(root, link);
    const target = await resolve(absolute, realRoot);
    if ('problem' in target) {
      skipped.push({ kind: 'symlink-skipped', file: link, message: `${await describeLink(absolute)} ${target.problem}; skipped` });
      continue;
    }
    if (!isInside(realRoot, target.real)) {
      skipped.push({ kind: 'symlink-skipped', file: link, message: `${await describeLink(absolute)} leads outside the audited root; not followed, so uses in it are not counted (audit a folder that contains both)` });
      continue;
    }
    const realRel = toPosix(path.relative(realRoot, target.real));
    if (target.isFile) {
      // A link to an excluded file (under node_modules, a migration) stays excluded.
      if (filters.isIncluded(link) && !filters.isIgnored(realRel) && !seen.has(target.real)) {
        seen.add(target.real);
        files.push(link);
      }
      continue;
    }
    if (!target.isDirectory || walked.has(target.real)) continue;
    const parent = await realpath(path.dirname(absolute));
    if (isInside(target.real, parent)) {
      skipped.push({ kind: 'symlink-skipped', file: link, message: `${await describeLink(absolute)} leads back to a folder that contains it (a loop); not followed` });
      continue;
    }
    walked.add(target.real);
    if (realRel !== '' && filters.isIgnoredDir(realRel)) continue;
    const found = await walkLinkedFolder(link, target.real, realRoot, filters);
    for (const file of found.files) {
      if (seen.has(file.real)) continue;
      seen.add(file.real);
      files.push(file.path);
    }
    // Depth first, so a nested link is judged right after the folder that holds it.
    queue.unshift(...found.links);
  }
  return { files, skipped };
}

/** Included files and links under a linked folder, by their paths through the link. */
async function walkLinkedFolder(
  link: string,
  realDir: string,
  realRoot: string,
  filters: LinkFilters,
): Promise<{ files: { path: string; real: string }[]; links: string[] }> {
  const entries = await walkTree(['**'], { cwd: realDir, ignore: filters.unanchoredIgnore, dot: false });
  // Excluded by the path it is reached by or by where it really is (a link into node_modules).
  const isKept = (entry: string): boolean => !filters.isIgnored(`${link}/${entry}`) && !filters.isIgnored(toPosix(path.relative(realRoot, path.join(realDir, entry))));
  const files = entries.paths
    .sort()
    .filter((entry) => isKept(entry) && filters.isIncluded(`${link}/${entry}`))
    .map((entry) => ({ path: `${link}/${entry}`, real: path.join(realDir, entry) }));
  const links = entries.links
    .sort()
    .filter(isKept)
    .map((entry) => `${link}/${entry}`);
  return { files, links };
}

async function resolve(absolute: string, realRoot: string): Promise<Target> {
  let real: string;
  try {
    real = await realpath(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ELOOP' ? 'is a loop of links' : code === 'ENOENT' || code === 'ENOTDIR' ? 'is broken (its target does not exist)' : `cannot be resolved (${code ?? 'error'})` };
  }
  // Outside the root it is skipped unread: no stat of what may be a device or a network mount.
  if (!isInside(realRoot, real)) return { real, isDirectory: false, isFile: false };
  try {
    const info = await stat(real);
    return { real, isDirectory: info.isDirectory(), isFile: info.isFile() };
  } catch (error) {
    return { problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}

async function describeLink(absolute: string): Promise<string> {
  const target = await readlink(absolute).catch(() => undefined);
  return target === undefined ? 'symbolic link' : `symbolic link to ${target}`;
}

function isInside(dir: string, candidate: string): boolean {
  return candidate === dir || candidate.startsWith(dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`);
}

function toPosix(rel: string): string {
  return rel.split(path.sep).join('/');
}
