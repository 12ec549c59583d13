import { ts } from 'ts-morph';
import { tableCandidates } from '../../src/names/case.js';
import { listElements, objectEntries, objectProperty, stringValue, unwrap } from '../../src/rules/helpers.js';
import type { Rule, RuleFileContext, RuleMatch, RuleRef } from '../../src/rules/types.js';
import { CORE, PLUGIN_FEATURES, RATE_LIMIT, type Feature } from './tables.js';

/**
 * better-auth owns its tables: it reads and writes `user`, `session`, `account`, `verification`
 * and each enabled plugin's tables from node_modules, where no scan looks. This rule is a
 * declarative pack (tables.ts, read from the library's source): at the `betterAuth({...})` call
 * it reports every owned table and column as read and written by the library (`library-owned`
 * evidence naming the feature), for the core and for each plugin in `plugins: [...]`. Tables are
 * found the way the app configures them: `user: { modelName, fields }`, the adapter's
 * `usePlural`, else better-auth's model name in the usual spellings (`user`, `users`).
 */
const rule: Rule = {
  name: 'better-auth',
  enablers: ['better-auth'],
  callShape: /\bbetterAuth\(\s*\{/,
  meta: {
    docs: 'https://www.better-auth.com/docs/concepts/database',
    upstream: 'https://github.com/better-auth/better-auth',
    sees: 'tables better-auth and its plugins own (core, organization, passkey, twoFactor, admin, username, jwt, apiKey, ...), with `modelName`/`fields`/`usePlural`',
    defaultConfidence: 'high',
  },
  visitors: {
    CallExpression(node, ctx) {
      const callee = unwrap(node.expression);
      if (!ts.isIdentifier(callee) || callee.text !== 'betterAuth' || importedFrom(ctx.sourceFile, 'betterAuth') !== 'better-auth') return undefined;
      return ownedTables(node, ctx);
    },
  },
};

export default rule;

/** Everything the configured instance owns, as library reads and writes at the call. */
function ownedTables(call: ts.CallExpression, ctx: RuleFileContext): RuleMatch {
  const options = call.arguments[0];
  const position = call.getStart(ctx.sourceFile);
  const usePlural = adapterUsesPlural(objectProperty(options, 'database', ctx), ctx);
  const features: Feature[] = [CORE];
  const rateLimit = objectProperty(options, 'rateLimit', ctx);
  if (stringValue(objectProperty(rateLimit, 'storage', ctx), ctx) === 'database') features.push(RATE_LIMIT);
  for (const plugin of listElements(objectProperty(options, 'plugins', ctx))) {
    const pluginCall = unwrap(plugin);
    if (!ts.isCallExpression(pluginCall)) continue;
    const name = unwrap(pluginCall.expression);
    if (!ts.isIdentifier(name)) continue;
    const imported = importedName(ctx.sourceFile, name.text);
    const feature = PLUGIN_FEATURES.find((f) => f.name === imported?.name && f.from?.test(imported.module));
    if (feature !== undefined) features.push(feature);
  }
  const refs: RuleRef[] = [];
  for (const feature of features) {
    const owner = `better-auth ${feature.name === 'core' ? 'core' : `${feature.name}()`}`;
    for (const { model, fields } of feature.models) {
      const config = objectProperty(options, model, ctx);
      const modelName = stringValue(objectProperty(config, 'modelName', ctx), ctx);
      const renamed = new Map(objectEntries(objectProperty(config, 'fields', ctx), ctx).map((e) => [e.key, stringValue(e.value, ctx)]));
      const tables = modelName !== undefined ? [modelName] : usePlural ? [`${model}s`, ...tableCandidates(`${model}s`)] : tableCandidates(model);
      const relations = [...new Set(tables)].map((table) => ({ table }));
      for (const role of ['read', 'write'] as const) {
        refs.push({ kind: 'use', relations, role, position, owned: owner });
        for (const field of fields) refs.push({ kind: 'use', relations, name: renamed.get(field) ?? field, role, position, owned: owner });
      }
    }
  }
  return { refs };
}

/** `drizzleAdapter(db, { usePlural: true })`, `prismaAdapter(prisma, { usePlural: true })`. */
function adapterUsesPlural(database: ts.Expression | undefined, ctx: RuleFileContext): boolean {
  const adapter = database === undefined ? undefined : unwrap(database);
  if (adapter === undefined || !ts.isCallExpression(adapter)) return false;
  const flag = objectProperty(adapter.arguments[1], 'usePlural', ctx);
  return flag !== undefined && unwrap(flag).kind === ts.SyntaxKind.TrueKeyword;
}

/** The module and exported name a local identifier is imported as. */
function importedName(sourceFile: ts.SourceFile, local: string): { module: string; name: string } | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings === undefined || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      if (element.name.text === local) return { module: statement.moduleSpecifier.text, name: (element.propertyName ?? element.name).text };
    }
  }
  return undefined;
}

function importedFrom(sourceFile: ts.SourceFile, local: string): string | undefined {
  return importedName(sourceFile, local)?.module;
}
