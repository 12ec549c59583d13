import { ts } from 'ts-morph';
import { runnerCall, unwrap } from './parse.js';
import type { ScriptTool } from './types.js';

// QueryInterface's row methods; its other methods (createTable, addColumn, addIndex, ...) change the schema.
const DATA_METHODS = new Set(['bulkInsert', 'bulkDelete', 'bulkUpdate', 'insert', 'upsert', 'delete', 'select', 'rawSelect', 'increment', 'decrement']);
const SCHEMA_METHOD = /^(?:create|drop|add|remove|change|rename)[A-Z]/;

/**
 * Sequelize (sequelize-cli, umzug): `module.exports = { up: async (queryInterface, Sequelize) => {...} }`
 * with `queryInterface.sequelize.query('...')`. sequelize-cli runs the folder's `.js/.cjs/.ts`
 * files (not `.d.ts`) sorted by file name.
 */
export const sequelize: ScriptTool = {
  name: 'sequelize',
  migrateCommand: 'npx sequelize-cli db:migrate',
  score(script) {
    if (script.imports.has('sequelize') || script.imports.has('sequelize-cli') || script.imports.has('@sequelize/core')) return 2;
    return /\bqueryInterface\b|\.sequelize\.query\(/.test(script.text) ? 1 : 0;
  },
  classify(call, up) {
    const chain = runnerCall(call, up);
    if (chain === undefined) return undefined;
    const { root, names, joined } = chain;
    const [text, options] = call.arguments;
    if (joined === 'sequelize.query' && text !== undefined) {
      return { kind: 'sql', text, holes: 'interpolate', bound: options !== undefined && hasValues(options) };
    }
    if (names.length !== 1) return undefined;
    if (DATA_METHODS.has(joined)) return { kind: 'data', what: `${root}.${joined}` };
    if (SCHEMA_METHOD.test(joined)) return { kind: 'builder', what: `${root}.${joined}` };
    return undefined;
  },
};

/** `{ replacements }` or `{ bind }` fill placeholders in the text; `{ transaction }` does not. */
function hasValues(options: ts.Expression): boolean {
  const node = unwrap(options);
  if (!ts.isObjectLiteralExpression(node)) return true;
  return node.properties.some((p) => p.name !== undefined && ['replacements', 'bind'].includes(p.name.getText()));
}
