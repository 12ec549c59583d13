import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SchemaSourceError } from '../../../src/errors.js';
import { withReadOnlySession, type LiveSessionOptions } from '../../../src/schema/live/index.js';
import { CLEARTEXT_REQUEST, startFakeServer } from '../../support/pg-wire.js';

/** Connection failures that must end fast with one line naming the host (issue 9, section 2). */
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function attempt(url: string, options: LiveSessionOptions = {}): Promise<{ error: Error; ms: number }> {
  const started = Date.now();
  const error = await withReadOnlySession(url, async () => 'connected', options).then(
    () => new Error('connected'),
    (e: unknown) => e as Error,
  );
  return { error, ms: Date.now() - started };
}

function isSslRequest(chunk: Buffer): boolean {
  return chunk.length === 8 && chunk.readInt32BE(4) === 80877103;
}

const AUTH_FAILED = Buffer.concat([Buffer.from('E'), Buffer.from([0, 0, 0, 0]), Buffer.from('SFATAL\0C28P01\0Mpassword authentication failed\0\0')]);
AUTH_FAILED.writeInt32BE(AUTH_FAILED.length - 1, 1);

/** Answers the SSL request with N and the startup with a cleartext password request. */
async function cleartextServer(): Promise<Awaited<ReturnType<typeof startFakeServer>>> {
  const server = await startFakeServer((socket, chunk) => {
    if (isSslRequest(chunk)) socket.write('N');
    else if (chunk[0] === 0x70) socket.end(AUTH_FAILED);
    else socket.write(CLEARTEXT_REQUEST);
  });
  closers.push(server.close);
  return server;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connecting to something that is not a usable PostgreSQL server', () => {
  it('an HTTP server: one line naming the host, no reconnect loop', async () => {
    const http = await startFakeServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
    closers.push(http.close);
    const { error, ms } = await attempt(`postgres://u:secret@127.0.0.1:${http.port}/db`);
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect(error.message).toContain(`127.0.0.1:${http.port}`);
    expect(error.message).not.toContain('secret');
    expect(error.message).not.toContain('\n');
    expect(ms).toBeLessThan(5_000);
    // SSL first (sslmode prefer), then plain text: two attempts, not thousands.
    expect(http.connections()).toBeLessThanOrEqual(2);
  });

  it('a server that accepts and says nothing: given up at the connect timeout', async () => {
    const silent = await startFakeServer(() => undefined);
    closers.push(silent.close);
    const { error, ms } = await attempt(`postgres://u@127.0.0.1:${silent.port}/db`, { limits: { connectTimeoutMs: 800 } });
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect(error.message).toMatch(/no (answer|time left)/);
    expect(ms).toBeLessThan(3_000);
  });

  it('a multi-host URL whose hosts all refuse: every host named, then done', async () => {
    const [a, b] = [await closedPort(), await closedPort()];
    const { error, ms } = await attempt(`postgres://u@127.0.0.1:${a},127.0.0.1:${b}/db`);
    expect(error.message).toBe(`cannot connect to postgres://u@127.0.0.1:${a},127.0.0.1:${b}/db: 127.0.0.1:${a}: ECONNREFUSED; 127.0.0.1:${b}: ECONNREFUSED`);
    expect(ms).toBeLessThan(3_000);
  });
});

describe('passwords', () => {
  it('a cleartext password request is refused before the password is sent', async () => {
    const server = await cleartextServer();
    const { error } = await attempt(`postgres://u:secret@127.0.0.1:${server.port}/db`);
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect(error.message).toBe(`127.0.0.1:${server.port} asked for the password in clear text; dead-schema refused to send it`);
    expect(server.passwordsReceived()).toBe(0);
  });

  it('--allow-cleartext-password sends it', async () => {
    const server = await cleartextServer();
    await attempt(`postgres://u:secret@127.0.0.1:${server.port}/db`, { allowCleartextPassword: true });
    expect(server.passwordsReceived()).toBe(1);
  });

  it('PGPASSWORD goes to a host the user named, never to one a config file named', async () => {
    const server = await cleartextServer();
    const env = { PGPASSWORD: 'from-the-environment' };
    const url = `postgres://u@127.0.0.1:${server.port}/db`;
    const fromConfig = await attempt(url, { env, trustEnvCredentials: false, allowCleartextPassword: true });
    expect(fromConfig.error.message).toBe(`127.0.0.1:${server.port} asks for a password and none was given`);
    expect((fromConfig.error as SchemaSourceError).details.hint).toMatch(/PGPASSWORD is not sent to a host named by a config file/);
    expect(server.passwordsReceived()).toBe(0);

    await attempt(url, { env, trustEnvCredentials: true, allowCleartextPassword: true });
    expect(server.passwordsReceived()).toBe(1);
  });
});
