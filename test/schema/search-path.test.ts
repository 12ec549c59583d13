import { describe, expect, it } from 'vitest';
import { formatSearchPath, resolveSearchPath, splitIdentifiers, sqlLiteral } from '../../src/schema/search-path.js';

describe('resolveSearchPath', () => {
  const schemas = ['app', 'public', 'evil', 'alice', 'Mixed Case'];

  it('is the server default ("$user", public) when no role or database setting names one', () => {
    expect(resolveSearchPath([], 'bob', schemas)).toEqual(['public']);
    expect(resolveSearchPath([], 'alice', schemas)).toEqual(['alice', 'public']);
  });

  it('takes the first (most specific) setting and keeps only schemas that exist, in order', () => {
    const settings = ['search_path=app, missing, public', 'search_path=evil, pg_catalog, public'];
    expect(resolveSearchPath(settings, 'bob', schemas)).toEqual(['app', 'public']);
  });

  it('leaves out pg_catalog: the catalog holds nothing of it', () => {
    expect(resolveSearchPath(['search_path=evil, pg_catalog, public'], 'bob', schemas)).toEqual(['evil', 'public']);
  });

  it('reads quoted names as the server does', () => {
    expect(splitIdentifiers('"$user", PUBLIC, "Mixed Case", "a""b"')).toEqual(['$user', 'public', 'Mixed Case', 'a"b']);
    expect(splitIdentifiers('""')).toEqual([]);
  });
});

describe('setting the path back', () => {
  it('quotes every name and cannot be ended by a hostile schema name, whatever standard_conforming_strings says', () => {
    const value = formatSearchPath(['app', `x\\'); select 1; --"`]);
    expect(value).toBe(`"app", "x\\'); select 1; --"""`);
    // In an E'' string a backslash escapes and '' is a quote: the literal ends only at the end.
    expect(sqlLiteral(value)).toBe(`E'"app", "x\\\\''); select 1; --"""'`);
  });
});
