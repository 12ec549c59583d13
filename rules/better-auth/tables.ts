/**
 * The tables better-auth reads and writes itself, from node_modules, per feature. Read from the
 * library's source at tag v1.7.1 (github.com/better-auth/better-auth):
 * - core: packages/core/src/db/get-tables.ts (user, session, account, verification; rateLimit
 *   only with `rateLimit: { storage: 'database' }`)
 * - plugins: packages/better-auth/src/plugins/{admin,anonymous,device-authorization,jwt,
 *   organization,phone-number,siwe,two-factor,username}/schema.ts,
 *   packages/better-auth/src/plugins/last-login-method/index.ts, packages/passkey/src/schema.ts,
 *   packages/api-key/src/schema.ts, packages/oauth-provider/src/schema.ts,
 *   packages/stripe/src/schema.ts
 * Models are better-auth's names (`user`); the rule maps them to tables the way the app
 * configures them (`modelName`, `fields`, `usePlural`). `id` is every model's key.
 */
export interface OwnedModel {
  model: string;
  fields: string[];
}

export interface Feature {
  /** `core`, or the plugin function the app calls (`organization`). */
  name: string;
  /** Where the plugin comes from: the import specifiers that provide the function. */
  from?: RegExp;
  models: OwnedModel[];
}

const PLUGINS = /^(better-auth\/plugins(\/.*)?|@better-auth\/[\w-]+)$/;

export const CORE: Feature = {
  name: 'core',
  models: [
    { model: 'user', fields: ['id', 'name', 'email', 'emailVerified', 'image', 'createdAt', 'updatedAt'] },
    { model: 'session', fields: ['id', 'expiresAt', 'token', 'createdAt', 'updatedAt', 'ipAddress', 'userAgent', 'userId'] },
    {
      model: 'account',
      fields: ['id', 'accountId', 'providerId', 'userId', 'accessToken', 'refreshToken', 'idToken', 'accessTokenExpiresAt', 'refreshTokenExpiresAt', 'scope', 'password', 'createdAt', 'updatedAt'],
    },
    { model: 'verification', fields: ['id', 'identifier', 'value', 'expiresAt', 'createdAt', 'updatedAt'] },
  ],
};

/** `rateLimit: { storage: 'database' }`. */
export const RATE_LIMIT: Feature = { name: 'rateLimit', models: [{ model: 'rateLimit', fields: ['id', 'key', 'count', 'lastRequest'] }] };

export const PLUGIN_FEATURES: Feature[] = [
  { name: 'admin', from: PLUGINS, models: [{ model: 'user', fields: ['role', 'banned', 'banReason', 'banExpires'] }, { model: 'session', fields: ['impersonatedBy'] }] },
  { name: 'anonymous', from: PLUGINS, models: [{ model: 'user', fields: ['isAnonymous'] }] },
  { name: 'username', from: PLUGINS, models: [{ model: 'user', fields: ['username', 'displayUsername'] }] },
  { name: 'phoneNumber', from: PLUGINS, models: [{ model: 'user', fields: ['phoneNumber', 'phoneNumberVerified'] }] },
  { name: 'lastLoginMethod', from: PLUGINS, models: [{ model: 'user', fields: ['lastLoginMethod'] }] },
  {
    name: 'twoFactor',
    from: PLUGINS,
    models: [
      { model: 'user', fields: ['twoFactorEnabled'] },
      { model: 'twoFactor', fields: ['id', 'secret', 'backupCodes', 'userId', 'verified', 'failedVerificationCount', 'lockedUntil'] },
    ],
  },
  {
    name: 'organization',
    from: PLUGINS,
    models: [
      { model: 'organization', fields: ['id', 'name', 'slug', 'logo', 'metadata', 'createdAt', 'updatedAt'] },
      { model: 'member', fields: ['id', 'organizationId', 'userId', 'role', 'createdAt'] },
      { model: 'invitation', fields: ['id', 'organizationId', 'email', 'role', 'status', 'expiresAt', 'createdAt', 'inviterId', 'teamId'] },
      { model: 'team', fields: ['id', 'name', 'memberCount', 'organizationId', 'createdAt', 'updatedAt'] },
      { model: 'teamMember', fields: ['id', 'teamId', 'userId', 'membershipKey', 'createdAt'] },
      { model: 'organizationRole', fields: ['id', 'organizationId', 'role', 'permission', 'createdAt', 'updatedAt'] },
      { model: 'session', fields: ['activeOrganizationId', 'activeTeamId'] },
    ],
  },
  {
    name: 'passkey',
    from: PLUGINS,
    models: [{ model: 'passkey', fields: ['id', 'name', 'publicKey', 'userId', 'credentialID', 'counter', 'deviceType', 'backedUp', 'transports', 'createdAt', 'aaguid'] }],
  },
  { name: 'jwt', from: PLUGINS, models: [{ model: 'jwks', fields: ['id', 'publicKey', 'privateKey', 'createdAt', 'expiresAt', 'alg', 'crv'] }] },
  {
    name: 'deviceAuthorization',
    from: PLUGINS,
    models: [{ model: 'deviceCode', fields: ['id', 'deviceCode', 'userCode', 'userId', 'expiresAt', 'status', 'lastPolledAt', 'pollingInterval', 'clientId', 'scope'] }],
  },
  { name: 'siwe', from: PLUGINS, models: [{ model: 'walletAddress', fields: ['id', 'userId', 'address', 'chainId', 'isPrimary', 'createdAt'] }] },
  {
    name: 'apiKey',
    from: PLUGINS,
    models: [
      {
        model: 'apikey',
        fields: ['id', 'configId', 'name', 'start', 'referenceId', 'prefix', 'key', 'refillInterval', 'refillAmount', 'lastRefillAt', 'enabled', 'rateLimitEnabled', 'rateLimitTimeWindow', 'rateLimitMax', 'requestCount', 'remaining', 'lastRequest', 'expiresAt', 'createdAt', 'updatedAt', 'permissions', 'metadata', 'userId'],
      },
    ],
  },
  {
    name: 'stripe',
    from: PLUGINS,
    models: [
      {
        model: 'subscription',
        fields: ['id', 'plan', 'referenceId', 'stripeCustomerId', 'stripeSubscriptionId', 'status', 'periodStart', 'periodEnd', 'trialStart', 'trialEnd', 'cancelAtPeriodEnd', 'cancelAt', 'canceledAt', 'endedAt', 'seats', 'billingInterval', 'stripeScheduleId'],
      },
      { model: 'user', fields: ['stripeCustomerId'] },
      { model: 'organization', fields: ['stripeCustomerId'] },
    ],
  },
  {
    name: 'oauthProvider',
    from: PLUGINS,
    models: [
      { model: 'oauthClient', fields: ['id', 'clientId', 'clientSecret', 'disabled', 'skipConsent', 'scopes', 'userId', 'createdAt', 'updatedAt', 'name', 'uri', 'icon', 'redirectUris', 'metadata', 'referenceId'] },
      { model: 'oauthRefreshToken', fields: ['id', 'token', 'clientId', 'sessionId', 'userId', 'referenceId', 'expiresAt', 'createdAt', 'revoked', 'scopes'] },
      { model: 'oauthAccessToken', fields: ['id', 'token', 'clientId', 'sessionId', 'userId', 'referenceId', 'refreshId', 'expiresAt', 'createdAt', 'revoked', 'scopes'] },
      { model: 'oauthConsent', fields: ['id', 'clientId', 'userId', 'referenceId', 'scopes', 'createdAt', 'updatedAt'] },
    ],
  },
];
