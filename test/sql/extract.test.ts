import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql, initSqlParser, sqlTemplateFromText } from '../../src/sql/index.js';
import type { SqlAnalysis } from '../../src/sql/index.js';
import { positionOf, refLines } from './describe-refs.js';
import { createFakeLookup } from './fake-lookup.js';

const lookup = createFakeLookup();
const analyze = (sql: string): SqlAnalysis => analyzeSql(sqlTemplateFromText(sql), lookup);
const refsOf = (sql: string): string[] => {
  const analysis = analyze(sql);
  expect(analysis.outcome, analysis.error).toBe('parsed');
  return refLines(analysis);
};

beforeAll(async () => {
  await initSqlParser();
});

describe('reads and writes', () => {
  it('reports relations and columns of a plain select', () => {
    expect(refsOf('SELECT id, status FROM runs WHERE created_at > now()')).toEqual([
      'column public.runs.created_at read',
      'column public.runs.id read',
      'column public.runs.status read',
      'relation public.runs read',
    ]);
  });

  it('binds qualified columns through aliases and joins', () => {
    expect(refsOf('SELECT r.id, o.name FROM runs r JOIN orgs o ON o.id = r.organization_id')).toEqual([
      'column public.orgs.id read',
      'column public.orgs.name read',
      'column public.runs.id read',
      'column public.runs.organization_id read',
      'relation public.orgs read',
      'relation public.runs read',
    ]);
  });

  it('reports an unqualified column two joined tables share as ambiguous on both', () => {
    const refs = refsOf('SELECT status FROM runs JOIN agents ON agents.id = runs.id');
    expect(refs).toContain('column public.runs.status read ambiguous');
    expect(refs).toContain('column public.agents.status read ambiguous');
  });

  it('writes the INSERT column list and reads RETURNING', () => {
    expect(refsOf('INSERT INTO runs (id, status) VALUES ($1, $2) RETURNING created_at')).toEqual([
      'column public.runs.created_at read',
      'column public.runs.id write',
      'column public.runs.status write',
      'relation public.runs write',
    ]);
  });

  it('writes leading columns positionally for an INSERT without a column list', () => {
    expect(refsOf('INSERT INTO runs VALUES ($1, $2)')).toEqual([
      'column public.runs.id write',
      'column public.runs.organization_id write',
      'relation public.runs write',
    ]);
  });

  it('handles INSERT ... SELECT', () => {
    expect(refsOf('INSERT INTO orgs (id, name) SELECT id, status FROM active_runs')).toEqual([
      'column public.active_runs.id read',
      'column public.active_runs.status read',
      'column public.orgs.id write',
      'column public.orgs.name write',
      'relation public.active_runs read',
      'relation public.orgs write',
    ]);
  });

  it('writes UPDATE targets including multi-column SET, reads the right-hand sides', () => {
    expect(
      refsOf('UPDATE runs r SET status = o.status, (retry_delay_seconds, created_at) = (SELECT 1, now()) FROM orgs o WHERE o.id = r.organization_id'),
    ).toEqual([
      'column public.orgs.id read',
      'column public.orgs.status read',
      'column public.runs.created_at write',
      'column public.runs.organization_id read',
      'column public.runs.retry_delay_seconds write',
      'column public.runs.status write',
      'relation public.orgs read',
      'relation public.runs write',
    ]);
  });

  it('deletes the DELETE target and reads USING tables', () => {
    expect(refsOf('DELETE FROM runs r USING orgs o WHERE r.organization_id = o.id RETURNING r.id')).toEqual([
      'column public.orgs.id read',
      'column public.runs.id read',
      'column public.runs.organization_id read',
      'relation public.orgs read',
      'relation public.runs delete',
    ]);
  });

  it('reads the ON CONFLICT target and its WHERE, writes DO UPDATE SET, ignores EXCLUDED', () => {
    const refs = refsOf(
      "INSERT INTO runs AS r (id, status) VALUES ($1, $2) ON CONFLICT (id) WHERE status IS DISTINCT FROM 'done' DO UPDATE SET retry_delay_seconds = EXCLUDED.retry_delay_seconds WHERE r.created_at IS NOT NULL",
    );
    expect(refs).toEqual([
      'column public.runs.created_at read',
      'column public.runs.id read',
      'column public.runs.id write',
      'column public.runs.retry_delay_seconds write',
      'column public.runs.status read',
      'column public.runs.status write',
      'relation public.runs write',
    ]);
  });

  it('truncates, locks, refreshes, copies and merges', () => {
    expect(refsOf('TRUNCATE runs, audit.events')).toEqual(['relation audit.events truncate', 'relation public.runs truncate']);
    expect(refsOf('LOCK TABLE runs IN SHARE MODE; REFRESH MATERIALIZED VIEW active_runs')).toEqual([
      'relation public.active_runs read',
      'relation public.runs read',
    ]);
    expect(refsOf('COPY runs (id, status) FROM STDIN')).toEqual([
      'column public.runs.id write',
      'column public.runs.status write',
      'relation public.runs write',
    ]);
    expect(refsOf('COPY orgs TO STDOUT')).toEqual(['relation public.orgs read', 'wildcard public.orgs']);
    const merge = refsOf(
      'MERGE INTO runs r USING orgs o ON r.organization_id = o.id WHEN MATCHED THEN UPDATE SET status = o.status WHEN NOT MATCHED THEN INSERT (id) VALUES (o.id)',
    );
    expect(merge).toContain('relation public.runs write');
    expect(merge).toContain('relation public.orgs read');
    expect(merge).toContain('column public.runs.status write');
    expect(merge).toContain('column public.runs.id write');
    expect(merge).toContain('column public.orgs.status read');
  });

  it('analyses every statement of a multi-statement string', () => {
    expect(refsOf('SELECT 1; UPDATE orgs SET name = $1; DELETE FROM agents')).toEqual([
      'column public.orgs.name write',
      'relation public.agents delete',
      'relation public.orgs write',
    ]);
  });
});

