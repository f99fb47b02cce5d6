import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Context } from '../../types.ts';
import { builder } from '../../schema/builder.ts';
import { ApiKeyNotFoundError, InvalidAccountInputError } from './auth.errors.ts';
import {
  createApiKey,
  createDriverApiKey,
  listApiKeys,
  revokeApiKey,
  type ApiKeyInfo,
} from './auth.service.ts';
import { AccountStatusEnum, UserRoleEnum } from './user.schema.ts';
import './user.schema.ts';
import { ErrorInterface } from '../../schema/errors.ts';

// ───────────────────────────── viewer ─────────────────────────────

interface Person {
  id: string;
  email: string;
  name: string;
}
interface ViewerShape extends Person {
  role: 'admin' | 'customer';
  status: 'ACTIVE' | 'INACTIVE';
  impersonatedBy: Person | null;
}

const ImpersonatorRef = builder.objectRef<Person>('Impersonator').implement({
  description: 'The operator acting as the viewer ("view as driver").',
  authScopes: { user: true },
  fields: (t) => ({
    id: t.id({ description: 'The operator’s User id.', resolve: (p) => encodeGlobalID('User', p.id) }),
    email: t.exposeString('email', { description: 'The operator’s email.' }),
    name: t.exposeString('name', { description: 'The operator’s name.' }),
  }),
});

export const ViewerRef = builder.objectRef<ViewerShape>('Viewer').implement({
  description:
    'The signed-in person. While an operator acts as a driver this is the driver, with `impersonatedBy` set; everything is then read-only.',
  authScopes: { user: true },
  fields: (t) => ({
    id: t.id({ description: 'The person’s User id.', resolve: (v) => encodeGlobalID('User', v.id) }),
    email: t.exposeString('email', { description: 'Sign-in email.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    role: t.expose('role', { type: UserRoleEnum, description: 'Operator or driver.' }),
    status: t.expose('status', {
      type: AccountStatusEnum,
      description: 'INACTIVE accounts can look around but cannot start a charge.',
    }),
    impersonatedBy: t.field({
      type: ImpersonatorRef,
      nullable: true,
      description:
        'Set while an operator is acting as this person; stop with POST /api/auth/admin/stop-impersonating.',
      resolve: (v) => v.impersonatedBy,
    }),
  }),
});

async function loadViewer(ctx: Context): Promise<ViewerShape | null> {
  const v = ctx.viewer;
  if (v?.kind !== 'user') return null;
  const ids = v.impersonatorId ? [v.userId, v.impersonatorId] : [v.userId];
  const people = await ctx.services.db.user.findMany({
    where: { id: { in: ids } },
    select: { id: true, email: true, name: true, role: true, status: true },
  });
  const me = people.find((p) => p.id === v.userId);
  if (!me) return null;
  const by = v.impersonatorId ? people.find((p) => p.id === v.impersonatorId) : undefined;
  return {
    id: me.id,
    email: me.email,
    name: me.name,
    role: me.role,
    status: me.status,
    impersonatedBy: by ? { id: by.id, email: by.email, name: by.name } : null,
  };
}

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerRef,
    nullable: true,
    description:
      'The signed-in person; null when anonymous or when calling with an operator’s API key (a driver’s own key is that driver).',
    authScopes: { public: true },
    resolve: (_root, _args, ctx) => loadViewer(ctx),
  }),
);

builder.subscriptionField('viewerChanged', (t) =>
  t.field({
    type: ViewerRef,
    nullable: true,
    description:
      'The signed-in person again whenever their account changes (e.g. an operator deactivates it).',
    authScopes: { user: true },
    subscribe: (_root, _args, ctx) => {
      if (ctx.viewer?.kind !== 'user') throw new Error('unreachable: user scope');
      return ctx.services.pubsub.subscribe('user:changed', ctx.viewer.userId);
    },
    resolve: (_event, _args, ctx) => loadViewer(ctx),
  }),
);

// ───────────────────────────── errors ─────────────────────────────

builder.objectType(InvalidAccountInputError, {
  name: 'InvalidAccountInputError',
  interfaces: [ErrorInterface],
  description: 'An input was refused (email, name, password or key name); `field` says which.',
  authScopes: { signedIn: true },
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The input field at fault.' }),
  }),
});

