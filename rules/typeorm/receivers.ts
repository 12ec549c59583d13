import { ts } from 'ts-morph';
import { accessPath, decoratorsOf, propertyNameText, stringValue, unwrap } from '../../src/rules/helpers.js';
import type { RuleFileContext } from '../../src/rules/types.js';

/** Calls that return the repository of the entity in their first argument. */
export const REPOSITORY_GETTERS = new Set(['getRepository', 'getTreeRepository', 'getMongoRepository']);
const REPOSITORY_TYPES = new Set(['Repository', 'TreeRepository', 'MongoRepository']);
/** Globals whose static methods share names with ActiveRecord's (`Object.create`, `Array.from`). */
const NOT_ENTITIES = new Set([
  'Object', 'Array', 'Promise', 'JSON', 'Math', 'Reflect', 'Date', 'Number', 'String', 'Symbol', 'Map', 'Set',
  'WeakMap', 'WeakSet', 'Buffer', 'Intl', 'BigInt', 'Boolean', 'Error', 'RegExp', 'Proxy', 'URL', 'DataSource',
  'EntityManager', 'AppDataSource', 'Repository',
]);
const MAX_DEPTH = 4;

/** `User`, `'User'`, `entities.User`: an entity target argument, by name. */
export function entityName(expression: ts.Expression | undefined, ctx: RuleFileContext): string | undefined {
  if (expression === undefined) return undefined;
  const expr = unwrap(expression);
  if (ts.isIdentifier(expr)) return /^[A-Z]/.test(expr.text) && !NOT_ENTITIES.has(expr.text) ? expr.text : undefined;
  if (ts.isPropertyAccessExpression(expr) && /^[A-Z]/.test(expr.name.text)) return expr.name.text;
  return stringValue(expr, ctx);
}

/** An entity class used as the receiver of ActiveRecord statics (`User.findOneBy(...)`). */
export function activeRecordEntity(expression: ts.Expression): string | undefined {
  const expr = unwrap(expression);
  return ts.isIdentifier(expr) && /^[A-Z][a-z]/.test(expr.text) && !NOT_ENTITIES.has(expr.text) ? expr.text : undefined;
}

/**
 * The entity a repository expression serves: `dataSource.getRepository(User)`, a same-file
 * constant or typed parameter holding one, `this.users` declared as `Repository<User>` or
 * `@InjectRepository(User)`, `this` inside `class X extends Repository<User>`. As a last resort
 * a name ending in Repository/Repo (`userRepository` → `user`), which the core matches against
 * declared entities and then table names.
 */
export function repositoryEntity(expression: ts.Expression, ctx: RuleFileContext, depth = 0, found?: { guessed: boolean }): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const byName = (name: string): string | undefined => {
    const guess = nameGuess(name);
    if (guess !== undefined && found !== undefined) found.guessed = true;
    return guess;
  };
  const expr = unwrap(ts.isAwaitExpression(unwrap(expression)) ? (unwrap(expression) as ts.AwaitExpression).expression : expression);
  if (ts.isCallExpression(expr)) {
    const callee = unwrap(expr.expression);
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
    if (method !== undefined && REPOSITORY_GETTERS.has(method)) return entityName(expr.arguments[0], ctx);
    // `getRepository(User).extend({...})` and `manager.withRepository(userRepository)`.
    if (method === 'extend' && ts.isPropertyAccessExpression(callee)) return repositoryEntity(callee.expression, ctx, depth + 1);
    if (method === 'withRepository' && expr.arguments[0] !== undefined) return repositoryEntity(expr.arguments[0], ctx, depth + 1);
    return undefined;
  }
  if (expr.kind === ts.SyntaxKind.ThisKeyword) return extendedRepository(enclosingClass(expr));
  if (ts.isIdentifier(expr)) {
    const value = ctx.valueOf(expr.text, expr.getStart(ctx.sourceFile));
    const fromValue = value !== undefined && unwrap(value) !== expr ? repositoryEntity(value, ctx, depth + 1, found) : undefined;
    return fromValue ?? typedInScope(expr, ctx) ?? byName(expr.text);
  }
  if (ts.isPropertyAccessExpression(expr)) {
    if (unwrap(expr.expression).kind === ts.SyntaxKind.ThisKeyword) {
      const fromClass = classMember(enclosingClass(expr), expr.name.text, ctx, depth);
      if (fromClass !== undefined) return fromClass;
    }
    return byName(expr.name.text);
  }
  return undefined;
}

