import path from 'node:path';
import type { SqlStatement } from './split.js';

/**
 * Supabase migrations are written against a database Supabase has already filled: policies
 * call auth.uid(), profiles reference auth.users, triggers sit on auth.users, storage policies
 * sit on storage.objects, grants name anon and authenticated. A fresh PGlite has none of it,
 * so without stand-ins most of such a project fails to load. The stand-ins below are written
 * from Supabase's published schema (supabase/auth and supabase/storage migrations, the
 * supabase/postgres roles): the objects and columns migrations commonly name, nothing more.
 */

/** Bump whenever SUPABASE_STUB_SQL changes: it is part of the cache key, so cached databases rebuild. */
export const SUPABASE_STUB_VERSION = 1;

/** Schemas Supabase creates and runs; their objects are audited only when `schemas` names them. */
export const SUPABASE_SCHEMAS: readonly string[] = [
  'auth',
  'cron',
  'extensions',
  'graphql',
  'graphql_public',
  'net',
  'pgbouncer',
  'pgsodium',
  'pgsodium_masks',
  'realtime',
  'storage',
  'supabase_functions',
  'supabase_migrations',
  'vault',
];

/**
 * Extensions PGlite lacks whose schema a Supabase project sees through the stand-ins:
 * `CREATE EXTENSION` for them is skipped without an `extension-unavailable` event.
 */
export const SUPABASE_STUBBED_EXTENSIONS: readonly string[] = ['pg_cron', 'pg_graphql', 'pg_net', 'pgsodium', 'supabase_vault'];

/** Installed in `extensions` on every Supabase project, so migrations call them without creating them. */
export const SUPABASE_PRELOADED_EXTENSIONS: readonly string[] = ['pgcrypto', 'uuid-ossp'];

export interface PlatformStubs {
  name: 'supabase';
  version: number;
  /** Schemas the platform owns (never audited unless named). */
  schemas: readonly string[];
  /** Extensions PGlite lacks that the stand-ins cover. */
  stubbedExtensions: readonly string[];
  /** Extensions to boot with and create in `extensions` before the stand-ins. */
  preloadedExtensions: readonly string[];
  /** The stand-in SQL, given the preloaded extensions that actually loaded. */
  sql: (loaded: readonly string[]) => string;
}

export const SUPABASE_STUBS: PlatformStubs = {
  name: 'supabase',
  version: SUPABASE_STUB_VERSION,
  schemas: SUPABASE_SCHEMAS,
  stubbedExtensions: SUPABASE_STUBBED_EXTENSIONS,
  preloadedExtensions: SUPABASE_PRELOADED_EXTENSIONS,
  sql: (loaded) =>
    [
      SCHEMAS_AND_ROLES,
      ...SUPABASE_PRELOADED_EXTENSIONS.filter((name) => loaded.includes(name)).map(
        (name) => `CREATE EXTENSION IF NOT EXISTS "${name}" WITH SCHEMA extensions;`,
      ),
      AUTH,
      STORAGE,
      OTHERS,
    ].join('\n'),
};

const ANY_SIGNAL_WORD = /\b(?:auth|storage|supabase_realtime|anon|authenticated|service_role)\b/i;
const STRIP_COMMENTS = /--[^\n]*|\/\*[\s\S]*?\*\//g;
const Q = (name: string): string => String.raw`"?${name}"?`;
/** Objects only a Supabase database has before the first migration runs. */
const SIGNALS: RegExp[] = [
  new RegExp(String.raw`\b${Q('auth')}\s*\.\s*(?:${Q('users')}|${Q('uid')}\s*\(|${Q('jwt')}\s*\(|${Q('role')}\s*\(|${Q('email')}\s*\()`, 'i'),
  new RegExp(String.raw`\b${Q('storage')}\s*\.\s*(?:${Q('objects')}|${Q('buckets')}|${Q('foldername')}\s*\()`, 'i'),
  /\bsupabase_realtime\b/i,
  /\b(?:grant|to)\b[^;]*?\b(?:"?anon"?|"?authenticated"?|"?service_role"?)\s*(?:[,;]|$)/im,
];
/**
 * A project that builds Supabase's own schemas (supabase/storage creates `storage.objects`,
 * supabase/auth `auth.users`, self-hosted look-alikes both) is the platform, not a project on it:
 * it needs no stand-in, one would collide (`CREATE TABLE IF NOT EXISTS storage.objects` would keep
 * the stand-in's columns), and its schemas are its own to audit.
 */
