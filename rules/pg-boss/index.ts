import { ts } from 'ts-morph';
import { objectProperty, resolveObject, stringValue, unwrap } from '../../src/rules/helpers.js';
import type { Rule, RuleFileContext, RuleMatch, RuleRef } from '../../src/rules/types.js';
import { DEFAULT_SCHEMA, TABLES } from './tables.js';

/**
 * pg-boss keeps its job queue in a schema of its own (`pgboss`, or the `schema` constructor
 * option) and creates, reads, writes and prunes those tables itself from node_modules, where no
 * scan looks. This rule is a declarative pack (tables.ts, read from the library's source at tag
 * 12.27.0, covering majors 11 and 12): at `new PgBoss(connectionString)` or
 * `new PgBoss({ schema, ... })` it reports every table and column pg-boss owns in that schema as
 * read and written by the library (`library-owned` evidence). The class is recognised as the
 * default or named `PgBoss` import of `pg-boss`, a namespace import, or `require('pg-boss')`.
 * A `schema` the rule cannot read statically (`process.env.X` without a `?? 'fallback'`, an
 * options object from another module) is taken as the default schema.
 */
const MODULE = 'pg-boss';
const CLASS = 'PgBoss';

const rule: Rule = {
  name: 'pg-boss',
  enablers: [MODULE],
  meta: {
    docs: 'https://pgboss.io/api/constructor',
    upstream: 'https://github.com/timgit/pg-boss',
    sees: 'the job-queue tables it owns (`pgboss.job`, `queue`, `schedule`, `version`, ...; or the `schema` constructor option) at `new PgBoss(...)`',
    defaultConfidence: 'high',
  },
  visitors: {
    NewExpression(node, ctx) {
      if (!ctx.sourceFile.text.includes(MODULE)) return undefined;
      if (!isPgBoss(unwrap(node.expression), bindingsOf(ctx.sourceFile))) return undefined;
      return ownedSchema(node, ctx);
    },
  },
};

export default rule;

/** Every table and column pg-boss owns, in the schema this instance is configured with. */
function ownedSchema(node: ts.NewExpression, ctx: RuleFileContext): RuleMatch {
  const schema = configuredSchema(node.arguments?.[0], ctx) ?? DEFAULT_SCHEMA;
  const position = node.getStart(ctx.sourceFile);
  const owned = 'pg-boss';
  const refs: RuleRef[] = [];
  for (const [table, columns] of Object.entries(TABLES)) {
    const relations = [{ table, schema }];
    for (const role of ['read', 'write', 'delete'] as const) refs.push({ kind: 'use', relations, role, position, owned });
    for (const name of columns) for (const role of ['read', 'write'] as const) refs.push({ kind: 'use', relations, name, role, position, owned });
  }
  return { refs };
}

/**
 * The `schema` option as the database spells it: pg-boss folds a bare name to lower case and
 * takes a name the app quoted itself (`'"My-Schema"'`) as written (src/tools.ts
 * resolveSchemaName at 12.27.0). A connection string, or no `schema`, is the default.
 */
function configuredSchema(argument: ts.Expression | undefined, ctx: RuleFileContext): string | undefined {
  if (argument === undefined || resolveObject(argument, ctx) === undefined) return undefined;
  const name = staticString(objectProperty(argument, 'schema', ctx), ctx);
  if (name === undefined) return undefined;
  return /^".*"$/.test(name) ? name.slice(1, -1) : name.toLowerCase();
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
  /** Local names of the class. */
  classes: Set<string>;
  /** Local names of the module object (`import * as boss`, `const boss = require('pg-boss')`). */
  modules: Set<string>;
}

const bindingsCache = new WeakMap<ts.SourceFile, Bindings>();

/** The names a file binds pg-boss's class and module to, from its imports and requires. */
function bindingsOf(sourceFile: ts.SourceFile): Bindings {
  const cached = bindingsCache.get(sourceFile);
  if (cached !== undefined) return cached;
  const bindings: Bindings = { classes: new Set(), modules: new Set() };
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === MODULE) {
      const clause = statement.importClause;
      if (clause?.name !== undefined) bindings.classes.add(clause.name.text);
      const named = clause?.namedBindings;
      if (named !== undefined && ts.isNamespaceImport(named)) bindings.modules.add(named.name.text);
      if (named !== undefined && ts.isNamedImports(named)) {
        for (const element of named.elements) if (isClassExport((element.propertyName ?? element.name).text)) bindings.classes.add(element.name.text);
      }
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const required = statement.moduleReference.expression;
      if (ts.isStringLiteral(required) && required.text === MODULE) addModuleName(bindings, statement.name.text);
    }
  }
  // `require` and `await import()` may sit in a function (an ESM-only v12 loaded from CommonJS).
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node)) bindRequire(bindings, node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  bindingsCache.set(sourceFile, bindings);
  return bindings;
}

/**
 * `const PgBoss = require('pg-boss')`, `const { PgBoss } = require(...)` or `= await import(...)`,
 * `const PgBoss = require(...).PgBoss`.
 */
function bindRequire(bindings: Bindings, declaration: ts.VariableDeclaration): void {
  const init = declaration.initializer === undefined ? undefined : unwrap(declaration.initializer);
  if (init === undefined) return;
  if (isRequireOfModule(init)) {
    if (ts.isIdentifier(declaration.name)) addModuleName(bindings, declaration.name.text);
    else if (ts.isObjectBindingPattern(declaration.name)) {
      for (const element of declaration.name.elements) {
        const exported = element.propertyName ?? element.name;
        if (ts.isIdentifier(element.name) && ts.isIdentifier(exported) && isClassExport(exported.text)) bindings.classes.add(element.name.text);
      }
    }
  } else if (ts.isPropertyAccessExpression(init) && isRequireOfModule(unwrap(init.expression)) && isClassExport(init.name.text) && ts.isIdentifier(declaration.name)) {
    bindings.classes.add(declaration.name.text);
  }
}

/** Up to 11 the module is the class (CommonJS); from 12 it exports `PgBoss`: a module name may be either. */
function addModuleName(bindings: Bindings, name: string): void {
  bindings.classes.add(name);
  bindings.modules.add(name);
}

function isClassExport(name: string): boolean {
  return name === CLASS || name === 'default';
}

function isPgBoss(expression: ts.Expression, bindings: Bindings): boolean {
  if (ts.isIdentifier(expression)) return bindings.classes.has(expression.text);
  if (isRequireOfModule(expression)) return true;
  if (ts.isPropertyAccessExpression(expression) && isClassExport(expression.name.text)) {
    const owner = unwrap(expression.expression);
    return (ts.isIdentifier(owner) && bindings.modules.has(owner.text)) || isRequireOfModule(owner);
  }
  return false;
}

/** `require('pg-boss')`, or `await import('pg-boss')` (whose module object has `PgBoss` and `default`). */
function isRequireOfModule(expression: ts.Expression): boolean {
  const call = ts.isAwaitExpression(expression) ? unwrap(expression.expression) : expression;
  if (!ts.isCallExpression(call)) return false;
  const loader = call.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(call.expression) && call.expression.text === 'require' && call === expression);
  const required = call.arguments[0];
  return loader && required !== undefined && ts.isStringLiteral(required) && required.text === MODULE;
}
