import path from 'node:path';
import { ts } from 'ts-morph';
import { withUp } from './order.js';
import { runnerCall } from './parse.js';
import type { ParsedScript, ScriptTool } from './types.js';

// QueryRunner's schema methods: createTable, addColumn(s), renameColumn, changeColumn, dropIndex, clearTable, ...
const SCHEMA_METHOD = /^(?:create|drop|rename|add|change|update|clear)[A-Z]/;
const QUERY_PATHS = new Set(['query', 'manager.query', 'connection.query']);

/**
 * TypeORM: `export class AddUsers1700000000000 implements MigrationInterface { async up(queryRunner) {...} }`.
 * It orders by the number in the last 13 characters of the class name
 * (`MigrationExecutor.getMigrations`), not by file name; the file name's leading timestamp
 * stands in when no class name is found.
 */
export const typeorm: ScriptTool = {
  name: 'typeorm',
  migrateCommand: 'npx typeorm migration:run -d <your data source>',
  score(script) {
    if (script.imports.has('typeorm')) return 2;
    return /\bimplements\s+MigrationInterface\b|\bQueryRunner\b/.test(script.text) ? 1 : 0;
  },
  order(scripts) {
    return withUp(scripts)
      .map((script) => ({ script, stamp: timestampOf(script) }))
      .sort((a, b) => a.stamp - b.stamp || (a.script.relativePath < b.script.relativePath ? -1 : 1))
      .map((s) => s.script);
  },
  classify(call, up) {
    const chain = runnerCall(call, up);
    if (chain === undefined) return undefined;
    const { root, names, joined } = chain;
    const [text, values] = call.arguments;
    if (QUERY_PATHS.has(joined) && text !== undefined) return { kind: 'sql', text, holes: 'interpolate', bound: values !== undefined };
    if (names.length === 1 && SCHEMA_METHOD.test(joined)) return { kind: 'builder', what: `${root}.${joined}` };
    if (names[0] === 'manager') return { kind: 'data', what: `${root}.${joined}` };
    return undefined;
  },
};

function timestampOf(script: ParsedScript): number {
  const owner = script.ups.find((u) => u.isMethod)?.node.parent;
  const className = owner !== undefined && ts.isClassDeclaration(owner) ? owner.name?.text : undefined;
  const fromClass = className === undefined ? Number.NaN : parseInt(className.slice(-13), 10);
  if (!Number.isNaN(fromClass)) return fromClass;
  const fromFile = /^(\d+)/.exec(path.posix.basename(script.relativePath))?.[1];
  return fromFile === undefined ? Number.MAX_SAFE_INTEGER : Number(fromFile);
}