builder.objectType(ApiKeyNotFoundError, {
  name: 'ApiKeyNotFoundError',
  interfaces: [ErrorInterface],
  description: 'No API key has this id.',
  authScopes: { signedIn: true },
});

// ───────────────────────────── API keys ─────────────────────────────

export const ApiKeyRoleEnum = builder.enumType('ApiKeyRole', {
  description: 'What a third party may do with a key.',
  values: {
    READ_ONLY: { description: 'Queries and subscriptions an operator could read.' },
    OPERATOR: { description: 'Also the operator mutations open to keys.' },
  } as const,
});

export const ApiKeyScopeEnum = builder.enumType('ApiKeyScope', {
  description:
    'One thing a key may do; every field says which scope an API key needs (docs/security-auth.md).',
  values: {
    READ: { value: 'read', description: 'Read what an operator reads (every key has it).' },
    OPERATIONS: {
      value: 'operations',
      description: 'Operator actions: charger commands, sync, cards, drivers.',
    },
    BILLING: { value: 'billing', description: 'Lago customers, mappings and billing actions.' },
    WEBHOOKS: { value: 'webhooks', description: 'Webhook endpoints: create, rotate, pause, resend, replay.' },
    CHARGING: {
      value: 'charging',
      description:
        'Start and stop charges on the owner’s own cards (`startCharging`, `stopCharging`): only keys a driver owns (`createMyApiKey`), never an operator’s key.',
    },
  } as const,
});

/** Operators see every key; a driver (with a session, not a key) sees the keys they own. */
function canSeeKey(key: ApiKeyInfo, ctx: Context): boolean {
  const v = ctx.viewer;
  if (v?.kind !== 'user') return false;
  if (v.role === 'admin') return v.impersonatorId === null;
  // The driver (also while an operator acts as them, read-only), not through a key.
  return !v.apiKey && key.driverOwned && key.ownerId === v.userId;
}

const ApiKeyRef = builder.objectRef<ApiKeyInfo>('ApiKey').implement({
  description: 'An API key. The secret is shown once, at creation; only its hash is stored.',
  authScopes: (key, ctx) => canSeeKey(key, ctx),
  fields: (t) => ({
    driverOwned: t.exposeBoolean('driverOwned', {
      description:
        'A key a driver owns: it acts as that driver (their data only; start/stop with CHARGING). Otherwise an operator’s key.',
    }),
    id: t.exposeID('id', { description: 'Key id (not the secret).' }),
    name: t.exposeString('name', { description: 'What the key is for.' }),
    role: t.expose('role', { type: ApiKeyRoleEnum, description: 'What the key may do.' }),
    scopes: t.expose('scopes', {
      type: [ApiKeyScopeEnum],
      description:
        'Its scopes (READ_ONLY: read; OPERATOR: read, operations, billing, webhooks; plus any added).',
    }),
    start: t.exposeString('start', {
      nullable: true,
      description: 'The first characters of the secret, to recognise it.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Creation time.' }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Last accepted request.',
    }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'Expiry, if any.' }),
    revoked: t.exposeBoolean('revoked', { description: 'Revoked keys are refused with 401.' }),
    rateLimitMax: t.exposeInt('rateLimitMax', {
      nullable: true,
      description: 'Requests allowed per window.',
    }),
    rateLimitWindowSeconds: t.int({
      nullable: true,
      description: 'The rate-limit window.',
      resolve: (k) => (k.rateLimitWindowMs === null ? null : Math.round(k.rateLimitWindowMs / 1000)),
    }),
  }),
});

const CreatedApiKeyRef = builder
  .objectRef<{ apiKey: ApiKeyInfo; secret: string }>('CreatedApiKey')
  .implement({
    description: 'A new key and its secret. Store the secret now: it cannot be shown again.',
    authScopes: (created, ctx) => canSeeKey(created.apiKey, ctx),
    fields: (t) => ({
      apiKey: t.field({ type: ApiKeyRef, description: 'The key.', resolve: (c) => c.apiKey }),
      secret: t.exposeString('secret', {
        description: 'Send it as the `x-api-key` header (or graphql-ws connectionParams.apiKey).',
      }),
    }),
  });

