import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a SARIF log says about the tool that produced it. */
export interface ToolInfo {
  name: string;
  version: string;
  /** The tool's home: the package's homepage or repository, else its npm page. */
  informationUri: string;
  /** Where the verdicts and confidence levels are explained. */
  helpUri: string;
}

interface PackageJson {
  name?: string;
  version?: string;
  homepage?: string;
  repository?: string | { url?: string };
}

let cached: ToolInfo | undefined;

/** Read once from this package's own package.json, which sits at a different depth in src/ and dist/src/. */
export function toolInfo(): ToolInfo {
  cached ??= fromPackageJson(ownPackageJson());
  return cached;
}

function ownPackageJson(): PackageJson {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
      if (pkg.name === 'dead-schema') return pkg;
    }
    if (path.dirname(dir) === dir) return {};
  }
}

function fromPackageJson(pkg: PackageJson): ToolInfo {
  const name = pkg.name ?? 'dead-schema';
  const repository = repositoryUrl(pkg.repository);
  const informationUri = pkg.homepage ?? repository ?? `https://www.npmjs.com/package/${name}`;
  // The docs folder is not published to npm: link it only where the repository serves it.
  const helpUri = repository !== undefined ? `${repository}/blob/HEAD/docs/verdicts.md` : `${informationUri}#reading-the-verdicts`;
  return { name, version: pkg.version ?? '0.0.0', informationUri, helpUri };
}

/** `git+https://github.com/o/r.git` and `github:o/r` as a browsable https URL. */
function repositoryUrl(repository: PackageJson['repository']): string | undefined {
  const raw = typeof repository === 'string' ? repository : repository?.url;
  if (raw === undefined) return undefined;
  const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(raw);
  if (shorthand) return `https://github.com/${shorthand[1]}`;
  const url = raw.replace(/^git\+/, '').replace(/\.git$/, '').replace(/^git:\/\//, 'https://');
  return /^https?:\/\//.test(url) ? url : undefined;
}
