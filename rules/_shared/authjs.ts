/**
 * The tables and columns the Auth.js (NextAuth.js) database adapters read and write from
 * node_modules, one list per adapter, read from github.com/nextauthjs/next-auth (no library
 * code is copied; the names are the adapters' own):
 * - @auth/pg-adapter@1.11.3: packages/adapter-pg/src/index.ts (its SQL) and schema.sql
 * - @auth/kysely-adapter@1.11.3: packages/adapter-kysely/src/index.ts and the schema in
 *   docs/pages/getting-started/adapters/kysely.mdx
 * - @auth/drizzle-adapter@1.11.3: packages/adapter-drizzle/src/index.ts and src/lib/pg.ts
 *   (`defineTables`, the default `pgTable`s, and `PostgresDrizzleAdapter`)
 * - @auth/prisma-adapter@2.11.3: packages/adapter-prisma/src/index.ts and prisma/schema.prisma;
 *   @next-auth/prisma-adapter@1.0.7 has the same models without Authenticator
 * - @auth/typeorm-adapter@2.11.3: packages/adapter-typeorm/src/index.ts and src/entities.ts;
 *   @next-auth/typeorm-legacy-adapter@2.0.2 (packages/adapter-typeorm-legacy/src/) has the same
 *   entities behind `TypeORMLegacyAdapter`
 * - @auth/sequelize-adapter@2.11.3: packages/adapter-sequelize/src/index.ts and src/models.ts;
 *   @next-auth/sequelize-adapter@1.0.8 has the same models
 * Column names are spelled as each adapter spells them (Prisma/Drizzle/TypeORM/Sequelize field
 * names, SQL names for pg and Kysely); the core maps camelCase fields to snake_case columns.
 */

/** The Auth.js models, as the adapters' option keys and default names know them. */
export type AuthjsModel = 'user' | 'account' | 'session' | 'verificationToken' | 'authenticator';

/** What one adapter does to one model's table. */
export interface AdapterModel {
  model: AuthjsModel;
  columns: readonly string[];
  /** The adapter deletes rows (`deleteUser`, `deleteSession`, `useVerificationToken`, `unlinkAccount`). */
  deletes: boolean;
  /** The adapter reads whole rows of the app's table (`SELECT *`, `selectAll()`, an ORM read without a column list). */
  wholeRows: boolean;
}

const USER = ['id', 'name', 'email', 'emailVerified', 'image'] as const;
const ACCOUNT = ['userId', 'type', 'provider', 'providerAccountId', 'refresh_token', 'access_token', 'expires_at', 'token_type', 'scope', 'id_token', 'session_state'] as const;
const SESSION = ['sessionToken', 'userId', 'expires'] as const;
const VERIFICATION_TOKEN = ['identifier', 'token', 'expires'] as const;
const AUTHENTICATOR = ['credentialID', 'userId', 'providerAccountId', 'credentialPublicKey', 'counter', 'credentialDeviceType', 'credentialBackedUp', 'transports'] as const;

/**
 * @auth/pg-adapter: fixed tables `users`, `accounts`, `sessions`, `verification_token` (its SQL
 * names them unqualified). `select * from users` / `sessions` read whole rows; `accounts` and
 * `verification_token` are read through named columns and `RETURNING` lists only.
 */
export const PG_ADAPTER: Record<'user' | 'account' | 'session' | 'verificationToken', { table: string } & AdapterModel> = {
  user: { model: 'user', table: 'users', columns: USER, deletes: true, wholeRows: true },
  account: { model: 'account', table: 'accounts', columns: ['id', ...ACCOUNT], deletes: true, wholeRows: false },
  session: { model: 'session', table: 'sessions', columns: ['id', ...SESSION], deletes: true, wholeRows: true },
  verificationToken: { model: 'verificationToken', table: 'verification_token', columns: VERIFICATION_TOKEN, deletes: true, wholeRows: false },
};

/**
 * @auth/kysely-adapter: tables `User`, `Account`, `Session`, `VerificationToken` (Kysely's
 * `CamelCasePlugin` turns them into `user`, `account`, `session`, `verification_token`).
 * `selectAll()`/`returningAll()` read whole rows of all but `Account`.
 */
export const KYSELY_ADAPTER: ({ table: string } & AdapterModel)[] = [
  { model: 'user', table: 'User', columns: USER, deletes: true, wholeRows: true },
  { model: 'account', table: 'Account', columns: ACCOUNT, deletes: true, wholeRows: false },
  { model: 'session', table: 'Session', columns: SESSION, deletes: true, wholeRows: true },
  { model: 'verificationToken', table: 'VerificationToken', columns: VERIFICATION_TOKEN, deletes: true, wholeRows: true },
];