builder.queryField('apiKeys', (t) =>
  t.field({
    type: [ApiKeyRef],
    description: 'Every API key, newest first, without secrets. Operators only.',
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) => listApiKeys(ctx.services),
  }),
);

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: CreatedApiKeyRef,
    description: 'Creates an API key with a role; returns its secret once. Operators only; audited.',
    authScopes: { admin: true },
    errors: { types: [InvalidAccountInputError] },
    args: {
      name: t.arg.string({ required: true, description: 'What the key is for (1–64 characters).' }),
      role: t.arg({ type: ApiKeyRoleEnum, required: true, description: 'What the key may do.' }),
      scopes: t.arg({
        type: [ApiKeyScopeEnum],
        required: false,
        description:
          'Scopes to add to the role’s, e.g. READ_ONLY + WEBHOOKS for a partner that manages its endpoints.',
      }),
    },
    resolve: (_root, args, ctx) => {
      if (ctx.viewer?.kind !== 'user') throw new Error('unreachable: admin scope');
      return createApiKey(ctx.services, ctx.viewer, {
        name: args.name,
        role: args.role,
        scopes: args.scopes ?? null,
      });
    },
  }),
);

builder.mutationField('revokeApiKey', (t) =>
  t.field({
    type: ApiKeyRef,
    description: 'Revokes an API key at once. Operators only; audited.',
    authScopes: { admin: true },
    errors: { types: [ApiKeyNotFoundError] },
    args: { id: t.arg.id({ required: true, description: 'The key id.' }) },
    resolve: (_root, args, ctx) => revokeApiKey(ctx.services, ctx.viewer!, String(args.id)),
  }),
);

// ───────────────────────────── a driver's own keys ─────────────────────────────

builder.queryField('myApiKeys', (t) =>
  t.field({
    type: [ApiKeyRef],
    description: 'The API keys the signed-in driver owns, newest first, without secrets.',
    // Also while an operator acts as the driver (read-only); never through a key.
    authScopes: { driverSession: true },
    resolve: (_root, _args, ctx) => {
      if (ctx.viewer?.kind !== 'user') throw new Error('unreachable: driverSession scope');
      return listApiKeys(ctx.services, ctx.viewer.userId).then((keys) => keys.filter((k) => k.driverOwned));
    },
  }),
);

builder.mutationField('createMyApiKey', (t) =>
  t.field({
    type: CreatedApiKeyRef,
    description:
      'Creates an API key the signed-in driver owns (for a home charger app, a car integration …): with READ it reads the driver’s own data only; with CHARGING it also starts and stops charges on the driver’s own cards. No other scope. Returns its secret once; audited.',
    authScopes: { driverSession: true },
    errors: { types: [InvalidAccountInputError] },
    args: {
      name: t.arg.string({ required: true, description: 'What the key is for (1–64 characters).' }),
      scopes: t.arg({
        type: [ApiKeyScopeEnum],
        required: false,
        description: 'READ (always) and optionally CHARGING.',
      }),
    },
    resolve: (_root, args, ctx) => {
      if (ctx.viewer?.kind !== 'user') throw new Error('unreachable: driverSession scope');
      return createDriverApiKey(ctx.services, ctx.viewer, { name: args.name, scopes: args.scopes ?? null });
    },
  }),
);

builder.mutationField('revokeMyApiKey', (t) =>
  t.field({
    type: ApiKeyRef,
    description:
      'Revokes one of the signed-in driver’s own keys at once; anyone else’s is ApiKeyNotFoundError.',
    authScopes: { driverSession: true },
    errors: { types: [ApiKeyNotFoundError] },
    args: { id: t.arg.id({ required: true, description: 'The key id.' }) },
    resolve: (_root, args, ctx) => {
      if (ctx.viewer?.kind !== 'user') throw new Error('unreachable: driverSession scope');
      return revokeApiKey(ctx.services, ctx.viewer, String(args.id), ctx.viewer.userId);
    },
  }),
);
