import { ts } from 'ts-morph';
import { runnerCall, unwrap } from './parse.js';
import type { ParsedScript, ScriptTool } from './types.js';

const SCHEMA_METHOD = /^(?:create|drop|add|remove|change|rename)[A-Z]/;

/**
 * db-migrate: `exports.up = function (db) { return db.runSql('...') }` or its builder
 * (`db.createTable`, `db.addColumn`). Files are `<YYYYMMDDhhmmss>-name.js`, run in name order.
 * With `--sql-file` the script only reads `sqls/<name>-up.sql`; `upSqlFile` finds that file.
 */
export const dbMigrate: ScriptTool = {
  name: 'db-migrate',
  migrateCommand: 'npx db-migrate up',
  score(script) {
    if (script.imports.has('db-migrate')) return 2;
    return /\bexports\._meta\b|\bexports\.setup\b|\bdb\.runSql\(/.test(script.text) ? 1 : 0;
  },
  classify(call, up) {
    const chain = runnerCall(call, up);
    if (chain === undefined) return undefined;
    const { root, names, joined } = chain;
    const [text, second] = call.arguments;
    if (joined === 'runSql' && text !== undefined) {
      // runSql(sql, callback) or runSql(sql, params, callback).
      const bound = call.arguments.length >= 3 || (second !== undefined && !ts.isFunctionLike(unwrap(second)) && !ts.isIdentifier(unwrap(second)));
      return { kind: 'sql', text, holes: 'interpolate', bound };
    }
    if (names.length !== 1) return undefined;
    if (joined === 'insert' || joined === 'all') return { kind: 'data', what: `${root}.${joined}` };
    if (SCHEMA_METHOD.test(joined)) return { kind: 'builder', what: `${root}.${joined}` };
    return undefined;
  },
};

/** The `sqls/...-up.sql` file a `--sql-file` migration reads, as a path relative to the migrations folder. */
export function upSqlFile(script: ParsedScript): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found === undefined && ts.isStringLiteralLike(node) && /-up\.sql$/.test(node.text)) found = node.text;
    ts.forEachChild(node, visit);
  };
  for (const up of script.ups) visit(up.node);
  if (found === undefined) return undefined;
  return found.includes('/') ? found.replace(/^\.\//, '') : `sqls/${found}`;
}
