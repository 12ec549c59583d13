import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog, CatalogFunction } from '../../src/catalog.js';
import { readDropScript } from '../../src/check-drops/index.js';
import { CatalogNames } from '../../src/check-drops/resolve.js';
import { keptColumns } from '../../src/check-drops/snapshot.js';

beforeAll(async () => {
  await readDropScript('');
});

describe('check-drops script reading', () => {
  it('reads every dropped name with its line, IF EXISTS and CASCADE, several per statement', async () => {
    const parsed = await readDropScript(
      [
        'BEGIN;',
        'DROP TABLE IF EXISTS a, archive.b CASCADE;',
        'UPDATE runs SET status = 1; CREATE INDEX i ON runs (status);',
        'ALTER TABLE ONLY public.runs',
        '  DROP COLUMN x,',
        '  DROP COLUMN IF EXISTS y CASCADE,',
        '  ADD COLUMN z int;',
        'DROP MATERIALIZED VIEW mv; DROP VIEW v;',
        'DROP TRIGGER touch ON public.runs;',
        'DROP TYPE public.mood, other; DROP DOMAIN d; DROP SEQUENCE s;',
        'COMMIT;',
      ].join('\n'),
    );
    expect(parsed.problems).toEqual([]);
    const summary = parsed.targets.map((t) => [t.line, t.statement, t.kind, t.relation?.name, t.name.schema, t.name.name, t.ifExists, t.cascade]);
    expect(summary).toEqual([
      [2, 'DROP TABLE', 'table', undefined, undefined, 'a', true, true],
      [2, 'DROP TABLE', 'table', undefined, 'archive', 'b', true, true],
      [4, 'ALTER TABLE ... DROP COLUMN', 'column', 'runs', undefined, 'x', false, false],
      [4, 'ALTER TABLE ... DROP COLUMN', 'column', 'runs', undefined, 'y', true, true],
      [8, 'DROP MATERIALIZED VIEW', 'materializedView', undefined, undefined, 'mv', false, false],
      [8, 'DROP VIEW', 'view', undefined, undefined, 'v', false, false],
      [9, 'DROP TRIGGER', 'trigger', 'runs', undefined, 'touch', false, false],
      [10, 'DROP TYPE', 'type', undefined, 'public', 'mood', false, false],
      [10, 'DROP TYPE', 'type', undefined, undefined, 'other', false, false],
      [10, 'DROP DOMAIN', 'type', undefined, undefined, 'd', false, false],
      [10, 'DROP SEQUENCE', 'sequence', undefined, undefined, 's', false, false],
    ]);
  });

  it('spells function signatures the way format_type does, and keeps "no signature" apart from "()"', async () => {
    const parsed = await readDropScript(
      'DROP FUNCTION f(int, varchar[], public.mood, timestamptz, double precision); DROP FUNCTION g; DROP FUNCTION h(); DROP PROCEDURE p(IN a int, OUT b text);',
    );
    expect(parsed.targets.map((t) => [t.kind, t.name.name, t.args])).toEqual([
      ['function', 'f', ['integer', 'character varying[]', 'mood', 'timestamp with time zone', 'double precision']],
      ['function', 'g', undefined],
      ['function', 'h', []],
      ['procedure', 'p', ['integer']],
    ]);
    expect(parsed.targets[3]?.allArgs).toEqual(['integer', 'text']);
  });

  it('reads renames and schema moves as soft drops of the old name and remembers the new one', async () => {
    const parsed = await readDropScript(
      [
        'ALTER TABLE runs RENAME COLUMN retry_delay_seconds TO retry_delay_seconds_old;',
        'ALTER TABLE public.runs RENAME TO runs_old;',
        'ALTER FUNCTION touch(int) RENAME TO touch_old;',
        'ALTER TRIGGER t ON runs RENAME TO t2;',
        'ALTER TABLE agents SET SCHEMA archive;',
        'ALTER TABLE runs RENAME CONSTRAINT a TO b; ALTER INDEX i RENAME TO j;',
      ].join('\n'),
    );
    expect(parsed.targets.map((t) => [t.line, t.action, t.statement, t.kind, t.name.name, t.newName])).toEqual([
      [1, 'rename', 'ALTER TABLE ... RENAME COLUMN', 'column', 'retry_delay_seconds', 'retry_delay_seconds_old'],
      [2, 'rename', 'ALTER TABLE ... RENAME', 'table', 'runs', 'runs_old'],
      [3, 'rename', 'ALTER FUNCTION ... RENAME', 'function', 'touch', 'touch_old'],
      [4, 'rename', 'ALTER TRIGGER ... RENAME', 'trigger', 't', 't2'],
      [5, 'set-schema', 'ALTER TABLE ... SET SCHEMA', 'table', 'agents', 'archive.agents'],
    ]);
    expect(parsed.created.map((c) => [c.line, c.kind, c.name.schema, c.name.name])).toEqual([
      [2, 'relation', 'public', 'runs_old'],
      [3, 'function', undefined, 'touch_old'],
      [5, 'relation', 'archive', 'agents'],
    ]);
  });

  it('reports a statement that does not parse at the line of the error and keeps checking the rest', async () => {
    const parsed = await readDropScript('DROP TABLE a;\n\nALTER TABLE runs\n  DROPP COLUMN x;\nDROP TABLE b;\n');
    expect(parsed.problems).toEqual([{ kind: 'parse-error', line: 4, message: 'syntax error at or near "DROPP"; this statement is not checked' }]);
    expect(parsed.targets.map((t) => t.name.name)).toEqual(['a', 'b']);
  });

  it('flags DROP EXTENSION as not checked object by object', async () => {
    const parsed = await readDropScript('DROP EXTENSION vector CASCADE;');
    expect(parsed.targets).toEqual([]);
    expect(parsed.problems).toMatchObject([{ kind: 'unsupported-statement', line: 1 }]);
  });

  it('reads the columns each kind of snapshot keeps', async () => {
    const parsed = await readDropScript(
      [
        'CREATE TABLE b1 AS SELECT r.id, r.retry_delay_seconds::text FROM public.runs AS r WHERE r.status = 1;',
        'SELECT organization_id, id INTO b2 FROM runs;',
        'INSERT INTO b3 SELECT * FROM runs;',
        'INSERT INTO b4 (payload) SELECT to_jsonb(r) FROM runs r;',
        "COPY (SELECT id, (SELECT 1 FROM agents a WHERE a.organization_id = 1) FROM runs) TO '/tmp/x';",
        'COPY runs (id, attempt) TO STDOUT;',
        'COPY runs TO STDOUT;',
        'INSERT INTO b5 VALUES (1);',
      ].join('\n'),
    );
    const columns = ['organization_id', 'id', 'retry_delay_seconds', 'attempt'];
    const kept = parsed.snapshots.map((s) => [s.line, s.statement, s.into, keptColumns(s, s.sources[0]!, columns)]);
    expect(kept).toEqual([
      [1, 'CREATE TABLE ... AS', 'b1', ['id', 'retry_delay_seconds']],
      [2, 'SELECT ... INTO', 'b2', ['organization_id', 'id']],
      [3, 'INSERT INTO ... SELECT', 'b3', '*'],
      [4, 'INSERT INTO ... SELECT', 'b4', '*'],
      [5, 'COPY (SELECT ...) TO', '/tmp/x', ['id']],
      [6, 'COPY ... TO', 'STDOUT', ['id', 'attempt']],
      [7, 'COPY ... TO', 'STDOUT', '*'],
    ]);
  });
});

