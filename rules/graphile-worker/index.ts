import { ts } from 'ts-morph';
import { objectProperty, resolveObject, stringValue, unwrap } from '../../src/rules/helpers.js';
import { NOT_A_RUN } from '../../src/rules/ledgers.js';
import type { Rule, RuleFileContext, RuleRef } from '../../src/rules/types.js';
import { DEFAULT_SCHEMA, READ_ONLY, TABLES } from './tables.js';

/**
 * graphile-worker installs its job tables in a schema of its own (`graphile_worker`, or the
 * `schema` option) and migrates, reads and writes them itself from node_modules, where no scan
 * looks; the app talks to it through functions (`add_job`) and the `jobs` view. This rule is a
 * declarative pack (tables.ts, read from the library's SQL migrations at tag v0.17.3): every
 * relation and column the library owns in the configured schema is reported as read and written
 * by the library (`library-owned` evidence)
 * - at a call of `run`, `runOnce`, `runMigrations`, `makeWorkerUtils`, `quickAddJob`,
 *   `addJobAdhoc`, `runTaskList` or `runTaskListOnce` imported (or required) from
 *   graphile-worker, with the schema from `schema` or `preset: { worker: { schema } }` in its
 *   options;
 * - at a package.json script that runs the `graphile-worker` command, the usual way to start the
 *   worker, with `--schema`/`-s` or a `GRAPHILE_WORKER_SCHEMA=` assignment in the script.
 * A schema only known at run time (the GRAPHILE_WORKER_SCHEMA environment variable, a
 * `.graphile-workerrc` or `graphile.config.ts` preset) is not seen: the default is assumed, or
 * the fallback of `process.env.X ?? 'name'`.
 */
const MODULE = 'graphile-worker';
const ENTRY_POINTS: ReadonlySet<string> = new Set(['run', 'runOnce', 'runMigrations', 'makeWorkerUtils', 'quickAddJob', 'addJobAdhoc', 'runTaskList', 'runTaskListOnce']);

const rule: Rule = {
  name: 'graphile-worker',
  enablers: [MODULE],
  meta: {
    docs: 'https://worker.graphile.org/docs/schema',
    upstream: 'https://github.com/graphile/worker',
    sees: 'the job tables and `jobs` view it owns (`graphile_worker._private_jobs`, ...; or the `schema` option) at `run`/`makeWorkerUtils`/`quickAddJob`/... and `graphile-worker` scripts',
    defaultConfidence: 'high',
  },
  projectFiles: {
    patterns: ['**/package.json'],
    scan: scriptRefs,
  },
  visitors: {
    CallExpression(node, ctx) {
      if (!ctx.sourceFile.text.includes(MODULE) || !isEntryPoint(unwrap(node.expression), bindingsOf(ctx.sourceFile))) return undefined;
      return { refs: ownedRefs(optionsSchema(node.arguments[0], ctx) ?? DEFAULT_SCHEMA, node.getStart(ctx.sourceFile), 'graphile-worker') };
    },
  },
};

export default rule;

/** Every relation and column graphile-worker owns in `schema`, as library reads and writes at `position`. */
function ownedRefs(schema: string, position: number, owned: string): RuleRef[] {
  const refs: RuleRef[] = [];
  for (const [table, columns] of Object.entries(TABLES)) {
    const relations = [{ table, schema }];
    const readOnly = READ_ONLY.has(table);
    for (const role of readOnly ? (['read'] as const) : (['read', 'write', 'delete'] as const)) refs.push({ kind: 'use', relations, role, position, owned });
    for (const name of columns) for (const role of readOnly ? (['read'] as const) : (['read', 'write'] as const)) refs.push({ kind: 'use', relations, name, role, position, owned });
  }
  return refs;
}

/** `{ schema }`, else `{ preset: { worker: { schema } } }`; graphile-worker quotes the name as given. */
function optionsSchema(options: ts.Expression | undefined, ctx: RuleFileContext): string | undefined {
  if (options === undefined || resolveObject(options, ctx) === undefined) return undefined;
  const preset = objectProperty(objectProperty(options, 'preset', ctx), 'worker', ctx);
  return staticString(objectProperty(options, 'schema', ctx), ctx) ?? staticString(objectProperty(preset, 'schema', ctx), ctx);
}

/** A string the code spells out, also as the fallback of `process.env.X ?? 'name'` / `|| 'name'`. */
function staticString(expression: ts.Expression | undefined, ctx: RuleFileContext): string | undefined {
  if (expression === undefined) return undefined;
  const direct = stringValue(expression, ctx);
  if (direct !== undefined) return direct;
  const expr = unwrap(expression);
  const fallback = ts.isBinaryExpression(expr) && (expr.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || expr.operatorToken.kind === ts.SyntaxKind.BarBarToken);
  return fallback ? staticString(expr.right, ctx) : undefined;
}

interface Bindings {
  /** Local name → the graphile-worker export it is bound to. */
  functions: Map<string, string>;
  /** Local names of the module object (`import * as worker`, `const worker = require(...)`). */
  modules: Set<string>;
}

const bindingsCache = new WeakMap<ts.SourceFile, Bindings>();

