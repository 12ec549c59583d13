import { describe, expect, it } from 'vitest';
import { scanTypeScript } from '../../src/scan/typescript.js';
import { describeRuleRef as describeRef } from '../../test/support/rule-refs.js';
import rule from './index.js';


const scan = (text: string, names: string[] = []) =>
  scanTypeScript('src/a.ts', text, false, { interestingNames: new Set(names), rules: [rule], packages: new Set(['drizzle-orm']) });
const refsOf = (text: string): string[] => scan(text).libraryRefs.map(({ ref }) => describeRef(ref));

const IMPORTS = "import { eq, desc, getTableColumns } from 'drizzle-orm';\nimport { users as u, posts, users } from './schema';\nimport * as schema from './schema';\n";

describe('table declarations', () => {
  it('maps the variable to the table and keys to explicit or derived columns', () => {
    const text = [
      "export const users = pgTable('users', {",
      "  id: serial('id').primaryKey(),",
      "  loyaltyTier: text('loyalty_tier').notNull(),",
      '  displayName: text(),',
      '});',
      "export const posts = pgTable('posts', (t) => ({ authorId: t.integer('author_id'), shippingNotes: t.text() }));",
      "const billing = pgSchema('billing');",
      "export const invoices = billing.table('invoices', { totalCents: integer() }).enableRLS();",
      'const createTable = pgTableCreator((name) => `shop_${name}`);',
      "export const carts = createTable('carts', { ...timestamps });",
      'const timestamps = {};',
    ].join('\n');
    expect(refsOf(text)).toEqual([
      'model:users=users',
      'field:users.id=id',
      'field:users.loyaltyTier=loyalty_tier',
      'field:users.displayName=?',
      'model:posts=posts',
      'field:posts.authorId=author_id',
      'field:posts.shippingNotes=?',
      'model:invoices=billing.invoices',
      'field:invoices.totalCents=?',
      'model:carts=shop_carts',
    ]);
    // The declaration's keys and strings are understood, not name matches.
    expect(scan(text, ['loyaltyTier', 'loyalty_tier', 'users']).mentions.filter((m) => m.coveredBy === undefined)).toEqual([]);
  });

  it('declares relation paths and the foreign key each relation joins on', () => {
    const text = [
      "export const users = pgTable('users', { id: serial('id') });",
      "export const posts = pgTable('posts', { id: serial('id'), authorId: integer('author_id'), bodyHtml: text('body') });",
      'export const usersRelations = relations(users, ({ many }) => ({ posts: many(posts) }));',
      'export const postsRelations = relations(posts, ({ one }) => ({ author: one(users, { fields: [posts.authorId], references: [users.id] }) }));',
    ].join('\n');
    expect(refsOf(text)).toEqual(
      expect.arrayContaining([
        'model:users.posts=posts',
        // A non-derivable column name travels with the path.
        'field:users.posts.bodyHtml=body',
        'field:users.posts.posts=author_id',
        'field:posts.author=author_id',
        'model:posts.author=users',
      ]),
    );
  });
});

describe('query builder chains', () => {
  it('reads table.key accesses and every column of select() over each joined table', () => {
    expect(refsOf(`${IMPORTS}await db.select().from(u).innerJoin(posts, eq(posts.authorId, u.id)).where(eq(u.loyaltyTier, 'gold'));`)).toEqual([
      'read:users',
      'read:posts',
      'read:posts.authorId',
      'read:users.id',
      'read:users.loyaltyTier',
      'wildcard:users',
      'wildcard:posts',
    ]);
    expect(refsOf(`${IMPORTS}await db.select({ tier: schema.users.loyaltyTier, author: posts }).from(schema.users).orderBy(desc(schema.users.createdAt));`)).toEqual([
      'read:users.loyaltyTier',
      'wildcard:posts',
      'read:users',
      'read:users.createdAt',
    ]);
  });

  it('writes the keys of values() and set(); returning() without fields reads every column', () => {
    expect(refsOf(`${IMPORTS}await tx.insert(users).values([{ loyaltyTier, displayName: name }]).onConflictDoUpdate({ target: users.email, set: { loyaltyTier } }).returning();`)).toEqual([
      'write:users',
      'write:users.loyaltyTier',
      'write:users.displayName',
      'read:users.email',
      'write:users.loyaltyTier',
      'wildcard:users',
    ]);
    expect(refsOf(`${IMPORTS}await db.update(users).set({ loyaltyTier: 'gold' }).where(eq(users.id, id)).returning({ id: users.id });`)).toEqual([
      'write:users',
      'write:users.loyaltyTier',
      'read:users.id',
      'read:users.id',
    ]);
    expect(refsOf(`${IMPORTS}await db.delete(posts).where(eq(posts.authorId, id));`)).toEqual(['delete:posts', 'read:posts.authorId']);
  });

  it('reads a subquery once, from its own chain', () => {
    const text = `${IMPORTS}await db.select({ id: users.id }).from(users).where(inArray(users.id, db.select({ a: posts.authorId }).from(posts)));`;
    expect(refsOf(text).sort()).toEqual(['read:posts', 'read:posts.authorId', 'read:users', 'read:users.id', 'read:users.id'].sort());
  });

  it('treats getTableColumns as every column, and ignores look-alikes', () => {
    expect(refsOf(`${IMPORTS}await db.select({ ...getTableColumns(users) }).from(users);`)).toEqual(['read:users', 'wildcard:users']);
    expect(refsOf(`${IMPORTS}cache.delete(token); map.update(users);`)).toEqual([]);
    // Not Drizzle: nothing understood, so nothing covered either.
    const knex = scan(`${IMPORTS}await knex.select('loyalty_tier').from('users');`, ['loyalty_tier']);
    expect(knex.libraryRefs).toEqual([]);
    expect(knex.mentions.filter((m) => m.coveredBy === undefined).map((m) => m.kind)).toEqual(['string']);
  });

  it('declares a view, and does not count its definition as a use', () => {
    expect(refsOf(`${IMPORTS}export const active = pgView('active_users').as((qb) => qb.select().from(users).where(eq(users.loyaltyTier, 'gold')));`)).toEqual([
      'model:active=active_users',
    ]);
  });
});

describe('relational queries', () => {
  it('reads picked columns, every column without columns, and follows with through relation paths', () => {
    const text = `${IMPORTS}await db.query.users.findMany({
      columns: { loyaltyTier: true },
      where: (t, { eq }) => eq(t.displayName, name),
      with: { posts: { columns: { id: false }, with: { author: true, tags: { with: { label: true } } } } },
    });`;
    expect(refsOf(text)).toEqual([
      'read:users',
      'read:users.loyaltyTier',
      'read:users.displayName',
      'read:users|users.posts.posts',
      'wildcard:users.posts',
      'read:users.posts|users.posts.author.author',
      'wildcard:users.posts.author',
      'read:users.posts|users.posts.tags.tags',
      'wildcard:users.posts.tags',
      // Past the declared depth a relation is named by its key.
      'read:users.posts.tags|label.label',
      'wildcard:label',
    ]);
  });

  it('covers the query: column keys are understood, not name matches', () => {
    const result = scan(`${IMPORTS}await db.query.users.findFirst({ columns: { loyaltyTier: true } });`, ['loyaltyTier']);
    expect(result.mentions.filter((m) => m.coveredBy === undefined)).toEqual([]);
  });
});
