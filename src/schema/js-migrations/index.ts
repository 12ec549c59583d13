/**
 * Migrations written as TypeScript/JavaScript scripts (TypeORM, Kysely, Sequelize, knex,
 * node-pg-migrate, MikroORM, db-migrate), read without running them: the SQL strings an `up`
 * function passes to the tool become `MigrationFile`s whose statements carry the script's own
 * line numbers, so the PGlite apply path and `file:line` reporting work unchanged. `down` is
 * never read.
 *
 * Policy for what cannot be read: a script that changes the schema through code (a schema
 * builder call such as `knex.schema.createTable`, SQL with a run-time part, SQL in a loop, the
 * runner handed to a helper) is listed in `needsRunning`, and the caller rejects the whole set:
 * applying only the readable scripts would build a schema that silently lacks tables, and
 * every verdict on it would be wrong. A row-only statement (INSERT/UPDATE/DELETE/SELECT) with a
 * run-time value is different: the schema does not depend on it, so it is skipped with a
 * `migration-statement-skipped` event.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { AnalysisEvent } from '../../catalog.js';
import { readText } from '../../text/decode.js';
import type { MigrationFile } from '../migrations.js';
import { loadSqlScanner, splitStatements, type SqlStatement } from '../split.js';
import { dbMigrate, upSqlFile } from './db-migrate.js';
import { extractScript } from './extract.js';
import { knex } from './knex.js';
import { kysely } from './kysely.js';
import { mikroOrm } from './mikro-orm.js';
import { nodePgMigrate } from './node-pg-migrate.js';
import { byNameWithUp } from './order.js';
import { parseScript } from './parse.js';
import { sequelize } from './sequelize.js';
import { typeorm } from './typeorm.js';
import { SCRIPT_MIGRATION_TOOLS, isScriptMigrationTool } from './tool-names.js';
import type { NeedsRunning, ParsedScript, ScriptMigrationSet, ScriptMigrationTool, ScriptTool } from './types.js';

export type { NeedsRunning, ScriptMigrationSet, ScriptMigrationTool } from './types.js';

/** In tie-break order: a class-based tool's shape is the most specific, a bare `up(db)` the least. */
const TOOLS: readonly ScriptTool[] = [typeorm, mikroOrm, kysely, sequelize, nodePgMigrate, knex, dbMigrate];
export { SCRIPT_MIGRATION_TOOLS, isScriptMigrationTool };
if (TOOLS.map((t) => t.name).join() !== SCRIPT_MIGRATION_TOOLS.join()) throw new Error('js-migrations: tool-names.ts does not list the tools TOOLS holds, in order');

const SCRIPT_FILE = /\.[cm]?[jt]s$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/** The command that applies a tool's migrations, for messages that send the user to `--migrate-command`. */
export function migrateCommandOf(tool: ScriptMigrationTool): string {
  return toolNamed(tool).migrateCommand;
}

/**
 * Reads the folder's JS/TS migration scripts. Undefined when it holds none (no script with an
 * `up`, or none a known tool would run). `forcedTool` skips detection.
 */
export async function readScriptMigrations(dir: string, forcedTool?: ScriptMigrationTool): Promise<ScriptMigrationSet | undefined> {
  const root = path.resolve(dir);
  const relFiles = (await listScripts(root)).sort();
  if (relFiles.length === 0) return undefined;
  const scripts: ParsedScript[] = [];
  for (const rel of relFiles) {
    const file = path.join(root, rel);
    scripts.push(parseScript(file, rel, await readText(file)));
  }
  const tool = forcedTool === undefined ? detectTool(scripts) : toolNamed(forcedTool);
  if (tool === undefined) return undefined;
  const ordered = tool.order?.(scripts) ?? byNameWithUp(scripts);
  if (ordered.length === 0) return undefined;

  await loadSqlScanner();
  const files: MigrationFile[] = [];
  const needsRunning: NeedsRunning[] = [];
  const events: AnalysisEvent[] = [];
  for (const script of ordered) {
    const sqlFile = tool === dbMigrate ? upSqlFile(script) : undefined;
    if (sqlFile !== undefined) {
      files.push(await dbMigrateSqlFile(root, sqlFile, script, needsRunning));
      continue;
    }
    const extracted = extractScript(script, tool);
    files.push({ file: script.file, relativePath: script.relativePath, content: script.text, statements: extracted.statements });
    needsRunning.push(...extracted.needsRunning);
    events.push(...extracted.events);
  }
  if (tool === typeorm) withTypeormDriverExtensions(files);
  return { tool: tool.name, files, allFiles: scripts.map((s) => s.file), needsRunning, events };
}

/**
 * TypeORM's Postgres driver runs `CREATE EXTENSION IF NOT EXISTS "uuid-ossp"` on connect when an
 * entity has a uuid primary column (PostgresDriver.enableExtensions), so generated migrations call
 * uuid_generate_v4() without ever creating the extension. Applying them alone failed every
 * CREATE TABLE of rocket-admin/rocketadmin (47 of them, and 395 statements after). The driver's
 * statement is put before the first migration, as the driver runs it before any.
 */
function withTypeormDriverExtensions(files: MigrationFile[]): void {
  const statements = files.flatMap((f) => f.statements.map((st) => st.sql));
  const calls = statements.some((sql) => /\buuid_generate_v[14]\s*\(/i.test(sql));
  const creates = statements.some((sql) => /\bcreate\s+extension\b[^;]*uuid-ossp/i.test(sql));
  if (calls && !creates) files[0]?.statements.unshift({ sql: 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp"', line: 1 });
}

/**
 * The tool whose shapes most scripts have. Imports weigh double: a `pgm` parameter or a
 * `Kysely<any>` type only suggests a tool, `import ... from 'typeorm'` names it.
 */
function detectTool(scripts: ParsedScript[]): ScriptTool | undefined {
  const candidates = scripts.filter((s) => s.ups.length > 0);
  let best: { tool: ScriptTool; score: number } | undefined;
  for (const tool of TOOLS) {
    const score = candidates.reduce((sum, script) => sum + tool.score(script), 0);
    if (score > 0 && (best === undefined || score > best.score)) best = { tool, score };
  }
  return best?.tool;
}

/** db-migrate `--sql-file` migrations keep the SQL beside the script; that file is the migration. */
async function dbMigrateSqlFile(root: string, rel: string, script: ParsedScript, needsRunning: NeedsRunning[]): Promise<MigrationFile> {
  const file = path.join(root, rel);
  const content = await readText(file).catch(() => undefined);
  if (content === undefined) {
    needsRunning.push({ file: script.file, line: 1, reason: `reads ${rel}, which is not in the folder` });
    return { file: script.file, relativePath: script.relativePath, content: script.text, statements: [] };
  }
  return { file, relativePath: rel, content, statements: splitStatements(content) };
}

function toolNamed(name: ScriptMigrationTool): ScriptTool {
  const tool = TOOLS.find((t) => t.name === name);
  if (tool === undefined) throw new Error(`unknown migration tool ${name}`);
  return tool;
}

async function listScripts(root: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, prefix), { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const entry of entries) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) out.push(...(await listScripts(root, rel)));
    } else if (entry.isFile() && SCRIPT_FILE.test(entry.name) && !DECLARATION_FILE.test(entry.name)) {
      out.push(rel);
    }
  }
  return out;
}

/** The SQL another version of a script ran (`--since` compares with the one at a git ref). Requires `loadSqlScanner()`. */
export function scriptStatements(file: string, text: string, tool: ScriptMigrationTool): SqlStatement[] {
  return extractScript(parseScript(file, path.basename(file), text), toolNamed(tool)).statements;
}
