import type { AnalysisEvent, Catalog } from '../../catalog.js';
import { introspect } from '../introspect.js';
import { withReadOnlySession, type LiveSessionOptions } from './session.js';
import { parseDatabaseUrl } from './url.js';

export { withReadOnlySession, DEFAULT_SESSION_LIMITS, type LiveSessionOptions, type SessionLimits } from './session.js';
export { redactUrl, parseDatabaseUrl } from './url.js';

/**
 * The live database's catalog, read in one read-only session. URL parameters that would shape
 * the session (`search_path`, `options`, `statement_timeout`...) are not applied; each is
 * reported so nobody wonders why it had no effect.
 */
export async function introspectDatabase(url: string, options: LiveSessionOptions = {}): Promise<{ catalog: Catalog; events: AnalysisEvent[] }> {
  const target = parseDatabaseUrl(url);
  const catalog = await withReadOnlySession(url, (query) => introspect(query), options);
  const events: AnalysisEvent[] = target.ignoredParameters.map((name) => ({
    kind: 'db-setting-ignored',
    message: `the database URL parameter "${name}" was ignored: dead-schema sets its own read-only session (search_path=pg_catalog, timeouts) and lets nothing override it`,
  }));
  return { catalog, events };
}
