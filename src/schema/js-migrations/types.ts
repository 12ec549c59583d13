import type { ts } from 'ts-morph';
import type { AnalysisEvent } from '../../catalog.js';
import type { MigrationFile } from '../migrations.js';

export type ScriptMigrationTool = 'typeorm' | 'kysely' | 'sequelize' | 'knex' | 'node-pg-migrate' | 'mikro-orm' | 'db-migrate';

/** A place in an `up` function that changes the schema through code dead-schema does not run. */
export interface NeedsRunning {
  /** Absolute path of the migration script. */
  file: string;
  line: number;
  reason: string;
}

export interface ScriptMigrationSet {
  tool: ScriptMigrationTool;
  /** Scripts whose `up` SQL was read, in the tool's order; `file` is the script, lines are the script's. */
  files: MigrationFile[];
  /** Every JS/TS file in the folder (helpers too), absolute, for the code scanner to skip. */
  allFiles: string[];
  needsRunning: NeedsRunning[];
  events: AnalysisEvent[];
}

/** A migration script parsed once; tools only look at it. */
export interface ParsedScript {
  file: string;
  relativePath: string;
  text: string;
  sourceFile: ts.SourceFile;
  /** Module names from `import ... from`, `import x = require()` and `require()`. */
  imports: Set<string>;
  /** The bodies of every `up` the file exports, in any of the shapes the tools accept. */
  ups: UpFunction[];
}

export interface UpFunction {
  node: ts.FunctionLikeDeclaration;
  /** Name the first parameter binds (`queryRunner`, `knex`, `db`, `pgm`; the `context` of `{ context: qi }`); `this` for class methods. */
  runner: string | undefined;
  isMethod: boolean;
}

/**
 * What one call inside `up` does, as far as a tool can tell from its shape:
 * - `sql`: runs the SQL text of `text` (a string, template or `sql` tagged template); `bound`
 *   when values are passed beside it (`query(text, [id])`), so the text alone cannot run;
 * - `builder`: changes the schema through the tool's API (`what` names it for the message);
 * - `data`: touches rows only, so skipping it leaves the schema right;
 * - undefined: not the tool's call; the walker looks inside it.
 */
export type CallKind =
  | { kind: 'sql'; text: ts.Expression; holes: 'interpolate' | 'parameters'; bound?: boolean }
  | { kind: 'builder'; what: string }
  | { kind: 'data'; what: string }
  | undefined;

export interface ScriptTool {
  name: ScriptMigrationTool;
  /** The command that applies the folder, for the "needs running" hint. */
  migrateCommand: string;
  /** How strongly a script looks like this tool's migration: 0 none, 1 shape only, 2 the tool's import. */
  score(script: ParsedScript): number;
  /** The scripts the tool would run, in its order; default: top-level scripts with an `up`, by file name (byNameWithUp). */
  order?(scripts: ParsedScript[]): ParsedScript[];
  classify(call: ts.CallExpression, up: UpFunction): CallKind;
}
