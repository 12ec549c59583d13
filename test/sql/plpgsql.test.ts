import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeFunctionBody, analyzeSql, initSqlParser, sqlTemplateFromText } from '../../src/sql/index.js';
import { positionOf, refLines } from './describe-refs.js';
import { createFakeLookup } from './fake-lookup.js';

const lookup = createFakeLookup();

beforeAll(async () => {
  await initSqlParser();
});

const triggerBody = `
DECLARE
  v_count integer := 0;
  v_status public.run_status;
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status AND NEW.retry_delay_seconds > 0 THEN
    UPDATE orgs SET status = NEW.status WHERE id = NEW.organization_id;
  END IF;
  PERFORM touch(NEW.id);
  SELECT count(*) INTO v_count FROM agents WHERE nix_config IS NOT NULL;
  NEW.created_at := now();
  RETURN NEW;
END;
`;

describe('PL/pgSQL bodies', () => {
  it('analyses every embedded statement and expression of a trigger function', () => {
    const analysis = analyzeFunctionBody('plpgsql', triggerBody, lookup);
    expect(analysis.outcome).toBe('parsed');
    expect(refLines(analysis)).toEqual([
      'column public.agents.nix_config read',
      'column public.orgs.id read',
      'column public.orgs.status write',
      'function public.touch(uuid)',
      'relation public.agents read',
      'relation public.orgs write',
      'token created_at',
      'token id',
      'token organization_id',
      'token retry_delay_seconds',
      'token status',
      'type public.run_status',
    ]);
  });

  it('gives positions inside the body, even where INTO was removed or PERFORM rewritten', () => {
    const analysis = analyzeFunctionBody('plpgsql', triggerBody, lookup);
    expect(positionOf(analysis, 'relation public.orgs write')).toBe(triggerBody.indexOf('orgs SET'));
    expect(positionOf(analysis, 'function public.touch(uuid)')).toBe(triggerBody.indexOf('touch('));
    expect(positionOf(analysis, 'column public.agents.nix_config read')).toBe(triggerBody.indexOf('nix_config'));
    expect(positionOf(analysis, 'token retry_delay_seconds')).toBe(triggerBody.indexOf('NEW.retry_delay_seconds'));
    expect(positionOf(analysis, 'token created_at')).toBe(triggerBody.indexOf('NEW.created_at'));
    expect(positionOf(analysis, 'type public.run_status')).toBe(triggerBody.indexOf('run_status'));
  });

  it('follows literal SQL given to EXECUTE and marks the body dynamic', () => {
    const body = `BEGIN
  EXECUTE format('UPDATE %I SET nix_config = %L', TG_TABLE_NAME, 'x');
  EXECUTE 'DELETE FROM audit.events WHERE id = ' || quote_literal(NEW.id);
  RETURN NULL;
END`;
    const analysis = analyzeFunctionBody('plpgsql', body, lookup);
    expect(analysis.dynamic).toBe(true);
    expect(refLines(analysis)).toEqual(
      expect.arrayContaining(['token nix_config', 'relation audit.events delete', 'column audit.events.id read']),
    );
  });

  it('compiles set-returning bodies and bodies that use $n parameters or undeclared variables', () => {
    const analysis = analyzeFunctionBody('plpgsql', 'BEGIN total := 0; RETURN QUERY SELECT id FROM runs WHERE status = $1; END', lookup);
    expect(analysis.outcome).toBe('parsed');
    expect(refLines(analysis)).toEqual(['column public.runs.id read', 'column public.runs.status read', 'relation public.runs read']);
  });

  it('falls back to tokens when the body does not compile', () => {
    const analysis = analyzeFunctionBody('plpgsql', 'BEGIN this is not plpgsql runs; END', lookup);
    expect(analysis.outcome).toBe('fallback');
    expect(analysis.error).toBeDefined();
    expect(refLines(analysis)).toContain('token runs');
  });

  it('analyses SQL-language bodies as statements', () => {
    const analysis = analyzeFunctionBody('sql', 'SELECT id FROM runs WHERE organization_id = $1; UPDATE orgs SET name = p_name', lookup);
    expect(refLines(analysis)).toEqual([
      'column public.orgs.name write',
      'column public.runs.id read',
      'column public.runs.organization_id read',
      'relation public.orgs write',
      'relation public.runs read',
    ]);
  });

  it('analyses DO blocks and CREATE FUNCTION bodies found in application SQL', () => {
    const sql = 'DO $$ BEGIN UPDATE runs SET status = 1; END $$';
    const analysis = analyzeSql(sqlTemplateFromText(sql), lookup);
    expect(refLines(analysis)).toEqual(['column public.runs.status write', 'relation public.runs write']);
    expect(positionOf(analysis, 'relation public.runs write')).toBe(sql.indexOf('runs'));
    const create = analyzeSql(
      sqlTemplateFromText('CREATE FUNCTION f(s run_status) RETURNS void LANGUAGE sql AS $$ DELETE FROM orgs $$'),
      lookup,
    );
    expect(refLines(create)).toEqual(['relation public.orgs delete', 'type public.run_status']);
  });
});