describe('scopes', () => {
  it('lets CTE names shadow tables and follows CTE output back to base columns', () => {
    const refs = refsOf('WITH orgs AS (SELECT id, status FROM runs) SELECT status FROM orgs');
    expect(refs).not.toContain('relation public.orgs read');
    expect(refs).toContain('column public.runs.status read');
  });

  it('handles WITH RECURSIVE', () => {
    const refs = refsOf(
      'WITH RECURSIVE tree(id, parent) AS (SELECT id, organization_id FROM runs UNION ALL SELECT r.id, t.parent FROM runs r JOIN tree t ON t.id = r.organization_id) SELECT id FROM tree',
    );
    expect(refs).toEqual(['column public.runs.id read', 'column public.runs.organization_id read', 'relation public.runs read']);
  });

  it('resolves a subquery in FROM through its alias and output names', () => {
    const refs = refsOf('SELECT s.x FROM (SELECT soul_md AS x FROM agents) s WHERE s.x IS NOT NULL');
    expect(refs).toEqual(['column public.agents.soul_md read', 'relation public.agents read']);
  });

  it('binds columns of a correlated subquery to the innermost level that has them', () => {
    const analysis = analyze('SELECT o.name FROM orgs o WHERE EXISTS (SELECT 1 FROM runs WHERE organization_id = o.id AND status = o.status)');
    const refs = refLines(analysis);
    expect(refs).toContain('column public.runs.organization_id read');
    expect(refs).toContain('column public.runs.status read');
    expect(refs).toContain('column public.orgs.status read');
    expect(refs).not.toContain('column public.orgs.status read ambiguous');
  });

  it('sees earlier FROM items from a LATERAL subquery', () => {
    expect(refsOf('SELECT l.x FROM runs r, LATERAL (SELECT r.status AS x) l')).toEqual([
      'column public.runs.status read',
      'relation public.runs read',
    ]);
  });

  it('reads JOIN ... USING columns on both sides', () => {
    const refs = refsOf('SELECT 1 FROM runs JOIN agents USING (id)');
    expect(refs).toContain('column public.runs.id read');
    expect(refs).toContain('column public.agents.id read');
  });

  it('does not bind ORDER BY output aliases to table columns', () => {
    expect(refsOf('SELECT status, count(*) AS n FROM runs GROUP BY status ORDER BY n DESC')).toEqual([
      'column public.runs.status read',
      'relation public.runs read',
    ]);
  });

  it('honours quoted camelCase names and schema qualification', () => {
    expect(refsOf('SELECT "createdAt" FROM agents')).toContain('column public.agents.createdAt read');
    expect(refsOf('SELECT createdAt FROM agents')).not.toContain('column public.agents.createdAt read');
    expect(refsOf('SELECT audit.events.payload FROM audit.events')).toEqual([
      'column audit.events.payload read',
      'relation audit.events read',
    ]);
    expect(refsOf('SELECT id FROM events')).toEqual(['token id']);
  });

  it('gives tokens, not guesses, for columns that may belong to an unknown table', () => {
    const refs = refsOf('SELECT mystery, status FROM tmp_table t JOIN runs r ON r.id = t.run_id');
    expect(refs).toContain('token mystery');
    expect(refs).toContain('token run_id');
    expect(refs).toContain('column public.runs.status read');
  });

  it('binds a bare name in ON to the two sides of its join, not to the UPDATE target or earlier FROM items', () => {
    const update = refsOf("UPDATE orgs SET name = $1 FROM audit.events e JOIN runs r ON r.id = e.id AND status = 'done'");
    expect(update).toContain('column public.runs.status read');
    expect(update.filter((line) => line.includes('.status '))).toEqual(['column public.runs.status read']);
    const select = refsOf('SELECT 1 FROM orgs o, audit.events e JOIN runs r ON r.id = e.id AND status = $1');
    expect(select.filter((line) => line.includes('.status '))).toEqual(['column public.runs.status read']);
  });

  it('binds bare names in MERGE ... WHEN NOT MATCHED to the source: there is no target row', () => {
    const refs = refsOf('MERGE INTO runs r USING active_runs a ON a.id = r.id WHEN NOT MATCHED AND status IS NOT NULL THEN INSERT (id, status) VALUES (id, status)');
    expect(refs.filter((line) => line.includes('.status '))).toEqual(['column public.active_runs.status read', 'column public.runs.status write']);
  });

  it('binds a bare name in a non-LATERAL FROM subquery to the outer query, not to a sibling FROM item', () => {
    const plain = refsOf('SELECT o.id FROM orgs o WHERE EXISTS (SELECT 1 FROM agents a, (SELECT status FROM audit.events) d)');
    expect(plain.filter((line) => line.includes('.status '))).toEqual(['column public.orgs.status read']);
    const lateral = refsOf('SELECT o.id FROM orgs o WHERE EXISTS (SELECT 1 FROM agents a, LATERAL (SELECT status FROM audit.events) d)');
    expect(lateral.filter((line) => line.includes('.status '))).toEqual(['column public.agents.status read']);
  });
});

