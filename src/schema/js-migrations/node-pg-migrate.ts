import { runnerCall } from './parse.js';
import type { ScriptTool } from './types.js';

// MigrationBuilder members that change nothing: pgm.func('now()') is a value, noTransaction a flag.
const HARMLESS = new Set(['func', 'noTransaction']);

/**
 * node-pg-migrate: `exports.up = (pgm) => { pgm.sql('...') }`; every other `pgm.*` call
 * (createTable, addColumns, createIndex, ...) is its schema builder. Runs the folder's own
 * files sorted by name; its `.sql` migrations are read by the SQL layouts instead.
 */
export const nodePgMigrate: ScriptTool = {
  name: 'node-pg-migrate',
  migrateCommand: 'npx node-pg-migrate up',
  score(script) {
    if (script.imports.has('node-pg-migrate')) return 2;
    return /\bpgm\.|\bMigrationBuilder\b/.test(script.text) ? 1 : 0;
  },
  classify(call, up) {
    const chain = runnerCall(call, up);
    if (chain === undefined) return undefined;
    const { root, names, joined } = chain;
    const [text, values] = call.arguments;
    if ((joined === 'sql' || joined === 'db.query') && text !== undefined) {
      return { kind: 'sql', text, holes: 'interpolate', bound: values !== undefined };
    }
    if (names[0] === 'db') return { kind: 'data', what: `${root}.${joined}` };
    if (names.length === 1 && !HARMLESS.has(joined)) return { kind: 'builder', what: `${root}.${joined}` };
    return undefined;
  },
};
