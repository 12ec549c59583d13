import { SchemaSourceError } from '../../errors.js';

/** libpq's sslmode values; `prefer` is libpq's default. */
export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export interface HostPort {
  host: string;
  port: number;
}

/**
 * Where to connect, read from a postgres:// URL by dead-schema itself. The URL is never handed
 * to a driver: drivers turn unknown query parameters into session settings (`?search_path=`,
 * `?options=-c …`) and fill missing parts from PG* variables, and both must be under our control.
 */
export interface ConnectionTarget {
  /** In order; a multi-host URL (`h1:5432,h2:5433`) lists several. */
  hosts: HostPort[];
  /** Undefined when the URL has none: libpq then uses the user name. */
  database: string | undefined;
  user: string | undefined;
  password: string | undefined;
  sslMode: SslMode | undefined;
  /** Query parameters that would change the session (or that dead-schema does not support), ignored. */
  ignoredParameters: string[];
}

const DEFAULT_PORT = 5432;
/** libpq parameters that say where and how to connect, not how the session behaves. */
const CONNECTION_PARAMETERS = new Set(['sslmode', 'host', 'port', 'user', 'password', 'dbname', 'connect_timeout']);

interface UrlParts {
  scheme: string;
  /** Before the last `@` of the authority, undefined without one. */
  userInfo: string | undefined;
  hostList: string;
  pathPart: string;
  query: string;
}

/** postgres:// URLs split by hand: `new URL` rejects multi-host authorities (`h1:5432,h2:5433`). */
function splitUrl(url: string): UrlParts | undefined {
  const match = /^(postgres(?:ql)?:\/\/)([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/i.exec(url.trim());
  if (match === null) return undefined;
  const [, scheme = '', authority = '', pathPart = '', query = ''] = match;
  const at = authority.lastIndexOf('@');
  return {
    scheme,
    userInfo: at === -1 ? undefined : authority.slice(0, at),
    hostList: at === -1 ? authority : authority.slice(at + 1),
    pathPart,
    query,
  };
}

export function parseDatabaseUrl(url: string): ConnectionTarget {
  const parts = splitUrl(url);
  if (parts === undefined) {
    throw new SchemaSourceError(`not a PostgreSQL URL: ${redactUrl(url)}`, {
      hint: 'use postgres://user@host:5432/database',
    });
  }
  const { userInfo, hostList, pathPart, query } = parts;
  const colon = userInfo?.indexOf(':') ?? -1;
  const params = new URLSearchParams(query);
  const target: ConnectionTarget = {
    hosts: [],
    database: nonEmpty(decode(pathPart.replace(/^\//, ''))),
    user: nonEmpty(userInfo === undefined ? undefined : decode(colon === -1 ? userInfo : userInfo.slice(0, colon))),
    password: userInfo === undefined || colon === -1 ? undefined : decode(userInfo.slice(colon + 1)),
    sslMode: undefined,
    ignoredParameters: [],
  };
  const portParam = params.get('port') ?? undefined;
  target.hosts = parseHosts(params.get('host') ?? hostList, portParam);
  target.database = nonEmpty(params.get('dbname') ?? undefined) ?? target.database;
  target.user = nonEmpty(params.get('user') ?? undefined) ?? target.user;
  target.password = params.get('password') ?? target.password;
  const sslMode = params.get('sslmode');
  if (sslMode !== null) {
    if (!(SSL_MODES as readonly string[]).includes(sslMode)) {
      throw new SchemaSourceError(`sslmode=${sslMode} is not one of ${SSL_MODES.join(', ')}`);
    }
    target.sslMode = sslMode as SslMode;
  }
  target.ignoredParameters = [...new Set([...params.keys()].filter((key) => !CONNECTION_PARAMETERS.has(key)))].sort();
  return target;
}

function parseHosts(list: string, defaultPort: string | undefined): HostPort[] {
  const entries = list === '' ? [''] : list.split(',');
  return entries.map((entry) => {
    const decoded = decode(entry);
    const bracketed = /^\[([^\]]+)\](?::(\d*))?$/.exec(decoded);
    const plain = bracketed === null ? /^([^:]*)(?::(\d*))?$/.exec(decoded) : null;
    const host = bracketed?.[1] ?? plain?.[1];
    const portText = bracketed?.[2] ?? plain?.[2] ?? defaultPort;
    if (host === undefined) throw new SchemaSourceError(`cannot read the host "${decoded}" in the database URL`);
    if (host.startsWith('/')) {
      throw new SchemaSourceError(`the database URL names a Unix socket (${host}), which dead-schema cannot connect through`, {
        hint: 'use a TCP host: postgres://user@localhost:5432/db',
      });
    }
    const port = portText === undefined || portText === '' ? DEFAULT_PORT : Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new SchemaSourceError(`the port "${portText ?? ''}" in the database URL is not a port number`);
    }
    return { host: host === '' ? 'localhost' : host, port };
  });
}

/** The URL without its password (userinfo or query), for messages and reports. */
export function redactUrl(url: string): string {
  const parts = splitUrl(url);
  if (parts === undefined) return '<unparseable database URL>';
  const user = parts.userInfo?.split(':')[0];
  const params = new URLSearchParams(parts.query);
  params.delete('password');
  const rest = params.toString();
  return `${parts.scheme}${user ? `${user}@` : ''}${parts.hostList}${parts.pathPart}${rest ? `?${rest}` : ''}`;
}

/** `host:port` for messages, with IPv6 literals bracketed. */
export function describeHost({ host, port }: HostPort): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new SchemaSourceError('the database URL has a malformed %-escape');
  }
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}
