import { describe, expect, it } from 'vitest';
import { scanTypeScript } from '../../src/scan/typescript.js';
import { describeRuleRef as describeRef } from '../../test/support/rule-refs.js';
import { prismaSchemaRefs } from './declarations.js';
import rule from './index.js';


const scan = (text: string, names: string[] = []) =>
  scanTypeScript('src/a.ts', text, false, { interestingNames: new Set(names), rules: [rule], packages: new Set(['@prisma/client']) });
const refsOf = (text: string): string[] => scan(text).libraryRefs.map(({ ref }) => describeRef(ref));

const SCHEMA = `
generator client { provider = "prisma-client-js" }

model User {
  id          Int      @id @default(autoincrement())
  email       String   @unique // a "quoted } brace" in a comment
  loyaltyTier String?  @map(name: "loyalty_tier")
  role        Role     @default(MEMBER)
  posts       Post[]
  profile     Profile?
  @@map("users")
}

model Post {
  id       Int    @id
  authorId Int    @map("author_id")
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)
  tags     Tag[]
  @@map("posts")
  @@schema("blog")
}

model Profile {
  id     Int  @id
  userId Int  @unique @map("user_id")
  user   User @relation(fields: [userId], references: [id])
}

model Tag {
  id    Int    @id
  posts Post[]
}

enum Role {
  MEMBER
  ADMIN
}
`;

describe('schema.prisma declarations', () => {
  const refs = prismaSchemaRefs(SCHEMA).map(describeRef);

  it('maps models, @@map, @@schema and @map; relation fields are not columns, enum fields are', () => {
    expect(refs).toEqual(
      expect.arrayContaining([
        'model:User=users',
        'field:User.email=email',
        'field:User.loyaltyTier=loyalty_tier',
        'field:User.role=role',
        'model:Post=blog.posts',
        'model:Tag=Tag',
      ]),
    );
    expect(refs).not.toContain('field:User.posts=posts');
    expect(refs).not.toContain('field:User.profile=profile');
  });

  it('maps a relation name to the foreign key it joins on, on either side', () => {
    // Forward side: `post.author` is read through posts.author_id.
    expect(refs).toContain('field:Post.author=author_id');
    // Back side: `user.posts` names posts.author_id on the relation path's table.
    expect(refs).toContain('model:User.posts=blog.posts');
    expect(refs).toContain('field:User.posts.posts=author_id');
    expect(refs).toContain('field:User.profile.profile=user_id');
  });

  it('declares the join table of an implicit many-to-many', () => {
    expect(refs).toEqual(expect.arrayContaining(['model:Post.tags$m2m=blog._PostToTag', 'field:Post.tags$m2m.tags=B', 'field:Post.tags$m2m.$parent=A']));
  });

  it('records positions at the field names', () => {
    const ref = prismaSchemaRefs(SCHEMA).find((r) => r.kind === 'field' && r.field === 'loyaltyTier')!;
    expect(SCHEMA.slice(ref.position, ref.position + 'loyaltyTier'.length)).toBe('loyaltyTier');
  });
});

describe('Prisma Client calls', () => {
  it('reads every scalar column when a row-returning call has no select', () => {
    expect(refsOf('await prisma.user.findMany();')).toEqual(['read:user', 'wildcard:user']);
    expect(refsOf('await prisma.user.findMany({ where: { loyaltyTier: "gold" } });')).toEqual(['read:user', 'read:user.loyaltyTier', 'wildcard:user']);
    expect(refsOf('await prisma.user.create({ data: { email } });')).toEqual(['write:user', 'write:user|user.email.email', 'wildcard:user']);
  });

  it('reads selected keys only, and writes that return counts read nothing', () => {
    expect(refsOf('await this.prisma.user.findUnique({ where: { email }, select: { loyaltyTier: true } });')).toEqual([
      'read:user',
      'read:user.email',
      'read:user|user.loyaltyTier|user.loyaltyTier$m2m.loyaltyTier',
      'wildcard:user.loyaltyTier',
    ]);
    expect(refsOf('await tx.user.updateMany({ where: { role: "ADMIN" }, data: { loyaltyTier: null } });')).toEqual([
      'write:user',
      'read:user.role',
      'write:user|user.loyaltyTier.loyaltyTier',
    ]);
  });

  it('follows include, relation filters and nested writes into the related model', () => {
    expect(refsOf('await ctx.db.user.findMany({ include: { posts: { where: { tags: { some: { id: 1 } } } } } });')).toEqual([
      'read:user',
      'wildcard:user',
      'read:user|user.posts|user.posts$m2m.posts',
      'read:user.posts$m2m.$parent',
      'read:user.posts|user.posts.tags|user.posts.tags$m2m.tags',
      'read:user.posts.tags$m2m.$parent',
      'read:user.posts.tags.id',
      'wildcard:user.posts',
    ]);
    expect(refsOf('await prisma.post.create({ data: { author: { connect: { id } } }, select: { id: true } });')).toEqual([
      'write:post',
      'write:post|post.author|post.author$m2m.author',
      'write:post.author$m2m.$parent',
      'read:post.author.id',
      'read:post|post.id|post.id$m2m.id',
      'wildcard:post.id',
    ]);
  });

  it('reads aggregates, groupBy and distinct keys', () => {
    expect(refsOf("await prisma.user.groupBy({ by: ['role'], _count: { loyaltyTier: true }, having: { role: { not: 'ADMIN' } } });")).toEqual([
      'read:user',
      'read:user.role',
      'read:user.role',
      'read:user.loyaltyTier',
    ]);
  });

  it('finds the delegate through a const, and ignores non-Prisma look-alikes', () => {
    expect(refsOf('const users = prisma.user;\nawait users.count();')).toEqual(['read:user']);
    expect(refsOf('cache.sessions.delete(token); map.items.count(x); prisma.$queryRaw`select 1`;')).toEqual([]);
    expect(refsOf('await db.query.users.findMany({ columns: { email: true } });')).toEqual([]);
  });

  it('covers the call: its keys are no longer name matches, property reads stay', () => {
    const result = scan('await prisma.user.findMany({ select: { loyaltyTier: true }, where: { email: input.loyaltyTier } });', ['loyaltyTier']);
    expect(result.mentions.filter((m) => m.coveredBy === undefined).map((m) => `${m.kind}:${m.name}`)).toEqual(['property:loyaltyTier']);
  });
});
