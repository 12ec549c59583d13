import { beforeAll, expect, it } from 'vitest';
import { analyzeSql, initSqlParser, sqlTemplateFromText } from '../../src/sql/index.js';
import type { SqlTemplate } from '../../src/sql/index.js';
import { createFakeLookup } from './fake-lookup.js';
import { sqlSource, unknown, value } from './template-helper.js';

const lookup = createFakeLookup();

beforeAll(async () => {
  await initSqlParser();
});

/** 2,000 distinct statements (a counter keeps the parse cache out of it) of the kinds apps send. */
function workload(count: number): SqlTemplate[] {
  const makers: Array<(n: number) => SqlTemplate> = [
    (n) => sqlTemplateFromText(`SELECT r.id, r.status, o.name FROM runs r JOIN orgs o ON o.id = r.organization_id WHERE r.retry_delay_seconds > ${n}`),
    (n) => sqlTemplateFromText(`INSERT INTO runs (id, organization_id, status) VALUES ($1, $2, 'q${n}') ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status RETURNING *`),
    (n) => sqlTemplateFromText(`UPDATE agents SET soul_md = $1, "createdAt" = now() WHERE id = ${n} RETURNING id`),
    (n) => sqlTemplateFromText(`WITH recent AS (SELECT * FROM runs WHERE created_at > now() - interval '${n} days') SELECT status, count(*) FROM recent GROUP BY status`),
    (n) => sqlSource(['SELECT id FROM runs WHERE status = ', value(), ' AND ', unknown('cond'), ` LIMIT ${n}`], { interpolated: true }).template,
    (n) => sqlTemplateFromText(`AND retry_delay_seconds > ${n}`),
    (n) => sqlTemplateFromText(`DELETE FROM audit.events e USING runs r WHERE e.id = r.id AND r.id = ${n}`),
    (n) => sqlTemplateFromText(`SELECT o.name, (SELECT count(*) FROM runs WHERE organization_id = o.id AND id > ${n}) FROM orgs o`),
  ];
  return Array.from({ length: count }, (_, index) => (makers[index % makers.length] as (n: number) => SqlTemplate)(index));
}

it('analyses 2,000 mixed statements quickly', () => {
  const templates = workload(2000);
  const started = performance.now();
  let refs = 0;
  for (const template of templates) refs += analyzeSql(template, lookup).refs.length;
  const elapsed = performance.now() - started;
  console.log(`sql throughput: ${templates.length} statements, ${refs} refs in ${elapsed.toFixed(0)} ms (${((elapsed * 1000) / templates.length).toFixed(0)} µs each)`);
  expect(refs).toBeGreaterThan(templates.length);
  expect(elapsed).toBeLessThan(10_000);
});
