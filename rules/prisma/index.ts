import type { Rule } from '../../src/rules/types.js';
import { prismaCall } from './client.js';
import { prismaSchemaRefs } from './declarations.js';

/**
 * Prisma: schema.prisma declares models (`@@map`, `@@schema`) and scalar fields (`@map`);
 * relation fields are not columns. Client calls `<client>.<model>.<method>(...)` read the
 * keys of `select`, `where`, `orderBy`, `distinct`, `by` and aggregates, write the keys of
 * `data`/`create`/`update` (nested relation writes write the related model), and read every
 * scalar column when a row-returning call has no `select` (`findMany()`, `create`, `include`).
 * `$queryRaw`/`$executeRaw` and `Prisma.sql` templates are SQL the core parses itself.
 */
const rule: Rule = {
  name: 'prisma',
  enablers: ['prisma', '@prisma/client'],
  // A model delegate call with an argument object; `db.query.x.findMany` is Drizzle's. Only
  // methods no other ORM has: Sequelize models also have `upsert` (crowd.dev's
  // `options.database.customViewOrder.upsert({...}, { transaction })`).
  callShape: /\b(?!query\.)\w+\.\w+\.(?:findMany|findFirst|findUnique|findFirstOrThrow|findUniqueOrThrow|createMany)\(\s*\{/,
  meta: {
    docs: 'https://www.prisma.io/docs/orm/reference/prisma-client-reference',
    upstream: 'https://github.com/prisma/prisma',
    sees: 'schema.prisma models and @map/@@map; client select/where/data/include, findMany() as every column',
    defaultConfidence: 'high',
  },
  projectFiles: {
    patterns: ['**/*.prisma'],
    scan: (_file, text) => prismaSchemaRefs(text),
  },
  visitors: {
    // One delegate call is one query; `.then()` after it does not matter, so no chain-top check.
    CallExpression: prismaCall,
  },
};

export default rule;
