import { chainOf } from './parse.js';
import type { ScriptTool } from './types.js';

/**
 * MikroORM: `export class Migration20240101000000 extends Migration { async up() { this.addSql('...') } }`.
 * Its umzug-based migrator sorts the folder's files by name (the class name's timestamp).
 */
export const mikroOrm: ScriptTool = {
  name: 'mikro-orm',
  migrateCommand: 'npx mikro-orm migration:up',
  score(script) {
    if ([...script.imports].some((m) => m.startsWith('@mikro-orm/'))) return 2;
    return /\bthis\.addSql\(/.test(script.text) ? 1 : 0;
  },
  classify(call) {
    const { root, names } = chainOf(call.expression);
    if (root !== 'this') return undefined;
    const joined = names.join('.');
    const [text, values] = call.arguments;
    if ((joined === 'addSql' || joined === 'execute') && text !== undefined) {
      return { kind: 'sql', text, holes: 'interpolate', bound: values !== undefined };
    }
    if (names.includes('schema')) return { kind: 'builder', what: `this.${joined}` };
    return undefined;
  },
};
