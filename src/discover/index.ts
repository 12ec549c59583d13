import path from 'node:path';
import { CANDIDATE_ORDER, findCandidates, type SchemaCandidate } from './candidates.js';
import { counted } from '../text/count.js';

export { CANDIDATE_ORDER, type CandidateKind, type SchemaCandidate } from './candidates.js';

export interface Discovery {
  /** The source used: the first candidate in the documented order. */
  chosen?: SchemaCandidate;
  /** The other candidates, in order, for the user to pick with --migrations. */
  others: SchemaCandidate[];
}

/**
 * The schema source a project keeps in its repository, found with no flag and no config.
 * Order: the candidate kind (CANDIDATE_ORDER), then the folder closest to the root (a workspace
 * package's migrations after the root's own), then the one with more migration files (the main
 * schema has the longest history: supabase/storage's `migrations/tenant` beside the smaller
 * `migrations/multitenant`), then the path.
 */
export async function discoverSchema(root: string): Promise<Discovery> {
  const ranked = rank(await findCandidates(path.resolve(root)));
  const [chosen, ...others] = ranked;
  return chosen === undefined ? { others: [] } : { chosen, others };
}

export function rank(candidates: SchemaCandidate[]): SchemaCandidate[] {
  const order = (c: SchemaCandidate): number => CANDIDATE_ORDER.indexOf(c.kind);
  const depth = (c: SchemaCandidate): number => c.path.split(path.sep).length;
  const sorted = [...candidates].sort(
    (a, b) => order(a) - order(b) || depth(a) - depth(b) || b.files - a.files || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
  // One folder found several ways (a drizzle.config out and its journal) is one candidate: the best-ranked way.
  const seen = new Set<string>();
  return sorted.filter((c) => !seen.has(c.path) && seen.add(c.path));
}

/** The tool that turns the candidate into SQL, when it is a schema definition rather than migrations. */
export function generatedBy(candidate: SchemaCandidate): 'prisma' | 'drizzle-kit' | undefined {
  return candidate.kind === 'prisma-schema' ? 'prisma' : candidate.kind === 'drizzle-schema' ? 'drizzle-kit' : undefined;
}

/** `packages/prisma/migrations (Prisma migrations next to packages/prisma/schema.prisma)`. */
export function describeCandidate(candidate: SchemaCandidate, cwd: string): string {
  const what = generatedBy(candidate) !== undefined ? 'schema' : candidate.scripts === true ? 'migration script' : 'migration';
  return `${path.relative(cwd, candidate.path) || '.'} (${candidate.why}; ${counted(candidate.files, what)})`;
}