const OWN_AUTH = new RegExp(
  String.raw`\bcreate\s+(?:table\s+(?:if\s+not\s+exists\s+)?(?:${Q('auth')}\s*\.\s*${Q('users')}|${Q('storage')}\s*\.\s*(?:${Q('objects')}|${Q('buckets')}))|schema\s+(?:if\s+not\s+exists\s+)?(?:${Q('auth')}|${Q('storage')}))(?:\s|\(|;|$)`,
  'i',
);

/**
 * Whether migrations expect Supabase's objects: they live in `supabase/migrations` (the
 * Supabase CLI's folder), or their SQL names auth.users, auth.uid(), storage.objects, the
 * realtime publication or the anon/authenticated/service_role roles. Migrations that create
 * the auth or storage schema, auth.users or storage.objects/buckets themselves are not, whatever
 * the folder.
 */
export function isSupabaseProject(dir: string, units: { statements: SqlStatement[]; content?: string }[]): boolean {
  const parts = path.resolve(dir).split(path.sep);
  const inSupabaseFolder = parts.at(-1) === 'migrations' && parts.at(-2) === 'supabase';
  // Every signal and OWN_AUTH needs one of these words in the raw text: without them, no need to
  // split the migrations into statements (most of a cached run's schema time otherwise).
  if (units.every((unit) => unit.content !== undefined && !ANY_SIGNAL_WORD.test(unit.content))) return inSupabaseFolder;
  const texts = units.flatMap((unit) => unit.statements.map((s) => s.sql.replace(STRIP_COMMENTS, ' ')));
  if (texts.some((sql) => OWN_AUTH.test(sql))) return false;
  if (inSupabaseFolder) return true;
  return texts.some((sql) => SIGNALS.some((signal) => signal.test(sql)));
}

/** The stand-ins for migrations that need them, or undefined. */
export function platformStubsFor(dir: string, units: { statements: SqlStatement[]; content?: string }[]): PlatformStubs | undefined {
  return isSupabaseProject(dir, units) ? SUPABASE_STUBS : undefined;
}

// CREATE ROLE has no IF NOT EXISTS; roles are cluster-wide and may survive in a cached base.
const SCHEMAS_AND_ROLES = `
DO $stub$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['anon', 'authenticated', 'service_role', 'authenticator', 'supabase_admin',
    'supabase_auth_admin', 'supabase_storage_admin', 'supabase_realtime_admin', 'dashboard_user', 'pgbouncer'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
END
$stub$;
CREATE SCHEMA IF NOT EXISTS extensions;
CREATE SCHEMA IF NOT EXISTS auth;
CREATE SCHEMA IF NOT EXISTS storage;
CREATE SCHEMA IF NOT EXISTS realtime;
CREATE SCHEMA IF NOT EXISTS graphql;
CREATE SCHEMA IF NOT EXISTS graphql_public;
CREATE SCHEMA IF NOT EXISTS vault;
CREATE SCHEMA IF NOT EXISTS pgsodium;
CREATE SCHEMA IF NOT EXISTS supabase_functions;
CREATE SCHEMA IF NOT EXISTS supabase_migrations;
CREATE SCHEMA IF NOT EXISTS net;
CREATE SCHEMA IF NOT EXISTS cron;
CREATE SCHEMA IF NOT EXISTS pgbouncer;
GRANT USAGE ON SCHEMA public, extensions, auth, storage, graphql_public TO anon, authenticated, service_role;
DO $stub$
BEGIN
  -- Supabase puts extensions on the database's search path, so migrations call uuid_generate_v4() unqualified.
  EXECUTE format('ALTER DATABASE %I SET search_path = "$user", public, extensions', current_database());
END
$stub$;
SET search_path = "$user", public, extensions;
`;

