import { ts } from 'ts-morph';
import { isDefaultLedgerName, type LedgerTable } from '../schema/ledger.js';
import { propertyNameText, stringValue, unwrap } from './helpers.js';
import type { RuleFileContext, RuleMatch, RuleRef } from './types.js';

/**
 * Migration ledgers under names the app configures (knex `migrations.tableName`, Kysely
 * `migrationTableName`, a `--migrations-table` flag, ...). Ledgers under their default names never
 * reach the audit (src/schema/ledger.ts); a configured one is reported as what it is: a table the
 * migration tool reads and writes itself, from node_modules, with `library-owned` evidence naming
 * the tool. The rules find the configuration; this file turns it into references and holds the
 * readers the rules share (option objects in code, keys in JSON files, flags in package.json scripts).
 */

/** One ledger table as configured: `table` may be `schema.table` when `schema` is not given. */
export interface ConfiguredLedger {
  table: string;
  schema?: string;
  /** The tool's own columns for it (MIGRATION_LEDGERS). */
  columns: readonly string[];
  /** Evidence names the tool by this: `knex migrations ledger`. */
  owned: string;
  position: number;
  /** The tool never deletes its rows (Kysely's lock). */
  neverDeleted?: boolean;
}

/**
 * `library-owned` reads, writes and (unless it never does) deletes of each ledger table, and reads
 * and writes of its columns. A table under a default ledger name is left out: it is removed before
 * the audit.
 */
export function ledgerRefs(ledgers: readonly ConfiguredLedger[]): RuleRef[] {
  const refs: RuleRef[] = [];
  for (const ledger of ledgers) {
    const relation = relationOf(ledger);
    if (relation.table === '' || isDefaultLedgerName(relation.table)) continue;
    const relations = [relation];
    const { owned, position } = ledger;
    for (const role of ledger.neverDeleted === true ? (['read', 'write'] as const) : (['read', 'write', 'delete'] as const)) {
      refs.push({ kind: 'use', relations, role, position, owned });
      if (role !== 'delete') for (const name of ledger.columns) refs.push({ kind: 'use', relations, name, role, position, owned });
    }
  }
  return refs;
}

function relationOf(ledger: ConfiguredLedger): { table: string; schema?: string } {
  if (ledger.schema !== undefined && ledger.schema !== '') return { table: ledger.table, schema: ledger.schema };
  const dot = ledger.table.indexOf('.');
  if (dot > 0 && dot < ledger.table.length - 1) return { schema: ledger.table.slice(0, dot), table: ledger.table.slice(dot + 1) };
  return { table: ledger.table };
}

/**
 * A ledger under `name` (or the default), with the tool's columns plus `extra` ones, in `schema`
 * (`null`: one only known at run time, so the name is left to the search path like a bare one).
 */