/**
 * @auth/drizzle-adapter (Postgres): the option key of each table, the table its default
 * `pgTable` creates (columns named as their keys). The adapter `select()`s, `returning()`s and
 * joins whole table objects, so a table the app passes is read in every column it declares; a
 * default table declares exactly the listed columns.
 */
export const DRIZZLE_ADAPTER: ({ option: string; table: string } & AdapterModel)[] = [
  { model: 'user', option: 'usersTable', table: 'user', columns: USER, deletes: true, wholeRows: true },
  { model: 'account', option: 'accountsTable', table: 'account', columns: ACCOUNT, deletes: true, wholeRows: true },
  { model: 'session', option: 'sessionsTable', table: 'session', columns: SESSION, deletes: true, wholeRows: true },
  { model: 'verificationToken', option: 'verificationTokensTable', table: 'verificationToken', columns: VERIFICATION_TOKEN, deletes: true, wholeRows: true },
  { model: 'authenticator', option: 'authenticatorsTable', table: 'authenticator', columns: AUTHENTICATOR, deletes: false, wholeRows: true },
];

/**
 * @auth/prisma-adapter: `p.user`, `p.account`, `p.session`, `p.verificationToken`,
 * `p.authenticator` (models `User`, `Account`, `Session`, `VerificationToken`,
 * `Authenticator`); no call has a `select`, so every scalar field of these models is read.
 */
export const PRISMA_ADAPTER: ({ prismaModel: string } & AdapterModel)[] = [
  { model: 'user', prismaModel: 'User', columns: USER, deletes: true, wholeRows: true },
  { model: 'account', prismaModel: 'Account', columns: ACCOUNT, deletes: true, wholeRows: true },
  { model: 'session', prismaModel: 'Session', columns: SESSION, deletes: true, wholeRows: true },
  { model: 'verificationToken', prismaModel: 'VerificationToken', columns: VERIFICATION_TOKEN, deletes: true, wholeRows: true },
  { model: 'authenticator', prismaModel: 'Authenticator', columns: AUTHENTICATOR, deletes: false, wholeRows: true },
];

/**
 * @auth/typeorm-adapter: `options.entities` keys and the default entities' tables
 * (`@Entity({ name })`), properties named as the columns. `findOne` without `select` reads
 * every column of a custom entity.
 */
export const TYPEORM_ADAPTER: ({ entity: string; table: string } & AdapterModel)[] = [
  { model: 'user', entity: 'UserEntity', table: 'users', columns: USER, deletes: true, wholeRows: true },
  { model: 'account', entity: 'AccountEntity', table: 'accounts', columns: ['id', ...ACCOUNT], deletes: true, wholeRows: true },
  { model: 'session', entity: 'SessionEntity', table: 'sessions', columns: ['id', ...SESSION], deletes: true, wholeRows: true },
  { model: 'verificationToken', entity: 'VerificationTokenEntity', table: 'verification_tokens', columns: ['id', ...VERIFICATION_TOKEN], deletes: true, wholeRows: true },
];

/**
 * @auth/sequelize-adapter: `options.models` keys and the default models, defined as
 * `client.define('user', ..., { underscored: true, timestamps: false })`, so tables are the
 * underscored plurals (`users`, `verification_tokens`) and attributes snake_case columns
 * (`email_verified`); `freezeTableName` in the app's global define options keeps the singular.
 * Finders have no `attributes`, so a custom model is read in every attribute.
 */
export const SEQUELIZE_ADAPTER: ({ key: string; tables: string[] } & AdapterModel)[] = [
  { model: 'user', key: 'User', tables: ['users', 'user'], columns: USER, deletes: true, wholeRows: true },
  { model: 'account', key: 'Account', tables: ['accounts', 'account'], columns: ['id', ...ACCOUNT], deletes: true, wholeRows: true },
  { model: 'session', key: 'Session', tables: ['sessions', 'session'], columns: ['id', ...SESSION], deletes: true, wholeRows: true },
  {
    model: 'verificationToken',
    key: 'VerificationToken',
    tables: ['verification_tokens', 'verificationTokens', 'verification_token', 'verificationToken'],
    columns: VERIFICATION_TOKEN,
    deletes: true,
    wholeRows: true,
  },
];
