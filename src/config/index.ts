import type { MigrationsLayout } from '../catalog.js';
import type { Confidence } from '../match/types.js';

/**
 * The project's dead-schema settings (dead-schema.config.{json,ts,mjs} or a "dead-schema" key in
 * package.json). Validation, loading and the published JSON schema live in this folder.
 */
export interface DeadSchemaConfig {
  /** Schema source: a migrations folder, a pg_dump file, or a database URL. */
  migrations?: string;
  migrationsLayout?: MigrationsLayout;
  schemaFile?: string;
  db?: string;
  /** Schemas to audit. */
  schemas?: string[];
  include?: string[];
  exclude?: string[];
  /** Globs of test files (their mentions never make an object alive). */
  testFiles?: string[];
  /** Extra SQL tag names or `/regex/` strings, for wrappers the scanner does not know. */
  sqlTags?: string[];
  /** Findings to hide, each with why; `id` is a `schema.table.column` glob. */
  ignore?: { id: string; reason: string }[];
  minConfidence?: Confidence;
  failOn?: Confidence;
  /** The baseline file (default dead-schema.baseline.json). */
  baseline?: string;
}

export interface LoadedConfig {
  config: DeadSchemaConfig;
  /** The file it came from, when there is one. */
  file?: string;
}

/** Identity, for typed `dead-schema.config.ts` files. */
export function defineConfig(config: DeadSchemaConfig): DeadSchemaConfig {
  return config;
}

/** Finds and validates the project's config; an empty config when there is none. */
export async function loadConfig(_root: string, _explicitFile?: string): Promise<LoadedConfig> {
  return { config: {} };
}