describe('wildcards', () => {
  it('reports SELECT * and t.* per relation', () => {
    expect(refsOf('SELECT * FROM runs JOIN orgs ON true')).toEqual([
      'relation public.orgs read',
      'relation public.runs read',
      'wildcard public.orgs',
      'wildcard public.runs',
    ]);
    expect(refsOf('SELECT a.*, o.name FROM agents a, orgs o')).toEqual([
      'column public.orgs.name read',
      'relation public.agents read',
      'relation public.orgs read',
      'wildcard public.agents',
    ]);
  });

  it('reports RETURNING * on the target', () => {
    expect(refsOf('DELETE FROM runs RETURNING *')).toEqual(['relation public.runs delete', 'wildcard public.runs']);
  });

  it('treats a relation used as a row value as a wildcard', () => {
    expect(refsOf('SELECT to_jsonb(r) FROM runs r')).toContain('wildcard public.runs');
    expect(refsOf('SELECT json_agg(o) FROM orgs o')).toContain('wildcard public.orgs');
    expect(refsOf('SELECT o FROM orgs o')).toContain('wildcard public.orgs');
  });

  it('does not treat count(*) as a wildcard', () => {
    expect(refsOf('SELECT count(*) FROM runs')).toEqual(['relation public.runs read']);
  });

  it('propagates a star over a derived table to what the derived table starred', () => {
    expect(refsOf('SELECT * FROM (SELECT * FROM orgs) s')).toContain('wildcard public.orgs');
  });
});

describe('functions, types and sequences', () => {
  it('reports user functions, casts, CALL and nextval, and skips built-ins', () => {
    const refs = refsOf(
      "SELECT add(1, 2), touch($1), lower(name), status::run_status, CAST(status AS run_status), nextval('runs_id_seq') FROM orgs; CALL touch($2)",
    );
    expect(refs).toEqual([
      'column public.orgs.name read',
      'column public.orgs.status read',
      'function public.add(integer, integer)',
      'function public.touch(uuid)',
      'relation public.orgs read',
      'sequence public.runs_id_seq',
      'type public.run_status',
    ]);
  });

  it('reports types used by column definitions and array casts', () => {
    expect(refsOf('CREATE TEMP TABLE staging (s run_status, n integer)')).toEqual(['type public.run_status']);
    expect(refsOf("SELECT $1::run_status[] FROM runs WHERE status = ANY('{a}'::public.run_status[])")).toEqual([
      'column public.runs.status read',
      'relation public.runs read',
      'type public.run_status',
    ]);
  });

  it('reads a relation named in a regclass literal', () => {
    expect(refsOf("SELECT pg_total_relation_size('audit.events'::regclass)")).toEqual(['relation audit.events read']);
  });
});

describe('positions', () => {
  it('maps byte offsets after non-ASCII text back to string indexes', () => {
    const sql = "SELECT 'héllo ✓ 😀', status FROM runs";
    const analysis = analyze(sql);
    expect(positionOf(analysis, 'column public.runs.status read')).toBe(sql.indexOf('status'));
    expect(positionOf(analysis, 'relation public.runs read')).toBe(sql.indexOf('runs'));
  });
});

describe('self-referencing assignments', () => {
  it('does not count the old value in SET x = x + 1 as a read, but keeps other reads', () => {
    expect(refsOf('UPDATE runs SET retry_delay_seconds = retry_delay_seconds * 2 + $1 WHERE status = $2 RETURNING organization_id')).toEqual([
      'column public.runs.organization_id read',
      'column public.runs.retry_delay_seconds write',
      'column public.runs.status read',
      'relation public.runs write',
    ]);
  });
});

describe('notification channels', () => {
  it('reports the channel of LISTEN as a token, so notify-only triggers have a listener', () => {
    expect(refsOf('LISTEN order_changes')).toEqual(['token order_changes']);
  });
});
