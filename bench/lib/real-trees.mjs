// The real repositories of bench/real/*.json that `npm run bench` measures: every spec with an
// `audit` section whose bare mirror is on this machine, exported at its pinned commit to
// bench/.generated/real/<spec name> (kept and reused while the commit is the same).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportTree } from '../real/export.mjs';

/** Specs with an `audit` section and a local mirror; `skipped` says why the others are left out. */
export function realSpecs(realDir, mirrors, only) {
  const specs = [];
  const skipped = [];
  for (const file of readdirSync(realDir).filter((f) => f.endsWith('.json')).sort()) {
    const spec = JSON.parse(readFileSync(path.join(realDir, file), 'utf8'));
    const name = file.replace(/\.json$/, '');
    if (spec.audit === undefined) continue;
    if (only && !only.some((o) => o === spec.repo || o === name || spec.repo.endsWith(`/${o}`))) continue;
    const mirror = mirrorOf(mirrors, spec.mirror ?? spec.repo);
    const shared = (spec.audit.sharedWith ?? []).map((s) => ({ ...s, mirror: mirrorOf(mirrors, s.repo) }));
    const missing = [mirror, ...shared.map((s) => s.mirror)].filter((m) => !existsSync(m));
    if (missing.length > 0) skipped.push({ repo: spec.repo, why: `no mirror at ${missing.join(', ')}` });
    else specs.push({ name, spec, mirror, shared });
  }
  return { specs, skipped };
}

const mirrorOf = (mirrors, repo) => path.join(mirrors, repo.replace('/', '+'), 'repo');

/** Exports the tree (and the trees it shares a database with) unless already there at that commit. */
export async function ensureTree({ name, spec, mirror, shared }, outDir, log) {
  const tree = await ensureExport(mirror, spec.commit, path.join(outDir, name), log);
  const args = [...spec.audit.args];
  for (const s of shared) {
    const dir = await ensureExport(s.mirror, s.commit, path.join(outDir, `${name}.shared`, s.repo.replace('/', '__')), log);
    args.push('--shared-with', dir);
  }
  return { tree, root: path.join(tree, spec.audit.root ?? '.'), args };
}

async function ensureExport(mirror, commit, dir, log) {
  const marker = `${dir}.commit`;
  if (existsSync(dir) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === commit) return dir;
  log(`exporting ${mirror} at ${commit.slice(0, 10)} to ${dir}`);
  mkdirSync(path.dirname(dir), { recursive: true });
  const { files } = await exportTree(mirror, commit, dir);
  writeFileSync(marker, `${commit}\n`);
  log(`exported ${files} files`);
  return dir;
}
