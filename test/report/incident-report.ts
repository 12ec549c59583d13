import { tmpdir } from 'node:os';
import path from 'node:path';
import { audit } from '../../src/run.js';
import type { AuditReport } from '../../src/run.js';
import type { ToolInfo } from '../../src/report/tool.js';

const repoRoot = path.resolve(__dirname, '../..');
const fixture = path.join(repoRoot, 'fixtures/audit/incident');

/** A fixed tool description, so a version bump does not rewrite the SARIF snapshot. */
export const TEST_TOOL: ToolInfo = {
  name: 'dead-schema',
  version: '0.0.0-test',
  informationUri: 'https://www.npmjs.com/package/dead-schema',
  helpUri: 'https://www.npmjs.com/package/dead-schema#reading-the-verdicts',
};

/**
 * The incident fixture's report with what changes between runs and machines pinned: timings,
 * whether the migrated schema came from the cache, and absolute paths of this checkout.
 */
export async function incidentReport(): Promise<AuditReport> {
  const report = await audit({
    root: fixture,
    migrations: path.join(fixture, 'migrations'),
    cacheDir: path.join(tmpdir(), 'dead-schema-test-cache'),
  });
  report.stats.timingsMs = { schema: 0, scan: 0, match: 0, collect: 0, decide: 0, reuse: 0, total: 0 };
  if (report.schema.cacheHit !== undefined) report.schema.cacheHit = false;
  delete report.stats.cache;
  // The location is relative to the working directory; pin it to the repository root.
  report.schema.location = path.relative(repoRoot, path.resolve(report.schema.location));
  return JSON.parse(JSON.stringify(report).split(repoRoot).join('<repo>')) as AuditReport;
}
