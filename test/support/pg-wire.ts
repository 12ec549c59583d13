import net from 'node:net';

/**
 * What a client sent, read off the wire between it and a real server: the startup parameters
 * and the text of every Query ('Q') and Parse ('P') message. Drivers that run their own
 * statements (type fetches, session probes) show up here whatever the tool believes it sent.
 */
export interface WireCapture {
  startups: Record<string, string>[];
  statements: string[];
}

/** A TCP proxy to `upstream` that records the frontend protocol; plain-text connections only. */
export async function startWireProxy(upstream: { host: string; port: number }): Promise<{ port: number; capture: WireCapture; close(): Promise<void> }> {
  const capture: WireCapture = { startups: [], statements: [] };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const backend = net.connect(upstream.port, upstream.host);
    sockets.add(client).add(backend);
    let buffer = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) break;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) break;
          const code = buffer.readInt32BE(4);
          // SSLRequest / GSSENCRequest: the server answers with one byte, then the real startup follows.
          if (code !== 80877103 && code !== 80877104) {
            capture.startups.push(startupParameters(buffer.subarray(8, length)));
            started = true;
          }
          buffer = buffer.subarray(length);
          continue;
        }
        if (buffer.length < 5) break;
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) break;
        const type = String.fromCharCode(buffer[0]!);
        const body = buffer.subarray(5, length + 1);
        if (type === 'Q') capture.statements.push(body.subarray(0, body.indexOf(0)).toString('utf8'));
        if (type === 'P') {
          const nameEnd = body.indexOf(0);
          capture.statements.push(body.subarray(nameEnd + 1, body.indexOf(0, nameEnd + 1)).toString('utf8'));
        }
        buffer = buffer.subarray(length + 1);
      }
      backend.write(chunk);
    });
    backend.on('data', (chunk) => client.write(chunk));
    const end = (): void => {
      client.destroy();
      backend.destroy();
    };
    client.on('close', end).on('error', end);
    backend.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    capture,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function startupParameters(body: Buffer): Record<string, string> {
  const parts = body.toString('utf8').split('\0');
  const params: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i]) params[parts[i]!] = parts[i + 1]!;
  return params;
}

/**
 * A server on a random port that plays `script` for each connection: it gets every chunk the
 * client sends and the socket, and records whether a PasswordMessage ('p') ever arrived.
 */
export async function startFakeServer(script: (socket: net.Socket, chunk: Buffer) => void): Promise<{ port: number; passwordsReceived: () => number; connections: () => number; close(): Promise<void> }> {
  let passwords = 0;
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      if (chunk[0] === 0x70 /* p */) passwords++;
      script(socket, chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    passwordsReceived: () => passwords,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The backend's AuthenticationCleartextPassword message. */
export const CLEARTEXT_REQUEST = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]);
