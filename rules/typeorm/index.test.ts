import { describe, expect, it } from 'vitest';
import { scanTypeScript } from '../../src/scan/typescript.js';
import { describeRuleRefAt } from '../../test/support/rule-refs.js';
import rule from './index.js';
import { defaultTables } from './entities.js';

/** References of one file as `line kind relation.name` strings, for readable assertions. */
function refsOf(text: string): string[] {
  const scan = scanTypeScript('src/a.ts', text, false, { interestingNames: new Set(), rules: [rule], packages: new Set(['typeorm']) });
  return scan.libraryRefs.map(({ ref }) => describeRuleRefAt(text, ref));
}

describe('typeorm rule', () => {
  it('derives default table names like DefaultNamingStrategy', () => {
    expect(defaultTables('UserAccount')).toEqual(['user_account', 'user_accounts']);
    expect(defaultTables('HTMLPage')[0]).toBe('html_page');
    expect(defaultTables('Category')).toEqual(['category', 'categories', 'categorys']);
    expect(defaultTables('Person')).toEqual(['person', 'people', 'persons']);
    expect(defaultTables('OAuth2Token')[0]).toBe('o_auth2_token');
  });

  it('reads entity declarations', () => {
    const refs = refsOf(
      [
        "@Entity('users', { schema: 'auth' })",
        'class User {',
        '  @PrimaryGeneratedColumn() id: number;',
        "  @Column({ name: 'loyalty_tier' }) tier: string;",
        "  @Column('text', { name: 'shipping_notes' }) notes: string;",
        '  @Column(() => Address) address: Address;',
        '  @ManyToOne(() => Team) team: Team;',
        "  @OneToOne(() => Profile) @JoinColumn({ referencedColumnName: 'code' }) profile: Profile;",
        '  @OneToOne(() => Avatar, (a) => a.user) avatar: Avatar;',
        '  @OneToMany(() => Post, (p) => p.author) posts: Post[];',
        '}',
        "const Tag = new EntitySchema({ name: 'Tag', tableName: 'tags', columns: { label: { type: String, name: 'tag_label' } } });",
      ].join('\n'),
    );
    expect(refs).toEqual([
      '1 model User users @auth (open)',
      '3 field User.id',
      '4 field User.tier=loyalty_tier',
      '5 field User.notes=shipping_notes',
      '7 field User.teamId',
      '8 field User.profileCode',
      '12 model Tag tags',
      '12 field Tag.label=tag_label',
    ]);
  });

  it('includes columns of a same-file base class', () => {
    const refs = refsOf(
      ['abstract class Base { @CreateDateColumn() createdAt: Date; }', '@Entity()', 'class Invoice extends Base { @Column() amountCents: number; }'].join('\n'),
    );
    expect(refs).toEqual(['3 model Invoice invoice|invoices', '3 field Invoice.amountCents', '1 field Invoice.createdAt']);
  });

  it('finds repositories through getRepository, injection, types and names', () => {
    const refs = refsOf(
      [
        'class Service {',
        '  constructor(@InjectRepository(User) private users: Repository<User>, private orders: Repository<Order>, private ds: DataSource) {}',
        '  a() { return this.users.findOneBy({ loyaltyTier: "gold" }); }',
        '  b() { return this.orders.count({ where: { totalCents: 0 } }); }',
        '  c() { return this.ds.getRepository(Invoice).find({ select: ["pdfChecksum"] }); }',
        '  d() { return this.invoiceRepository.delete({ issuedOn: null }); }',
        '}',
        'function e(repo: Repository<Tag>) { return repo.findBy({ label: "x" }); }',
        'class UserRepository extends Repository<User> { f() { return this.sum("lifetimePoints"); } }',
        'const g = () => getRepository(Team).findOne({ where: { slug: "a" }, select: { slug: true } });',
        'const h = () => items.find((item) => item.done);',
      ].join('\n'),
    );
    expect(refs).toEqual([
      '3 read User.loyaltyTier',
      '3 wildcard User',
      '4 read Order.totalCents',
      '5 read Invoice.pdfChecksum',
      '6 read invoice.issuedOn',
      '6 delete invoice',
      '8 read Tag.label',
      '8 wildcard Tag',
      '9 read User.lifetimePoints',
      '10 read Team.slug',
      '10 read Team.slug',
    ]);
  });

  it('reads find options, relations and writes', () => {
    const refs = refsOf(
      [
        'const users = dataSource.getRepository(User);',
        'users.find({ where: [{ team: { name: "a" } }, { score: MoreThan(1) }], order: { joinedAt: { direction: "DESC" } }, relations: ["team"] });',
        'users.save({ displayHandle: "x", team });',
        'users.save(existing);',
        'users.update({ id }, { marketingOptIn: false });',
        'users.increment({ id }, "loginCount", 1);',
        'users.upsert({ email: "a" }, ["email"]);',
        'manager.softDelete(User, { id });',
      ].join('\n'),
    );
    expect(refs).toEqual([
      '2 wildcard User',
      '2 read User.team',
      '2 read User.teamName',
      '2 read team.name',
      '2 read User.score',
      '2 read User.joinedAt',
      '2 read User.team',
      '2 read User.teamId',
      '2 wildcard team',
      '3 write User.displayHandle',
      '3 write User.team',
      '3 write User.teamId',
      '3 write User',
      '4 write User',
      '5 read User.id',
      '5 write User.marketingOptIn',
      '5 write User',
      '6 read User.id',
      '6 write User.loginCount',
      '6 write User',
      '7 write User.email',
      '7 read User.email',
      '7 write User',
      '8 read User.id',
      '8 write User',
    ]);
  });

  it('reads query builders, split across variables', () => {
    const refs = refsOf(
      [
        'const qb = userRepository',
        "  .createQueryBuilder('u')",
        "  .leftJoinAndSelect('u.homeRegion', 'r')",
        "  .where('u.loyaltyTier = :t AND lower(r.label) = :l', { t })",
        "  .andWhere(new Brackets((w) => w.where('u.score > 1')));",
        "qb.orderBy('u.joinedAt', 'DESC');",
        'const rows = await qb.getMany();',
        "await dataSource.createQueryBuilder().select(['o.totalCents']).from(Order, 'o').where('status = :s').getRawMany();",
        'await dataSource.createQueryBuilder().insert().into(Order).values({ totalCents: 1 }).execute();',
        "await dataSource.createQueryBuilder().update(Order).set({ retries: () => 'retries + 1' }).where({ id }).execute();",
        "await dataSource.createQueryBuilder().delete().from(Order).where('id = :id').execute();",
      ].join('\n'),
    );
    expect(refs).toEqual([
      '3 read user.homeRegion',
      '3 read user.homeRegionId',
      '4 read user.loyaltyTier',
      '4 read homeRegion|region.label',
      '5 read user.score',
      '6 read user.joinedAt',
      '2 wildcard user',
      '3 wildcard homeRegion',
      '3 wildcard region',
      '8 read Order.totalCents',
      '8 read Order.status',
      '9 write Order',
      '9 write Order.totalCents',
      '10 write Order',
      '10 write Order.retries',
      '10 read Order.retries',
      '10 read Order.id',
      '11 delete Order',
      '11 read Order.id',
    ]);
  });

  it('keeps name matches when the entity is only guessed from a variable name', () => {
    const text = "accountRepo.findOne({ select: ['loyaltyTier'] }); const users = await repo.createQueryBuilder('u').getMany(); users.filter((u) => u.active);";
    const result = scanTypeScript('src/a.ts', text, false, { interestingNames: new Set(['loyaltyTier']), rules: [rule], packages: new Set(['typeorm']) });
    expect(result.mentions.map((m) => `${m.kind}:${m.name}`)).toEqual(['string:loyaltyTier']);
    expect(refsOf(text)).toEqual(['1 read account.loyaltyTier']);
  });

  it('leaves raw SQL to the core and ignores what it does not know', () => {
    const text = "await dataSource.query('SELECT loyalty_tier FROM users'); thing.save({ a: 1 }); Object.create(null);";
    expect(refsOf(text)).toEqual([]);
  });
});