function nameGuess(name: string): string | undefined {
  const match = /^(.+?)(?:Repository|Repo)$/i.exec(name);
  return match?.[1] !== undefined && /^[A-Za-z]/.test(match[1]) ? match[1] : undefined;
}

/** `Repository<User>` → `User`. */
function repositoryType(type: ts.TypeNode | undefined): string | undefined {
  if (type === undefined || !ts.isTypeReferenceNode(type)) return undefined;
  const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
  const argument = type.typeArguments?.[0];
  if (!REPOSITORY_TYPES.has(name) || argument === undefined || !ts.isTypeReferenceNode(argument)) return undefined;
  return ts.isIdentifier(argument.typeName) ? argument.typeName.text : argument.typeName.right.text;
}

function injected(node: ts.Node, ctx: RuleFileContext): string | undefined {
  const decorator = decoratorsOf(node).find((d) => d.name === 'InjectRepository');
  return decorator === undefined ? undefined : entityName(decorator.args[0], ctx);
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (ts.isClassDeclaration(current) || ts.isClassExpression(current)) return current;
  }
  return undefined;
}

function extendedRepository(cls: ts.ClassLikeDeclaration | undefined): string | undefined {
  const base = cls?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (base === undefined || !ts.isIdentifier(base.expression) || !REPOSITORY_TYPES.has(base.expression.text)) return undefined;
  const argument = base.typeArguments?.[0];
  return argument !== undefined && ts.isTypeReferenceNode(argument) && ts.isIdentifier(argument.typeName) ? argument.typeName.text : undefined;
}

/** A class property or constructor parameter property: its type, `@InjectRepository`, or initializer. */
function classMember(cls: ts.ClassLikeDeclaration | undefined, name: string, ctx: RuleFileContext, depth: number): string | undefined {
  if (cls === undefined) return undefined;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && propertyNameText(member.name) === name) {
      const found = injected(member, ctx) ?? repositoryType(member.type) ?? (member.initializer && repositoryEntity(member.initializer, ctx, depth + 1));
      if (found !== undefined) return found;
    }
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (!ts.isIdentifier(parameter.name) || parameter.name.text !== name) continue;
        const found = injected(parameter, ctx) ?? repositoryType(parameter.type);
        if (found !== undefined) return found;
      }
      // `this.users = dataSource.getRepository(User)` in the constructor body.
      for (const statement of member.body?.statements ?? []) {
        if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
        const { left, operatorToken, right } = statement.expression;
        const path = accessPath(left);
        if (operatorToken.kind === ts.SyntaxKind.EqualsToken && path?.length === 2 && path[0] === 'this' && path[1] === name) {
          const found = repositoryEntity(right, ctx, depth + 1);
          if (found !== undefined) return found;
        }
      }
    }
  }
  return undefined;
}

/** A parameter or variable of the enclosing scopes declared as `Repository<User>`. */
function typedInScope(identifier: ts.Identifier, ctx: RuleFileContext): string | undefined {
  const name = identifier.text;
  for (let scope: ts.Node | undefined = identifier.parent; scope !== undefined; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      for (const parameter of scope.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name) return injected(parameter, ctx) ?? repositoryType(parameter.type);
      }
    }
    if (ts.isBlock(scope) || ts.isSourceFile(scope)) {
      for (const statement of scope.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.type !== undefined) return repositoryType(declaration.type);
        }
      }
    }
  }
  return undefined;
}
