import { describe, expect, it } from 'vitest';
import { scanTypeScript } from '../../src/scan/typescript.js';
import { describeRuleRefAt } from '../../test/support/rule-refs.js';
import rule from './index.js';
import { pluralize } from './refs.js';

/** References of one file as `line kind relation.name` strings, for readable assertions. */
function scan(text: string) {
  return scanTypeScript('src/a.ts', text, false, { interestingNames: new Set(['loyaltyTier']), rules: [rule], packages: new Set(['sequelize']) });
}
function refsOf(text: string): string[] {
  return scan(text).libraryRefs.map(({ ref }) => describeRuleRefAt(text, ref));
}

describe('sequelize rule', () => {
  it('pluralises like Sequelize', () => {
    expect(pluralize('User')).toBe('Users');
    expect(pluralize('Category')).toBe('Categories');
    expect(pluralize('Person')).toBe('People');
    expect(pluralize('SalesPerson')).toBe('SalesPeople');
    expect(pluralize('Box')).toBe('Boxes');
    expect(pluralize('Quiz')).toBe('Quizzes');
    expect(pluralize('Status')).toBe('Statuses');
    expect(pluralize('Analysis')).toBe('Analyses');
  });

  it('reads Model.init, define and associations', () => {
    const refs = refsOf(
      [
        'User.init({',
        '  loyaltyTier: DataTypes.STRING,',
        "  notes: { type: DataTypes.TEXT, field: 'shipping_notes' },",
        '  fullName: { type: DataTypes.VIRTUAL, get() { return 1; } },',
        "}, { sequelize, underscored: true, paranoid: true, createdAt: 'joinedAt', updatedAt: false });",
        "const Post = sequelize.define('post', { headline: DataTypes.STRING }, { freezeTableName: true, timestamps: false, schema: 'blog' });",
        "Post.belongsTo(User, { as: 'author' });",
        "User.hasMany(Post, { foreignKey: { name: 'writerId', field: 'writer_ref' } });",
        "User.belongsToMany(Role, { through: 'user_roles' });",
      ].join('\n'),
    );
    expect(refs).toEqual([
      '1 model User users|Users|User|user',
      '2 field User.loyaltyTier',
      '3 field User.notes=shipping_notes',
      '1 field User.id',
      '1 field User.joinedAt',
      '1 field User.deletedAt',
      '6 model post post|posts @blog',
      '6 model Post post|posts @blog',
      '6 field post.headline',
      '6 field Post.headline',
      '6 field post.id',
      '6 field Post.id',
      '7 field Post.authorId',
      '8 field Post.writerId=writer_ref',
    ]);
  });

  it('reads sequelize-typescript classes', () => {
    const refs = refsOf(
      [
        "@Table({ tableName: 'members' })",
        'class Member extends Model {',
        "  @Column({ type: DataType.STRING, field: 'display_handle' }) handle: string;",
        '  @ForeignKey(() => Team) @Column teamId: number;',
        '  @BelongsTo(() => Team) team: Team;',
        '  @CreatedAt joinedAt: Date;',
        '}',
      ].join('\n'),
    );
    expect(refs).toEqual(['1 model Member members', '3 field Member.handle=display_handle', '4 field Member.teamId', '6 field Member.joinedAt', '2 field Member.id']);
  });

  it('reads finders', () => {
    const refs = refsOf(
      [
        'await User.findAll({',
        "  attributes: ['loyaltyTier', ['login_count', 'logins'], [sequelize.fn('COUNT', sequelize.col('Post.id')), 'n']],",
        "  where: { loyaltyTier: 'gold', [Op.or]: [{ score: { [Op.gt]: 1 } }, { '$posts.headline$': 'x' }] },",
        "  order: [['joinedAt', 'DESC'], [Post, 'headline', 'ASC'], ['posts', 'rank', 'DESC NULLS LAST']],",
        "  include: [{ model: Post, as: 'posts', attributes: { exclude: ['body'] }, include: [Tag] }],",
        '});',
        "await db.User.findByPk(1, { attributes: { exclude: ['passwordHash'] } });",
        "await models.user.count({ where: sequelize.where(sequelize.fn('lower', sequelize.col('handle')), 'x'), group: ['teamId'] });",
        "await User.max('score', { where: { active: true } });",
      ].join('\n'),
    );
    expect(refs).toEqual([
      '2 read User.loyaltyTier',
      '2 read User.login_count',
      '2 read Post.id',
      '3 read User.loyaltyTier',
      '3 read User.score',
      '3 read post.headline',
      '4 read User.joinedAt',
      '4 read Post.headline',
      '4 read post.rank',
      '5 read Post.UserId',
      '5 read User.postsId',
      '5 wildcard Post',
      '5 read Tag.PostId',
      '5 read Post.TagId',
      '5 wildcard Tag',
      '7 wildcard User',
      '8 read user.handle',
      '8 read user.teamId',
      '9 read User.active',
      '9 read User.score',
    ]);
  });

  it('reads writes, timestamps and instance calls, and hands literals to the core', () => {
    const text = [
      "await User.create({ loyaltyTier: 'x', profile: { bio: 'b' } });",
      "await User.bulkCreate([{ loyaltyTier: 'a' }], { updateOnDuplicate: ['loyaltyTier'] });",
      "await User.update({ notes: 'y' }, { where: { loyaltyTier: 'gold' } });",
      "await User.increment({ score: 2 }, { where: { id } });",
      'await User.destroy({ where: { banned: true } });',
      "await user.update({ loyaltyTier: 'silver' });",
      'await user.save();',
      "await Post.findAll({ where: sequelize.literal('headline IS NOT NULL') });",
      "await sequelize.query('SELECT shipping_notes FROM users');",
      "console.log(user.get('loyaltyTier'), Promise.all([]), hash.digest('hex'));",
    ].join('\n');
    expect(refsOf(text)).toEqual([
      '1 write User.loyaltyTier',
      '1 write User.profile',
      '1 write User.createdAt',
      '1 write User.updatedAt',
      '1 write User',
      '2 write User.loyaltyTier',
      '2 write User.loyaltyTier',
      '2 write User.createdAt',
      '2 write User.updatedAt',
      '2 write User',
      '3 write User.notes',
      '3 read User.loyaltyTier',
      '3 write User.updatedAt',
      '3 write User',
      '4 write User.score',
      '4 read User.id',
      '4 write User.updatedAt',
      '4 write User',
      '5 read User.banned',
      '5 delete User',
      '6 write user.loyaltyTier',
      '6 write user.updatedAt',
      '6 write user',
      '7 write user',
      '8 wildcard Post',
    ]);
    const result = scan(text);
    expect(result.sqlSites.map((site) => site.origin)).toEqual(['library-call', 'library-call']);
    // An instance's model is guessed from its name, so its keys stay name matches too;
    // `user.get('loyaltyTier')` stays a plain string mention for the core.
    expect(result.mentions.filter((m) => m.coveredBy === undefined).map((m) => `${m.kind}:${m.name}`)).toEqual(['key:loyaltyTier', 'string:loyaltyTier']);
  });
});
