import { ts } from 'ts-morph';
import { objectProperty, stringValue, unwrap } from '../../src/rules/helpers.js';
import type { Rule, RuleFileContext, RuleMatch, RuleRef } from '../../src/rules/types.js';

/**
 * connect-pg-simple stores express sessions in a table it reads, writes and prunes itself from
 * node_modules. From its source at tag v10.0.0 (github.com/voxpelli/node-connect-pg-simple):
 * index.js uses `options.tableName` (default `session`) and `options.schemaName`, and
 * table.sql creates the columns `sid`, `sess` and `expire`. The rule reports them as
 * library-owned at `new (connectPgSimple(session))({...})` or at `new PgStore({...})` where
 * `PgStore = connectPgSimple(session)`.
 */
const MODULE = 'connect-pg-simple';
const COLUMNS = ['sid', 'sess', 'expire'];

const rule: Rule = {
  name: 'connect-pg-simple',
  enablers: [MODULE],
  meta: {
    docs: 'https://github.com/voxpelli/node-connect-pg-simple#readme',
    upstream: 'https://github.com/voxpelli/node-connect-pg-simple',
    sees: 'the express session table it owns (`session`, or `tableName`/`schemaName` given to the store)',
    defaultConfidence: 'high',
  },
  visitors: {
    NewExpression(node, ctx) {
      if (!ctx.sourceFile.text.includes(MODULE)) return undefined;
      const factory = importedFactory(ctx.sourceFile);
      if (!isStore(unwrap(node.expression), factory, ctx)) return undefined;
      return sessionTable(node, ctx);
    },
  },
};

export default rule;

function sessionTable(node: ts.NewExpression, ctx: RuleFileContext): RuleMatch {
  const options = node.arguments?.[0];
  const table = stringValue(objectProperty(options, 'tableName', ctx), ctx) ?? 'session';
  const schema = stringValue(objectProperty(options, 'schemaName', ctx), ctx);
  const relations = [{ table, ...(schema !== undefined ? { schema } : {}) }];
  const position = node.getStart(ctx.sourceFile);
  const owned = 'connect-pg-simple store';
  const refs: RuleRef[] = [];
  for (const role of ['read', 'write', 'delete'] as const) {
    refs.push({ kind: 'use', relations, role, position, owned });
    if (role !== 'delete') for (const name of COLUMNS) refs.push({ kind: 'use', relations, name, role, position, owned });
  }
  return { refs };
}

/**
 * `connectPgSimple(session)` or `require('connect-pg-simple')(session)` itself, or a name a
 * same-file `const` holds it in.
 */
function isStore(expression: ts.Expression, factory: string | undefined, ctx: RuleFileContext): boolean {
  if (ts.isCallExpression(expression)) {
    const callee = unwrap(expression.expression);
    return (ts.isIdentifier(callee) && callee.text === factory) || isRequireOfModule(callee);
  }
  if (!ts.isIdentifier(expression)) return false;
  const value = ctx.valueOf(expression.text, expression.getStart(ctx.sourceFile));
  return value !== undefined && isStore(unwrap(value), factory, ctx);
}

/** The local name of the module's default export (`import pgSession from 'connect-pg-simple'` or `require`). */
function importedFactory(sourceFile: ts.SourceFile): string | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === MODULE) {
      return statement.importClause?.name?.text;
    }
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer === undefined ? undefined : unwrap(declaration.initializer);
      if (init === undefined || !ts.isCallExpression(init) || !ts.isIdentifier(declaration.name)) continue;
      if (isRequireOfModule(init)) return declaration.name.text;
    }
  }
  return undefined;
}

function isRequireOfModule(expression: ts.Expression): boolean {
  if (!ts.isCallExpression(expression) || !ts.isIdentifier(expression.expression) || expression.expression.text !== 'require') return false;
  const required = expression.arguments[0];
  return required !== undefined && ts.isStringLiteral(required) && required.text === MODULE;
}
