import { ts } from 'ts-morph';
import { chainOf, unwrap } from './parse.js';
import type { ScriptTool } from './types.js';

const DATA_METHODS = new Set(['insertInto', 'updateTable', 'deleteFrom', 'selectFrom', 'replaceInto', 'mergeInto', 'selectNoFrom']);
const EXECUTE = new Set(['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow']);

/**
 * Kysely: `export async function up(db: Kysely<any>)` running `` sql`...`.execute(db) `` or
 * `db.schema.createTable(...)...execute()`. FileMigrationProvider reads the folder's own
 * `.js/.ts/.mjs/.mts` files (never `.d.ts`) and the Migrator sorts them by name.
 */
export const kysely: ScriptTool = {
  name: 'kysely',
  migrateCommand: 'npx kysely migrate:latest',
  score(script) {
    if (script.imports.has('kysely')) return 2;
    return /\bKysely<|\bsql`/.test(script.text) ? 1 : 0;
  },
  classify(call, up) {
    const callee = call.expression;
    if (ts.isPropertyAccessExpression(callee) && EXECUTE.has(callee.name.text)) {
      const target = unwrap(callee.expression);
      if (ts.isTaggedTemplateExpression(target) && ts.isIdentifier(target.tag) && target.tag.text === 'sql') {
        return { kind: 'sql', text: target, holes: 'parameters' };
      }
      // sql.raw('...').execute(db): the text is sent as is.
      if (ts.isCallExpression(target) && chainOf(target.expression).root === 'sql' && chainOf(target.expression).names.join('.') === 'raw') {
        const [text] = target.arguments;
        if (text !== undefined) return { kind: 'sql', text, holes: 'interpolate' };
      }
    }
    const { root, names } = chainOf(callee);
    if (root === undefined || root !== up.runner) return undefined;
    if (names[0] === 'schema') return { kind: 'builder', what: `${root}.schema.${names[1] ?? ''}` };
    if (DATA_METHODS.has(names[0] ?? '')) return { kind: 'data', what: `${root}.${names[0] ?? ''}` };
    return undefined;
  },
};
