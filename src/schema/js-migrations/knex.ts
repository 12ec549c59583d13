import { runnerCall } from './parse.js';
import type { ScriptTool } from './types.js';

/**
 * knex: `exports.up = function (knex) { return knex.schema.createTable(...) }` or
 * `knex.raw('...')`. The CLI lists the folder's own script files and sorts them by name.
 */
export const knex: ScriptTool = {
  name: 'knex',
  migrateCommand: 'npx knex migrate:latest',
  score(script) {
    if (script.imports.has('knex')) return 2;
    return /\bknex\.(?:schema|raw)\b|\bKnex\b/.test(script.text) ? 1 : 0;
  },
  classify(call, up) {
    const chain = runnerCall(call, up);
    if (chain === undefined) return undefined;
    const { root, names, joined } = chain;
    const [text, bindings] = call.arguments;
    if ((joined === 'raw' || joined === 'schema.raw') && text !== undefined) {
      return { kind: 'sql', text, holes: 'interpolate', bound: bindings !== undefined };
    }
    if (names.includes('schema')) return { kind: 'builder', what: `${root}.${names.slice(0, 2).join('.')}` };
    // knex('users').insert(...), knex.batchInsert(...): rows only.
    if (names.length > 0 && names[0] !== 'transaction') return { kind: 'data', what: `${root}.${joined}` };
    return undefined;
  },
};
