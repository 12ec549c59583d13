/*
 * The project's dead-schema settings: dead-schema.config.{json,jsonc,ts,mjs} or a "dead-schema" key in
 * package.json. schema.ts is the one definition (and the source of the published schema.json),
 * load.ts finds and validates it, resolve.ts merges it with flags and the environment.
 */
export type { DeadSchemaConfig } from './schema.js';
export { loadConfig, type LoadedConfig } from './load.js';
export { sqlTagPattern } from './sql-tags.js';
