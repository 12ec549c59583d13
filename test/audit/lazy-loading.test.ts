import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');

/**
 * The modules `entry` loads before any dynamic import() runs, with the chain that reaches each
 * package: static `import`/`export ... from` only (type-only imports are erased).
 */
function staticPackages(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>([[entry, [entry]]]);
  const packages = new Map<string, string[]>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^(?:import|export)\s+(?!type\b)[^;'"]*?from\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gm)) {
      const specifier = (match[1] ?? match[2])!;
      const chain = [...seen.get(file)!];
      if (!specifier.startsWith('.')) {
        if (!packages.has(specifier)) packages.set(specifier, chain);
        continue;
      }
      const target = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts');
      if (!seen.has(target) && existsSync(target)) {
        seen.set(target, [...chain, path.relative(repo, target)]);
        queue.push(target);
      }
    }
  }
  return packages;
}

describe('what a run loads before it knows it needs it', () => {
  // A warm audit (stored result reused) must not pay ~0.5 s for the TypeScript compiler, nor
  // load pg without a live database: both are imported on demand (src/analyse-code.ts, schema/live).
  for (const entry of ['src/cli.ts', 'src/cli/commands/audit.ts', 'src/cli/commands/explain.ts', 'src/cli/commands/check-drops.ts', 'src/run.ts']) {
    it(`${entry} reaches neither the TypeScript compiler, pg nor zod through static imports`, () => {
      const packages = staticPackages(path.join(repo, entry));
      // zod too: ~0.2 s to load and build schemas, needed only when a config, baseline or unverified cache entry is read.
      // jiti too (and its Babel): needed only for a .ts config or reporter.
      for (const heavy of ['ts-morph', 'typescript', 'pg', '@electric-sql/pglite', 'zod', 'jiti']) expect(packages.get(heavy), `${heavy} via ${packages.get(heavy)?.join(' -> ')}`).toBeUndefined();
      // The walk itself works: it does reach the packages every run needs.
      if (entry !== 'src/cli.ts') expect(packages.has('tinyglobby')).toBe(true);
    });
  }
});
