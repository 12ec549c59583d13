import { describe, expect, it } from 'vitest';
import { looksLikeSql } from '../../src/sql/index.js';

const statements = [
  // English in SQL comments is not prose around the statement.
  'SELECT id, due_on FROM invoices -- the oldest unpaid invoice first\nWHERE paid_at IS NULL ORDER BY due_on',
  'UPDATE invoices /* we keep the stage for the mailer */ SET dunning_stage = 1 WHERE id = $1',
  'SELECT id FROM runs',
  'select * from runs where id = $1',
  'SELECT 1',
  'SELECT count(*) FROM runs',
  'SELECT now()',
  'SELECT $1::int',
  'select exists(select 1 from runs)',
  'SELECT "createdAt" FROM agents',
  '  -- leading comment\n  SELECT id FROM runs',
  '/* hint */ INSERT INTO runs (id) VALUES ($1)',
  '(SELECT 1) UNION (SELECT 2)',
  'INSERT INTO public.runs (id) VALUES ($1)',
  'UPDATE runs SET status = $1 WHERE id = $2',
  'update runs r set status = 1',
  'DELETE FROM runs WHERE id = 1',
  'WITH r AS (SELECT 1) SELECT * FROM r',
  'WITH RECURSIVE t(n) AS (SELECT 1) SELECT n FROM t',
  'TRUNCATE TABLE runs, orgs CASCADE',
  'COPY runs FROM STDIN',
  'MERGE INTO runs r USING orgs o ON true',
  'CALL touch($1)',
  'VALUES (1, 2)',
  'CREATE TABLE x (id int)',
  'ALTER TABLE runs ADD COLUMN x int',
  'DROP TABLE runs',
  'REFRESH MATERIALIZED VIEW active_runs',
  'LOCK TABLE runs IN ACCESS EXCLUSIVE MODE',
  'EXPLAIN ANALYZE SELECT 1',
];

const fragments = [
  'WHERE id = $1',
  'AND status = $1',
  'and r.status IN (1, 2)',
  'OR deleted_at IS NULL',
  'AND NOT EXISTS (SELECT 1)',
  'ORDER BY created_at DESC',
  'GROUP BY status',
  'LEFT JOIN orgs o ON o.id = r.organization_id',
  'JOIN orgs ON true',
  'SET status = $1',
  'RETURNING *',
  'ON CONFLICT (id) DO NOTHING',
  'LIMIT $1',
  'HAVING count(*) > 1',
];

const prose = [
  'Select an option',
  'Select all',
  'Select the file to upload',
  'Select your plan',
  'Update the settings',
  'Update your profile',
  'Update available!',
  'Delete from the list',
  'Delete selected items',
  'Insert into the box',
  'Order by date',
  'And then we left',
  'Where are you?',
  'Create an account',
  'Drop files here',
  'Set the value',
  'Lock the screen',
  'Copy to clipboard',
  'Call us now',
  'With love',
  'Join our team',
  'Limit reached',
  'Returning customers',
  'select',
  'SELECT FROM',
  'hello world',
];

describe('looksLikeSql', () => {
  it.each(statements)('sees a statement in %j', (text) => {
    expect(looksLikeSql(text)).toBe('statement');
  });

  it.each(fragments)('sees a fragment in %j', (text) => {
    expect(looksLikeSql(text)).toBe('fragment');
  });

  it.each(prose)('does not mistake prose for SQL: %j', (text) => {
    expect(looksLikeSql(text)).toBe(false);
  });
});
