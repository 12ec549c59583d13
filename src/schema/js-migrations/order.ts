import path from 'node:path';
import type { ParsedScript } from './types.js';

/**
 * Name order as the tools sort a directory listing (knex, Kysely, sequelize-cli and
 * MikroORM through umzug, node-pg-migrate, db-migrate): file names compared as strings. The
 * generators write fixed-width timestamps first, so string order is time order.
 */
export function byFileName(scripts: ParsedScript[]): ParsedScript[] {
  const key = (s: ParsedScript): string => path.posix.basename(s.relativePath).replace(/\.[^.]+$/, '');
  return [...scripts].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Only the folder's own files: the tools list one directory, not its subfolders. */
export function topLevel(scripts: ParsedScript[]): ParsedScript[] {
  return scripts.filter((s) => !s.relativePath.includes('/'));
}

/** Scripts with an `up` to run; helpers and index files in the folder are not migrations. */
export function withUp(scripts: ParsedScript[]): ParsedScript[] {
  return scripts.filter((s) => s.ups.length > 0);
}

/** Top-level scripts with an `up`, by file name: the order knex, Kysely, Sequelize, node-pg-migrate, MikroORM and db-migrate use. */
export function byNameWithUp(scripts: ParsedScript[]): ParsedScript[] {
  return byFileName(withUp(topLevel(scripts)));
}