describe('check-drops name resolution', () => {
  const fn = (name: string, args: string, kind: CatalogFunction['kind'] = 'function'): CatalogFunction => ({
    oid: 1,
    id: `public.${name}(${args})`,
    schema: 'public',
    name,
    kind,
    identityArgs: args,
    argCount: args === '' ? 0 : args.split(', ').length,
    returnType: 'void',
    language: 'sql',
    body: null,
    isTriggerFunction: false,
    extensionOwned: false,
    comment: null,
  });
  const catalog: Catalog = {
    schemas: ['public'],
    searchPath: ['public'],
    relations: [],
    functions: [fn('price', 'integer'), fn('price', 'integer, text'), fn('tag', 'character varying[], archive.mood'), fn('p', 'integer, text', 'procedure')],
    triggers: [],
    types: [],
    sequences: [],
    dependencies: [],
    extensions: [],
    serverVersion: '16',
  };
  const names = new CatalogNames(catalog);

  it('maps a signature to its overload, no signature to every overload, and a wrong one to unknown', async () => {
    const parsed = await readDropScript(
      'DROP FUNCTION price(int); DROP FUNCTION price; DROP FUNCTION price(bigint); DROP FUNCTION tag(varchar[], archive.mood); DROP PROCEDURE p(int, OUT text);',
    );
    const resolved = parsed.targets.map((t) => names.resolve(t));
    expect(resolved[0]).toEqual({ status: 'found', objects: [{ id: 'public.price(integer)', kind: 'function' }] });
    expect(resolved[1]).toMatchObject({ status: 'found', objects: [{ id: 'public.price(integer)' }, { id: 'public.price(integer, text)' }] });
    expect(resolved[2]).toMatchObject({ status: 'unknown', message: expect.stringContaining('it has public.price(integer), public.price(integer, text)') });
    expect(resolved[3]).toMatchObject({ status: 'found', objects: [{ id: 'public.tag(character varying[], archive.mood)' }] });
    expect(resolved[4]).toMatchObject({ status: 'found', objects: [{ id: 'public.p(integer, text)', kind: 'procedure' }] });
  });

  it('expands DROP SCHEMA to everything in it and reports a schema it does not audit', async () => {
    const parsed = await readDropScript('DROP SCHEMA public CASCADE; DROP SCHEMA archive;');
    const [dropPublic, dropArchive] = parsed.targets.map((t) => names.resolve(t));
    expect(dropPublic).toMatchObject({ status: 'found' });
    expect(dropPublic?.status === 'found' && dropPublic.objects.map((o) => o.id)).toHaveLength(4);
    expect(dropArchive).toMatchObject({ status: 'unknown', message: 'schema "archive" is not among the audited schemas (public)' });
  });
});