// auth.uid() and friends read the claims PostgREST sets per request; the bodies follow that contract.
const AUTH = `
CREATE TABLE IF NOT EXISTS auth.users (
  instance_id uuid,
  id uuid NOT NULL PRIMARY KEY,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  confirmation_sent_at timestamptz,
  recovery_token varchar(255),
  recovery_sent_at timestamptz,
  email_change_token_new varchar(255),
  email_change varchar(255),
  email_change_sent_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz,
  updated_at timestamptz,
  phone text UNIQUE DEFAULT NULL,
  phone_confirmed_at timestamptz,
  phone_change text DEFAULT '',
  phone_change_token varchar(255) DEFAULT '',
  phone_change_sent_at timestamptz,
  confirmed_at timestamptz GENERATED ALWAYS AS (LEAST(email_confirmed_at, phone_confirmed_at)) STORED,
  email_change_token_current varchar(255) DEFAULT '',
  email_change_confirm_status smallint DEFAULT 0,
  banned_until timestamptz,
  reauthentication_token varchar(255) DEFAULT '',
  reauthentication_sent_at timestamptz,
  is_sso_user boolean NOT NULL DEFAULT false,
  deleted_at timestamptz,
  is_anonymous boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS auth.identities (
  provider_id text NOT NULL,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  identity_data jsonb NOT NULL,
  provider text NOT NULL,
  last_sign_in_at timestamptz,
  created_at timestamptz,
  updated_at timestamptz,
  email text GENERATED ALWAYS AS (lower(identity_data ->> 'email')) STORED,
  id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS auth.sessions (
  id uuid NOT NULL PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  created_at timestamptz,
  updated_at timestamptz,
  not_after timestamptz,
  user_agent text,
  ip inet
);
CREATE TABLE IF NOT EXISTS auth.audit_log_entries (
  instance_id uuid,
  id uuid NOT NULL PRIMARY KEY,
  payload json,
  created_at timestamptz,
  ip_address varchar(64) NOT NULL DEFAULT ''
);
CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim', true), ''), nullif(current_setting('request.jwt.claims', true), ''))::jsonb
$$;
CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''), nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')::uuid
$$;
CREATE OR REPLACE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim.role', true), ''), nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')::text
$$;
CREATE OR REPLACE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim.email', true), ''), nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')::text
$$;
GRANT EXECUTE ON FUNCTION auth.uid(), auth.role(), auth.email(), auth.jwt() TO anon, authenticated, service_role;
`;

const STORAGE = `
CREATE TABLE IF NOT EXISTS storage.buckets (
  id text NOT NULL PRIMARY KEY,
  name text NOT NULL,
  owner uuid,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  public boolean DEFAULT false,
  avif_autodetection boolean DEFAULT false,
  file_size_limit bigint,
  allowed_mime_types text[],
  owner_id text
);
CREATE TABLE IF NOT EXISTS storage.objects (
  id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
  bucket_id text REFERENCES storage.buckets (id),
  name text,
  owner uuid,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  last_accessed_at timestamptz DEFAULT now(),
  metadata jsonb,
  path_tokens text[] GENERATED ALWAYS AS (string_to_array(name, '/')) STORED,
  version text,
  owner_id text,
  user_metadata jsonb
);
CREATE TABLE IF NOT EXISTS storage.s3_multipart_uploads (
  id text NOT NULL PRIMARY KEY,
  in_progress_size bigint NOT NULL DEFAULT 0,
  upload_signature text NOT NULL,
  bucket_id text NOT NULL REFERENCES storage.buckets (id),
  key text NOT NULL,
  version text NOT NULL,
  owner_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS storage.s3_multipart_uploads_parts (
  id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
  upload_id text NOT NULL REFERENCES storage.s3_multipart_uploads (id) ON DELETE CASCADE,
  size bigint NOT NULL DEFAULT 0,
  part_number integer NOT NULL,
  bucket_id text NOT NULL REFERENCES storage.buckets (id),
  key text NOT NULL,
  etag text NOT NULL,
  owner_id text,
  version text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE storage.buckets ENABLE ROW LEVEL SECURITY;
ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;
CREATE OR REPLACE FUNCTION storage.foldername(name text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT (string_to_array(name, '/'))[1:array_length(string_to_array(name, '/'), 1) - 1]
$$;
CREATE OR REPLACE FUNCTION storage.filename(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT (string_to_array(name, '/'))[array_length(string_to_array(name, '/'), 1)]
$$;
CREATE OR REPLACE FUNCTION storage.extension(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT reverse(split_part(reverse(storage.filename(name)), '.', 1))
$$;
`;

