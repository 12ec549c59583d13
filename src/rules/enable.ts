import { readFileSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import type { AnalysisEvent } from '../catalog.js';
import type { InputLog } from '../scan/inputs.js';
import type { Rule } from './types.js';

/** `drizzle-orm/pg-core` → `drizzle-orm`; `@prisma/client/runtime` → `@prisma/client`; relative paths → undefined. */
export function packageOfSpecifier(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Dependencies declared by the package.json nearest to each file (inside the scanned root),
 * so each workspace package of a monorepo enables its own rules. A workspace package passes
 * its libraries on to the packages that depend on it: an app that gets its Prisma client or
 * Drizzle `db` from `@acme/database` calls the library as surely as that package does (issue
 * 10: one monorepo lost Prisma analysis in 99% of its files). Rules still fire only on their
 * own call shapes, so a package that merely depends on a database package loses nothing.
 */
export class PackageDependencies {
  private readonly byDir = new Map<string, ReadonlySet<string>>();
  /** Workspace packages under the root: name → the dependencies its package.json declares. */
  private workspace: Map<string, ReadonlySet<string>> | undefined;
  private readonly passedOn = new Map<string, ReadonlySet<string>>();
  /** package.json files that could not be read as JSON: they enable nothing. */
  readonly events: AnalysisEvent[] = [];

  /** `log` records every package.json read and listed, for a later run to check (src/scan/inputs.ts). */
  constructor(
    private readonly root: string,
    private readonly log?: InputLog,
  ) {}

  forFile(relativeFile: string): ReadonlySet<string> {
    return this.forDir(path.dirname(path.join(this.root, relativeFile)));
  }

  /** `names` plus every library the workspace packages among them pass on (for a file's own imports). */
  withWorkspaceLibraries(names: Iterable<string>): Set<string> {
    const out = new Set(names);
    for (const name of [...out]) for (const library of this.librariesOf(name, new Set())) out.add(library);
    return out;
  }

  private forDir(dir: string): ReadonlySet<string> {
    const cached = this.byDir.get(dir);
    if (cached !== undefined) return cached;
    let deps: ReadonlySet<string>;
    const manifest = readManifest(path.join(dir, 'package.json'), this.root, this.events, this.log);
    if (manifest !== undefined) deps = this.withWorkspaceLibraries(manifest.deps);
    else if (path.relative(this.root, dir) === '' || path.relative(this.root, dir).startsWith('..')) deps = new Set();
    else deps = this.forDir(path.dirname(dir));
    this.byDir.set(dir, deps);
    return deps;
  }

  /** What workspace package `name` depends on, through other workspace packages too; nothing for an npm package. */
  private librariesOf(name: string, visiting: Set<string>): ReadonlySet<string> {
    const cached = this.passedOn.get(name);
    if (cached !== undefined) return cached;
    const own = this.workspacePackages().get(name);
    if (own === undefined || visiting.has(name)) return new Set();
    visiting.add(name);
    const out = new Set(own);
    for (const dep of own) for (const library of this.librariesOf(dep, visiting)) out.add(library);
    visiting.delete(name);
    this.passedOn.set(name, out);
    return out;
  }

  private workspacePackages(): Map<string, ReadonlySet<string>> {
    if (this.workspace !== undefined) return this.workspace;
    this.workspace = new Map();
    const manifests = listWorkspaceManifests(this.root);
    this.log?.manifests(this.root, manifests);
    for (const file of manifests) {
      const manifest = readManifest(path.join(this.root, file), this.root, [], this.log);
      if (manifest?.name !== undefined && !this.workspace.has(manifest.name)) this.workspace.set(manifest.name, manifest.deps);
    }
    return this.workspace;
  }
}

/** Every package.json under the root outside installed and built folders: the workspace's packages. */
export function listWorkspaceManifests(root: string): string[] {
  return globSync('**/package.json', { cwd: root, ignore: ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/build/**'], expandDirectories: false }).sort();
}

function readManifest(file: string, root: string, events: AnalysisEvent[], log: InputLog | undefined): { name: string | undefined; deps: Set<string> } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    log?.file(file, 'utf8', undefined);
    return undefined;
  }
  log?.file(file, 'utf8', text);
  const deps = new Set<string>();
  let name: string | undefined;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    if (typeof json.name === 'string') name = json.name;
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const value = json[field];
      if (value !== null && typeof value === 'object') for (const dep of Object.keys(value)) deps.add(dep);
    }
  } catch (error) {
    // Imports still enable rules per file, so the scan goes on.
    events.push({
      kind: 'package-json-invalid',
      file: path.relative(root, file).split(path.sep).join('/'),
      message: `${error instanceof Error ? error.message : String(error)}; its dependencies enable no library rules`,
    });
  }
  return { name, deps };
}

export function isRuleEnabled(rule: Rule, packages: ReadonlySet<string>): boolean {
  return rule.isEnabled ? rule.isEnabled(packages) : rule.enablers.some((name) => packages.has(name));
}
