import { describe, expect, it } from 'vitest';
import { SchemaSourceError } from '../../../src/errors.js';
import { parseDatabaseUrl, redactUrl } from '../../../src/schema/live/url.js';

describe('parseDatabaseUrl', () => {
  it('reads user, password, hosts, database and sslmode itself', () => {
    expect(parseDatabaseUrl('postgres://app:p%40ss@db.internal:6543/prod?sslmode=require')).toEqual({
      hosts: [{ host: 'db.internal', port: 6543 }],
      database: 'prod',
      user: 'app',
      password: 'p@ss',
      sslMode: 'require',
      ignoredParameters: [],
    });
  });

  it('lists every host of a multi-host URL, IPv6 literals included, with the default port', () => {
    expect(parseDatabaseUrl('postgresql://u@h1:5433,[::1]:5434,h3/db').hosts).toEqual([
      { host: 'h1', port: 5433 },
      { host: '::1', port: 5434 },
      { host: 'h3', port: 5432 },
    ]);
    expect(parseDatabaseUrl('postgres:///db').hosts).toEqual([{ host: 'localhost', port: 5432 }]);
  });

  it('ignores parameters that would shape the session instead of passing them to the server', () => {
    const target = parseDatabaseUrl(
      'postgres://u@h/db?search_path=evil&statement_timeout=0&options=-c%20default_transaction_read_only%3Doff&application_name=x&sslmode=disable',
    );
    expect(target.ignoredParameters).toEqual(['application_name', 'options', 'search_path', 'statement_timeout']);
    expect(target.sslMode).toBe('disable');
  });

  it('refuses what it cannot use with a one-line error', () => {
    expect(() => parseDatabaseUrl('mysql://u@h/db')).toThrow(SchemaSourceError);
    expect(() => parseDatabaseUrl('postgres://u@h:99999/db')).toThrow(/not a port number/);
    expect(() => parseDatabaseUrl('postgres://u@h/db?sslmode=sometimes')).toThrow(/sslmode=sometimes/);
    expect(() => parseDatabaseUrl('postgres://u@h/db?host=/var/run/postgresql')).toThrow(/Unix socket/);
  });
});

describe('redactUrl', () => {
  it('keeps every host and drops passwords wherever they are', () => {
    expect(redactUrl('postgres://app:s3cret@h1:5432,h2:5433/prod?password=x&sslmode=require')).toBe(
      'postgres://app@h1:5432,h2:5433/prod?sslmode=require',
    );
  });
});
