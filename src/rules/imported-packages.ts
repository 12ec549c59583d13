import { ts } from 'ts-morph';
import { packageOfSpecifier } from './enable.js';

// Apart from enable.ts, which must stay free of the TypeScript compiler: a run whose files all
// come from the cache reads package.json files but parses no code.

/** Packages a file imports at its top level (`import`, `export ... from`, `require`, `import()` in declarations). */
export function importedPackages(sourceFile: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  const add = (node: ts.Node | undefined): void => {
    if (node !== undefined && ts.isStringLiteralLike(node)) {
      const pkg = packageOfSpecifier(node.text);
      if (pkg !== undefined) out.add(pkg);
    }
  };
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) add(statement.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      add(statement.moduleReference.expression);
    } else if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) add(requiredModule(decl.initializer));
    }
  }
  return out;
}

/** `require('knex')({...})`, `(await import('pg')).Pool`: the module specifier inside. */
function requiredModule(expression: ts.Expression | undefined): ts.Expression | undefined {
  let node = expression;
  while (node !== undefined) {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) return node.arguments[0];
      node = callee;
    } else if (ts.isPropertyAccessExpression(node) || ts.isAwaitExpression(node) || ts.isParenthesizedExpression(node)) {
      node = node.expression;
    } else return undefined;
  }
  return undefined;
}