export function ledger(
  table: LedgerTable,
  name: string | undefined,
  schema: string | null | undefined,
  owned: string,
  position: number,
  extra: readonly string[] = [],
): ConfiguredLedger {
  return {
    table: name ?? table.name,
    ...(typeof schema === 'string' ? { schema } : {}),
    columns: [...table.columns, ...extra],
    owned,
    position,
    ...(table.neverDeleted === true ? { neverDeleted: true } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Option objects in code

/** Option keys that rename a tool's ledger tables, and the key naming their schema. */
export interface LedgerOptionKeys {
  schemaKey: string;
  tables: readonly { key: string; table: LedgerTable; owned: string }[];
}

/**
 * Ledgers renamed in any object of the file that spells one of the keys (`new Migrator({
 * migrationTableName })`, `new DataSource({ migrationsTableName })`). A name only known at run
 * time is not seen; a default name is left to the catalog's ledger removal.
 */
export function ledgersFromOptions(ctx: RuleFileContext, keys: LedgerOptionKeys): RuleMatch | undefined {
  // Only an object that renames a table matters: a schema alone leaves default names, removed anyway.
  const objects = objectsWithKeys(ctx.sourceFile, keys.tables.map((t) => t.key));
  if (objects.length === 0) return undefined;
  const whole = wholeFileContext(ctx);
  const found: ConfiguredLedger[] = [];
  for (const options of objects) {
    const schema = ownString(options, keys.schemaKey, whole);
    for (const { key, table, owned } of keys.tables) {
      const name = ownString(options, key, whole);
      if (typeof name === 'string') found.push(ledger(table, name, schema, owned, keyPosition(options, key, ctx)));
    }
  }
  const refs = ledgerRefs(found);
  return refs.length > 0 ? { refs } : undefined;
}

/**
 * The file's rule context, able to read same-file `const` values from anywhere: a SourceFile
 * visitor runs before the scanner has walked (and remembered) the file's declarations.
 */
export function wholeFileContext(ctx: RuleFileContext): RuleFileContext {
  let constants: Map<string, ts.Expression | null> | undefined;
  const local = (name: string): ts.Expression | undefined => {
    if (constants === undefined) {
      constants = new Map();
      const found = constants;
      const visit = (node: ts.Node): void => {
        if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined) {
          // A name bound twice (two scopes) is not known.
          found.set(node.name.text, found.has(node.name.text) ? null : node.initializer);
        }
        ts.forEachChild(node, visit);
      };
      visit(ctx.sourceFile);
    }
    return constants.get(name) ?? undefined;
  };
  return { ...ctx, valueOf: (name, position) => ctx.valueOf(name, position) ?? local(name) };
}

/** Object literals in the file with one of `keys` as a property (the file's text must name one). */
export function objectsWithKeys(sourceFile: ts.SourceFile, keys: readonly string[]): ts.ObjectLiteralExpression[] {
  if (!keys.some((key) => sourceFile.text.includes(key))) return [];
  const wanted = new Set(keys);
  const out: ts.ObjectLiteralExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node) && node.properties.some((p) => wanted.has(propertyNameText(p.name) ?? ''))) out.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return out;
}

/** The property of an object literal named `key`, if the literal spells it out. */
export function ownProperty(object: ts.ObjectLiteralExpression, key: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((p) => propertyNameText(p.name) === key);
}

/** The value of `key` in an object literal: a property's initializer, or the name of a shorthand property. */
export function ownValue(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  const property = ownProperty(object, key);
  if (property === undefined) return undefined;
  if (ts.isPropertyAssignment(property)) return property.initializer;
  if (ts.isShorthandPropertyAssignment(property)) return property.name;
  return undefined;
}

/**
 * The string `key` holds (a literal, a constant, the fallback of `process.env.X ?? 'name'`):
 * `undefined` when the key is absent, `null` when it is there but only known at run time.
 */
export function ownString(object: ts.ObjectLiteralExpression, key: string, ctx: RuleFileContext): string | null | undefined {
  const value = ownValue(object, key);
  if (value === undefined) return undefined;
  return staticString(value, ctx) ?? null;
}

function staticString(expression: ts.Expression, ctx: RuleFileContext): string | undefined {
  const direct = stringValue(expression, ctx);
  if (direct !== undefined) return direct;
  const expr = unwrap(expression);
  const fallback = ts.isBinaryExpression(expr) && (expr.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || expr.operatorToken.kind === ts.SyntaxKind.BarBarToken);
  return fallback ? staticString(expr.right, ctx) : undefined;
}

/** The object literal `key` holds in an object literal (directly or through a same-file constant). */
export function ownObject(object: ts.ObjectLiteralExpression, key: string, ctx: RuleFileContext): ts.ObjectLiteralExpression | undefined {
  const value = ownValue(object, key);
  if (value === undefined) return undefined;
  const expr = unwrap(value);
  if (ts.isObjectLiteralExpression(expr)) return expr;
  if (!ts.isIdentifier(expr)) return undefined;
  const held = ctx.valueOf(expr.text, expr.getStart(ctx.sourceFile));
  return held !== undefined && ts.isObjectLiteralExpression(unwrap(held)) ? (unwrap(held) as ts.ObjectLiteralExpression) : undefined;
}

/** Where a key's property starts, else where the object does: the line evidence points at. */
export function keyPosition(object: ts.ObjectLiteralExpression, key: string, ctx: RuleFileContext): number {
  return (ownProperty(object, key) ?? object).getStart(ctx.sourceFile);
}