/** What a file binds graphile-worker's exports to, from its imports and requires. */
function bindingsOf(sourceFile: ts.SourceFile): Bindings {
  const cached = bindingsCache.get(sourceFile);
  if (cached !== undefined) return cached;
  const bindings: Bindings = { functions: new Map(), modules: new Set() };
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === MODULE) {
      const named = statement.importClause?.namedBindings;
      if (statement.importClause?.name !== undefined) bindings.modules.add(statement.importClause.name.text);
      if (named !== undefined && ts.isNamespaceImport(named)) bindings.modules.add(named.name.text);
      if (named !== undefined && ts.isNamedImports(named)) {
        for (const element of named.elements) bindings.functions.set(element.name.text, (element.propertyName ?? element.name).text);
      }
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const required = statement.moduleReference.expression;
      if (ts.isStringLiteral(required) && required.text === MODULE) bindings.modules.add(statement.name.text);
    }
  }
  // `const { run } = require('graphile-worker')` or `= await import(...)`, at any depth.
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node)) bindRequire(bindings, node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  bindingsCache.set(sourceFile, bindings);
  return bindings;
}

function bindRequire(bindings: Bindings, declaration: ts.VariableDeclaration): void {
  const init = declaration.initializer === undefined ? undefined : unwrap(declaration.initializer);
  if (init === undefined || !isRequireOfModule(init)) return;
  if (ts.isIdentifier(declaration.name)) bindings.modules.add(declaration.name.text);
  else if (ts.isObjectBindingPattern(declaration.name)) {
    for (const element of declaration.name.elements) {
      const exported = element.propertyName ?? element.name;
      if (ts.isIdentifier(element.name) && ts.isIdentifier(exported)) bindings.functions.set(element.name.text, exported.text);
    }
  }
}

/** `run(...)` as imported, `worker.run(...)` on the module, `require('graphile-worker').run(...)`. */
function isEntryPoint(callee: ts.Expression, bindings: Bindings): boolean {
  if (ts.isIdentifier(callee)) {
    const exported = bindings.functions.get(callee.text);
    return exported !== undefined && ENTRY_POINTS.has(exported);
  }
  if (!ts.isPropertyAccessExpression(callee) || !ENTRY_POINTS.has(callee.name.text)) return false;
  const owner = unwrap(callee.expression);
  return (ts.isIdentifier(owner) && bindings.modules.has(owner.text)) || isRequireOfModule(owner);
}

/** `require('graphile-worker')` or `await import('graphile-worker')`. */
function isRequireOfModule(expression: ts.Expression): boolean {
  const call = ts.isAwaitExpression(expression) ? unwrap(expression.expression) : expression;
  if (!ts.isCallExpression(call)) return false;
  const loader = call.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(call.expression) && call.expression.text === 'require' && call === expression);
  const required = call.arguments[0];
  return loader && required !== undefined && ts.isStringLiteral(required) && required.text === MODULE;
}

/**
 * package.json scripts that run the worker (`graphile-worker -c "$DATABASE_URL" --crontab`,
 * `npx graphile-worker --schema-only`), each owning the schema its `--schema`/`-s` flag or
 * `GRAPHILE_WORKER_SCHEMA=` assignment names. Positions are where the script's text starts.
 */
function scriptRefs(_file: string, text: string): RuleRef[] {
  let scripts: unknown;
  try {
    scripts = (JSON.parse(text) as { scripts?: unknown }).scripts;
  } catch {
    return [];
  }
  if (typeof scripts !== 'object' || scripts === null) return [];
  const refs: RuleRef[] = [];
  for (const [name, command] of Object.entries(scripts)) {
    if (typeof command !== 'string' || !command.includes(MODULE)) continue;
    for (const segment of command.split(/&&|\|\||[;|&]/)) {
      const schema = cliSchema(segment.trim().split(/\s+/));
      if (schema === undefined) continue;
      const at = text.indexOf(JSON.stringify(command), text.indexOf(JSON.stringify(name)));
      refs.push(...ownedRefs(schema, at < 0 ? 0 : at + 1, `graphile-worker CLI (script ${name})`));
      break;
    }
  }
  return refs;
}

/** The schema one shell command runs graphile-worker on, or undefined when it does not run it. */
function cliSchema(words: string[]): string | undefined {
  const at = words.findIndex((word) => word === MODULE || word.endsWith(`/${MODULE}`) || word.endsWith(`/${MODULE}/dist/cli.js`));
  if (at < 0 || (at > 0 && NOT_A_RUN.has(words[at - 1]!))) return undefined;
  let schema: string | undefined;
  for (const word of words.slice(0, at)) {
    const assigned = /^GRAPHILE_WORKER_SCHEMA=(.+)$/.exec(word);
    if (assigned !== undefined && assigned !== null) schema = unquote(assigned[1]!);
  }
  const args = words.slice(at + 1);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if ((arg === '--schema' || arg === '-s') && args[i + 1] !== undefined) schema = unquote(args[i + 1]!);
    else if (arg.startsWith('--schema=')) schema = unquote(arg.slice('--schema='.length));
  }
  // `--schema "$WORKER_SCHEMA"` is only known when the script runs.
  return schema === undefined || schema.startsWith('$') ? DEFAULT_SCHEMA : schema;
}

function unquote(word: string): string {
  return word.replace(/^(['"])(.*)\1$/, '$2');
}
