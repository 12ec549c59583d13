import { ts } from 'ts-morph';
import { unwrap } from '../../src/rules/helpers.js';

/**
 * How a file binds one export of a library: the local names that hold it (`import { X as Y }`,
 * a default import, `const { X } = require(...)`) and the namespaces it is a member of
 * (`import * as m` → `m.X`). Shared by the packs under rules/ that trigger at one library call
 * (an adapter constructor or factory); `_shared` is not a rule folder (rules/_tools skips it).
 */
export interface ImportedBinding {
  /** The module specifier it came from (`@auth/prisma-adapter`, or a legacy name). */
  module: string;
  locals: Set<string>;
  namespaces: Set<string>;
}

const cache = new WeakMap<ts.SourceFile, Map<string, ImportedBinding[]>>();

/** Every binding of `exported` (`'default'` for the default export) from one of `modules`. */
export function importedBindings(sourceFile: ts.SourceFile, modules: readonly string[], exported: string): ImportedBinding[] {
  const key = `${modules.join('\0')}\0\0${exported}`;
  let perFile = cache.get(sourceFile);
  if (perFile === undefined) {
    perFile = new Map();
    cache.set(sourceFile, perFile);
  }
  const cached = perFile.get(key);
  if (cached !== undefined) return cached;
  const found = new Map<string, ImportedBinding>();
  const binding = (module: string): ImportedBinding => {
    let out = found.get(module);
    if (out === undefined) {
      out = { module, locals: new Set(), namespaces: new Set() };
      found.set(module, out);
    }
    return out;
  };
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && modules.includes(statement.moduleSpecifier.text)) {
      const module = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause === undefined) continue;
      if (clause.name !== undefined && exported === 'default') binding(module).locals.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) binding(module).namespaces.add(bindings.name.text);
      else if (bindings !== undefined) {
        for (const element of bindings.elements) {
          if ((element.propertyName ?? element.name).text === exported) binding(module).locals.add(element.name.text);
        }
      }
      continue;
    }
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const module = requiredModule(declaration.initializer);
      if (module === undefined || !modules.includes(module)) continue;
      const name = declaration.name;
      // `const PostgresAdapter = require('@auth/pg-adapter')` is the CommonJS default; `const m = require(...)` with a named export is a namespace.
      if (ts.isIdentifier(name)) binding(module)[exported === 'default' ? 'locals' : 'namespaces'].add(name.text);
      else if (ts.isObjectBindingPattern(name)) {
        for (const element of name.elements) {
          const property = element.propertyName ?? element.name;
          if (ts.isIdentifier(property) && property.text === exported && ts.isIdentifier(element.name)) binding(module).locals.add(element.name.text);
        }
      }
    }
  }
  const out = [...found.values()];
  perFile.set(key, out);
  return out;
}

/** `require('m')` (possibly `.default`): the module name. */
function requiredModule(expression: ts.Expression | undefined): string | undefined {
  let expr = expression === undefined ? undefined : unwrap(expression);
  if (expr !== undefined && ts.isPropertyAccessExpression(expr) && expr.name.text === 'default') expr = unwrap(expr.expression);
  if (expr === undefined || !ts.isCallExpression(expr) || !ts.isIdentifier(expr.expression) || expr.expression.text !== 'require') return undefined;
  const arg = expr.arguments[0];
  return arg !== undefined && ts.isStringLiteralLike(arg) ? arg.text : undefined;
}

/**
 * The module a callee was imported from when it is the library's `exported` function or class
 * (`PrismaAdapter`, `auth.PrismaAdapter`, `new NodePostgresAdapter`), else undefined.
 */
export function calleeModule(callee: ts.Expression, sourceFile: ts.SourceFile, modules: readonly string[], exported: string): string | undefined {
  const expr = unwrap(callee);
  let local: string | undefined;
  let namespace: string | undefined;
  if (ts.isIdentifier(expr)) local = expr.text;
  else if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression) && expr.name.text === exported) namespace = expr.expression.text;
  else return undefined;
  for (const binding of importedBindings(sourceFile, modules, exported)) {
    if (local !== undefined && binding.locals.has(local)) return binding.module;
    if (namespace !== undefined && binding.namespaces.has(namespace)) return binding.module;
  }
  return undefined;
}

/** True when the file mentions one of the modules at all (a cheap test before any walking). */
export function mentionsModule(sourceFile: ts.SourceFile, modules: readonly string[]): boolean {
  return modules.some((module) => sourceFile.text.includes(module));
}