/** The object literal that holds `object` as the value of its property `key` (`{ migrations: object }`). */
export function parentObjectOf(object: ts.ObjectLiteralExpression, key: string): ts.ObjectLiteralExpression | undefined {
  let node: ts.Node = object;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent)) node = node.parent;
  const property = node.parent;
  if (!ts.isPropertyAssignment(property) || propertyNameText(property.name) !== key) return undefined;
  return ts.isObjectLiteralExpression(property.parent) ? property.parent : undefined;
}

// ---------------------------------------------------------------------------------------------
// JSON configuration files

/** An object in a JSON file and where each of its keys is written. */
export interface JsonObject {
  value: Record<string, unknown>;
  positionOf(key: string): number;
}

/**
 * Every object in a JSON document that has one of `keys`, in document order. Positions are those
 * of the key's text (its n-th occurrence for the n-th object that has it). Unparsable text: none.
 */
export function jsonObjectsWithKeys(text: string, keys: readonly string[]): JsonObject[] {
  if (!keys.some((key) => text.includes(`"${key}"`))) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const occurrences = new Map<string, number[]>();
  for (const key of keys) {
    const pattern = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`, 'g');
    occurrences.set(key, [...text.matchAll(pattern)].map((m) => m.index));
  }
  const seen = new Map<string, number>();
  const out: JsonObject[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    const positions = new Map<string, number>();
    for (const key of keys) {
      if (!(key in record)) continue;
      const index = seen.get(key) ?? 0;
      seen.set(key, index + 1);
      positions.set(key, occurrences.get(key)?.[index] ?? 0);
    }
    if (positions.size > 0) {
      const first = Math.min(...positions.values());
      out.push({ value: record, positionOf: (key) => positions.get(key) ?? first });
    }
    for (const child of Object.values(record)) visit(child);
  };
  visit(parsed);
  return out;
}

/** A string value of a parsed JSON object, or undefined. */
export function jsonString(object: Record<string, unknown>, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// ---------------------------------------------------------------------------------------------
// package.json scripts

/** One run of a command in a package.json script: the words after it, and where the script's text starts. */
export interface ScriptRun {
  script: string;
  args: string[];
  position: number;
}

/** Package managers' words before a command that install or remove it rather than run it. */
export const NOT_A_RUN: ReadonlySet<string> = new Set(['install', 'i', 'add', 'remove', 'rm', 'uninstall', 'un', 'update', 'upgrade', 'why', 'info', 'view']);

/** The runs of `command` (`node-pg-migrate up -t ledger`, `npx db-migrate up`) in a package.json's scripts. */
export function scriptRuns(text: string, command: string): ScriptRun[] {
  if (!text.includes(command)) return [];
  let scripts: unknown;
  try {
    scripts = (JSON.parse(text) as { scripts?: unknown }).scripts;
  } catch {
    return [];
  }
  if (typeof scripts !== 'object' || scripts === null) return [];
  const runs: ScriptRun[] = [];
  for (const [name, script] of Object.entries(scripts as Record<string, unknown>)) {
    if (typeof script !== 'string' || !script.includes(command)) continue;
    const at = text.indexOf(JSON.stringify(script), text.indexOf(JSON.stringify(name)));
    for (const segment of script.split(/&&|\|\||[;|&]/)) {
      const words = segment.trim().split(/\s+/);
      const index = words.findIndex((word) => word === command || word.endsWith(`/${command}`) || word.endsWith(`/${command}.js`));
      if (index < 0 || (index > 0 && NOT_A_RUN.has(words[index - 1]!))) continue;
      runs.push({ script: name, args: words.slice(index + 1), position: at < 0 ? 0 : at + 1 });
    }
  }
  return runs;
}

/**
 * The value of a command-line flag (`--table x`, `--table=x`, `-t x`; the last one wins), or
 * undefined. A value only known when the script runs (`$LEDGER`) counts as absent.
 */
export function flagValue(args: readonly string[], names: readonly string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    for (const name of names) {
      if (arg === name && args[i + 1] !== undefined) value = unquote(args[i + 1]!);
      else if (name.startsWith('--') && arg.startsWith(`${name}=`)) value = unquote(arg.slice(name.length + 1));
    }
  }
  return value === undefined || value === '' || value.includes('$') ? undefined : value;
}

function unquote(word: string): string {
  return word.replace(/^(['"])(.*)\1$/, '$2');
}

