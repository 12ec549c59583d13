import { ts } from 'ts-morph';
import { objectEntries, objectProperty, stringValue, unwrap } from '../../src/rules/helpers.js';
import type { Rule, RuleFileContext, RuleMatch } from '../../src/rules/types.js';
import { SEQUELIZE_ADAPTER } from '../_shared/authjs.js';
import { calleeModule, mentionsModule } from '../_shared/imports.js';
import { exportedName, sequelizeModels } from '../_shared/orm-models.js';
import { ownedRefs, READ_WRITE_DELETE, type OwnedTable } from '../_shared/owned.js';

/**
 * @auth/sequelize-adapter (and @next-auth/sequelize-adapter) defines or takes the Auth.js
 * Sequelize models and queries them from node_modules. Read from github.com/nextauthjs/next-auth
 * at tag `@auth/sequelize-adapter@2.11.3`: packages/adapter-sequelize/src/index.ts (the default
 * `client.define(...)` calls with `{ underscored: true, timestamps: false }` and every model
 * call) and src/models.ts (the attributes); `@next-auth/sequelize-adapter@1.0.8` has the same
 * models and calls. The lists are in rules/_shared/authjs.ts.
 *
 * At `SequelizeAdapter(sequelize, { models: { User, Account, Session, VerificationToken } })`
 * each model the app passes (a `sequelize.define(...)` inline or in a const, a `Model.init`
 * class, a sequelize-typescript `@Table` class) is named as the sequelize rule names it; this
 * rule borrows those declarations (rules/_shared/orm-models.ts). The Auth.js attributes are read,
 * written and deleted by the library (`library-owned`), and finders without `attributes` read
 * every other attribute of a custom model (wildcard). A model not passed is the default one:
 * `users`, `accounts`, `sessions`, `verification_tokens` with snake_case columns.
 */
const MODULES = ['@auth/sequelize-adapter', '@next-auth/sequelize-adapter'] as const;

const rule: Rule = {
  name: '@auth/sequelize-adapter',
  enablers: [...MODULES],
  meta: {
    docs: 'https://authjs.dev/getting-started/adapters/sequelize',
    upstream: 'https://github.com/nextauthjs/next-auth/tree/main/packages/adapter-sequelize',
    sees: 'the Auth.js models at `SequelizeAdapter(sequelize, { models })`: the app\'s models (borrowed sequelize declarations), else `users`/`accounts`/`sessions`/`verification_tokens`',
    defaultConfidence: 'high',
  },
  visitors: {
    CallExpression(node, ctx) {
      if (mentionsModule(ctx.sourceFile, MODULES)) {
        const module = calleeModule(node.expression, ctx.sourceFile, MODULES, 'default');
        if (module !== undefined) return adapterTables(node, module, ctx);
      }
      return sequelizeModels(node, ctx);
    },
    ClassDeclaration: (node, ctx) => sequelizeModels(node, ctx),
  },
};

export default rule;

function adapterTables(call: ts.CallExpression, module: string, ctx: RuleFileContext): RuleMatch {
  const models = new Map(objectEntries(objectProperty(call.arguments[1], 'models', ctx), ctx).map((e) => [e.key, e.value]));
  const tables: OwnedTable[] = SEQUELIZE_ADAPTER.map(({ key, tables: defaults, columns }) => {
    const model = modelOf(models.get(key), ctx);
    return model === undefined
      ? { relations: defaults.map((table) => ({ table })), columns, roles: READ_WRITE_DELETE }
      : { relations: [{ model }], columns, roles: READ_WRITE_DELETE, wildcard: true };
  });
  return { refs: ownedRefs(tables, module, call.getStart(ctx.sourceFile)) };
}

/** `User` (a const or class), `db.User`, or an inline `sequelize.define('user', ...)`. */
function modelOf(expression: ts.Expression | undefined, ctx: RuleFileContext): string | undefined {
  if (expression === undefined) return undefined;
  const expr = unwrap(expression);
  if (ts.isCallExpression(expr)) {
    const callee = unwrap(expr.expression);
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'define' ? stringValue(expr.arguments[0], ctx) : undefined;
  }
  return exportedName(expr, ctx.sourceFile);
}