// Stand-ins for extensions PGlite lacks (pg_cron, pg_net, supabase_vault) and for the realtime
// and database-webhook objects: enough for migrations that call them to apply.
const OTHERS = `
CREATE TABLE IF NOT EXISTS realtime.messages (
  topic text NOT NULL,
  extension text NOT NULL,
  payload jsonb,
  event text,
  private boolean DEFAULT false,
  updated_at timestamp NOT NULL DEFAULT now(),
  inserted_at timestamp NOT NULL DEFAULT now(),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  PRIMARY KEY (id, inserted_at)
);
CREATE OR REPLACE FUNCTION realtime.topic() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('realtime.topic', true), '')::text
$$;
DO $stub$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'supabase_realtime') THEN
    CREATE PUBLICATION supabase_realtime;
  END IF;
END
$stub$;
CREATE TABLE IF NOT EXISTS vault.secrets (
  id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
  name text UNIQUE,
  description text NOT NULL DEFAULT '',
  secret text NOT NULL,
  key_id uuid,
  nonce bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE OR REPLACE VIEW vault.decrypted_secrets AS
  SELECT id, name, description, secret, secret AS decrypted_secret, key_id, nonce, created_at, updated_at FROM vault.secrets;
CREATE OR REPLACE FUNCTION vault.create_secret(new_secret text, new_name text DEFAULT NULL, new_description text DEFAULT '', new_key_id uuid DEFAULT NULL)
RETURNS uuid LANGUAGE sql AS $$
  INSERT INTO vault.secrets (secret, name, description, key_id) VALUES (new_secret, new_name, new_description, new_key_id) RETURNING id
$$;
CREATE TABLE IF NOT EXISTS cron.job (
  jobid bigserial PRIMARY KEY,
  schedule text NOT NULL,
  command text NOT NULL,
  nodename text NOT NULL DEFAULT 'localhost',
  nodeport integer NOT NULL DEFAULT 5432,
  database text NOT NULL DEFAULT current_database(),
  username text NOT NULL DEFAULT current_user,
  active boolean NOT NULL DEFAULT true,
  jobname text
);
CREATE OR REPLACE FUNCTION cron.schedule(job_name text, schedule text, command text) RETURNS bigint LANGUAGE sql AS $$
  INSERT INTO cron.job (jobname, schedule, command) VALUES (job_name, schedule, command) RETURNING jobid
$$;
CREATE OR REPLACE FUNCTION cron.schedule(schedule text, command text) RETURNS bigint LANGUAGE sql AS $$
  INSERT INTO cron.job (schedule, command) VALUES (schedule, command) RETURNING jobid
$$;
CREATE OR REPLACE FUNCTION cron.unschedule(job_name text) RETURNS boolean LANGUAGE sql AS $$
  WITH gone AS (DELETE FROM cron.job WHERE jobname = job_name RETURNING 1) SELECT count(*) > 0 FROM gone
$$;
CREATE OR REPLACE FUNCTION cron.unschedule(job_id bigint) RETURNS boolean LANGUAGE sql AS $$
  WITH gone AS (DELETE FROM cron.job WHERE jobid = job_id RETURNING 1) SELECT count(*) > 0 FROM gone
$$;
CREATE SEQUENCE IF NOT EXISTS net.http_request_queue_id_seq;
CREATE OR REPLACE FUNCTION net.http_get(url text, params jsonb DEFAULT '{}', headers jsonb DEFAULT '{}', timeout_milliseconds integer DEFAULT 5000)
RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('net.http_request_queue_id_seq') $$;
CREATE OR REPLACE FUNCTION net.http_post(url text, body jsonb DEFAULT '{}', params jsonb DEFAULT '{}', headers jsonb DEFAULT '{"Content-Type": "application/json"}', timeout_milliseconds integer DEFAULT 5000)
RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('net.http_request_queue_id_seq') $$;
CREATE OR REPLACE FUNCTION net.http_delete(url text, params jsonb DEFAULT '{}', headers jsonb DEFAULT '{}', timeout_milliseconds integer DEFAULT 5000)
RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('net.http_request_queue_id_seq') $$;
CREATE OR REPLACE FUNCTION supabase_functions.http_request() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RETURN NEW;
END
$$;
`;
