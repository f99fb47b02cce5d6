import { isAPIError } from 'better-auth/api';
import type { Config } from '../../config.ts';
import type { ApiKeyRole, ApiKeyScope, RateLimitState, Role, Services, Viewer } from '../../types.ts';
import { API_KEY_SCOPES } from '../../types.ts';
import { recordAudit } from '../audit/audit.ts';
import {
  ApiKeyNotFoundError,
  credentialsRejected,
  EmailAlreadyUsedError,
  InvalidAccountInputError,
  WeakPasswordError,
} from './auth.errors.ts';
import { API_KEY_HEADER, PASSWORD_LENGTH, trustedOrigins, type Auth } from './auth.ts';

import { ACCOUNT_FIELD_LIMITS } from '../../lib/input-limits.ts';

type AuthDeps = Pick<Services, 'auth' | 'db' | 'logger'>;

// ───────────────────────────── who is calling ─────────────────────────────

/**
 * Builds `services.authenticate`: an `x-api-key` header (or graphql-ws connectionParams.apiKey,
 * copied into the header by `withConnectionParams`) wins; otherwise the better-auth session cookie.
 * Cookies count only when the request carries no Origin or a trusted one, so another site can
 * neither ride a driver's session over fetch nor over a cross-site WebSocket.
 * A bad or rate-limited key fails the whole request (401/429) instead of degrading to anonymous.
 */
export function createAuthenticator(
  auth: Auth,
  config: Config,
  db: Pick<Services['db'], 'user'>,
): (headers: Headers) => Promise<Viewer | null> {
  const origins = new Set(trustedOrigins(config));
  return async (headers) => {
    const key = headers.get(API_KEY_HEADER);
    if (key) return authenticateApiKey(auth, db, key);
    if (!headers.get('cookie')) return null;
    const origin = headers.get('origin');
    if (origin && !origins.has(origin)) return null;
    const result = await auth.api.getSession({ headers });
    if (!result) return null;
    const { user, session } = result;
    return {
      kind: 'user',
      userId: user.id,
      email: user.email,
      role: toRole(user.role),
      status: user.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE',
      sessionId: session.id,
      impersonatorId: session.impersonatedBy ?? null,
    };
  };
}

/** Headers for a graphql-ws operation: the upgrade request's, plus `connectionParams.apiKey`. */
export function withConnectionParams(headers: Headers, connectionParams?: Record<string, unknown>): Headers {
  const key = connectionParams?.apiKey ?? connectionParams?.[API_KEY_HEADER];
  if (typeof key !== 'string' || !key) return headers;
  const merged = new Headers(headers);
  merged.set(API_KEY_HEADER, key);
  return merged;
}

async function authenticateApiKey(
  auth: Auth,
  db: Pick<Services['db'], 'user'>,
  key: string,
): Promise<Viewer> {
  const result = await auth.api.verifyApiKey({ body: { key } });
  if (!result.valid || !result.key) {
    const error = result.error as { code?: string; details?: { tryAgainIn?: number } } | null;
    if (error?.code === 'RATE_LIMITED' || error?.code === 'USAGE_EXCEEDED') {
      const ms = error.details?.tryAgainIn;
      throw credentialsRejected('RATE_LIMITED', ms ? Math.ceil(ms / 1000) : undefined);
    }
    throw credentialsRejected('INVALID_API_KEY');
  }
  // Only keys minted by createApiKey carry a Polaris role; refuse anything else (defence in depth).
  if (!hasPolarisRole(result.key.permissions)) throw credentialsRejected('INVALID_API_KEY');
  if (isDriverKey(result.key.permissions)) {
    // A driver's own key is that driver (their data only), as long as the owner is still a driver.
    const owner = await db.user.findUnique({
      where: { id: result.key.referenceId },
      select: { id: true, email: true, role: true, status: true },
    });
    if (owner?.role !== 'customer') throw credentialsRejected('INVALID_API_KEY');
    return {
      kind: 'user',
      userId: owner.id,
      email: owner.email,
      role: 'customer',
      status: owner.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE',
      sessionId: `apiKey:${result.key.id}`,
      impersonatorId: null,
      apiKey: {
        keyId: result.key.id,
        scopes: apiKeyScopes(result.key.permissions),
        rateLimit: rateLimitState(result.key),
      },
    };
  }
  return {
    kind: 'apiKey',
    keyId: result.key.id,
    role: apiKeyRole(result.key.permissions),
    scopes: apiKeyScopes(result.key.permissions),
    ownerId: result.key.referenceId,
    rateLimit: rateLimitState(result.key),
  };
}

/** The key's budget after this request, from the counters better-auth just updated. */
function rateLimitState(key: {
  rateLimitEnabled?: boolean | null;
  rateLimitMax?: number | null;
  rateLimitTimeWindow?: number | null;
  requestCount?: number | null;
  lastRequest?: Date | string | null;
}): RateLimitState | null {
  if (key.rateLimitEnabled === false || !key.rateLimitMax || !key.rateLimitTimeWindow) return null;
  const used = key.requestCount ?? 0;
  const since = key.lastRequest ? Date.now() - new Date(key.lastRequest).getTime() : 0;
  return {
    limit: key.rateLimitMax,
    remaining: Math.max(0, key.rateLimitMax - used),
    resetSeconds: Math.max(0, Math.ceil((key.rateLimitTimeWindow - since) / 1000)),
  };
}

function toRole(role: unknown): Role {
  return role === 'admin' ? 'admin' : 'customer';
}

// ───────────────────────────── accounts ─────────────────────────────

export interface NewAccount {
  email: string;
  name: string;
  password: string;
  role: Role;
  status?: 'ACTIVE' | 'INACTIVE';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkAccountInput(input: { email: string; name: string; password: string }) {
  if (input.email.length > ACCOUNT_FIELD_LIMITS.email || !EMAIL.test(input.email.trim()))
    throw new InvalidAccountInputError('Enter a valid email address.', 'email');
  if (!input.name.trim() || input.name.length > ACCOUNT_FIELD_LIMITS.name) {
    throw new InvalidAccountInputError('Enter a name (up to 200 characters).', 'name');
  }
  checkPassword(input.password);
}

function checkPassword(password: string) {
  if (password.length < PASSWORD_LENGTH.min || password.length > PASSWORD_LENGTH.max)
    throw new WeakPasswordError();
}

/**
 * Creates a person with an email + password credential, hashed by better-auth. Used by the
 * `createDriver` mutation, `npm run admin:create` and the demo seed; auditing is the caller's job.
 */
export async function createAccount(
  deps: AuthDeps,
  input: NewAccount,
): Promise<{ id: string; email: string }> {
  checkAccountInput(input);
  const email = input.email.trim().toLowerCase();
  if (await deps.db.user.findUnique({ where: { email }, select: { id: true } }))
    throw new EmailAlreadyUsedError(email);
  try {
    const { user } = await deps.auth.api.createUser({
      body: {
        email,
        name: input.name.trim(),
        password: input.password,
        role: input.role,
        data: { status: input.status ?? 'ACTIVE' },
      },
    });
    return { id: user.id, email: user.email };
  } catch (error) {
    if (isAPIError(error) && error.body?.code === 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL') {
      throw new EmailAlreadyUsedError(email);
    }
    throw error;
  }
}

/**
 * Creates an operator account (what `npm run admin:create` runs) and records it in the audit log.
 * Refuses an email that is already taken, whatever its role.
 */
export async function createAdminAccount(
  deps: AuthDeps,
  input: { email: string; name?: string | null; password: string },
): Promise<{ id: string; email: string }> {
  const name = input.name?.trim() || input.email.split('@')[0] || 'Operator';
  const created = await createAccount(deps, {
    email: input.email,
    name,
    password: input.password,
    role: 'admin',
  });
  await recordAudit(deps.db, {
    actor: null,
    action: 'admin.created',
    subjectType: 'User',
    subjectId: created.id,
    after: { email: created.email, name, via: 'admin:create' },
  });
  return created;
}

/** Replaces a person's password and signs them out everywhere. */
export async function setAccountPassword(deps: AuthDeps, userId: string, password: string): Promise<void> {
  checkPassword(password);
  const ctx = await deps.auth.$context;
  const hash = await ctx.password.hash(password);
  const credential = await deps.db.account.findFirst({
    where: { userId, providerId: 'credential' },
    select: { id: true },
  });
  if (credential) await ctx.internalAdapter.updatePassword(userId, hash);
  else
    await ctx.internalAdapter.linkAccount({
      providerId: 'credential',
      accountId: userId,
      userId,
      password: hash,
    });
  await ctx.internalAdapter.deleteUserSessions(userId);
}

// ───────────────────────────── demo accounts ─────────────────────────────

export const DEMO_PASSWORD = 'polaris-demo';
export const DEMO_ADMIN_EMAIL = 'admin@polaris.test';
export const DEMO_DRIVER_EMAIL = 'driver@polaris.test';

const DEMO_ACCOUNTS: ReadonlyArray<Omit<NewAccount, 'password'>> = [
  { email: DEMO_ADMIN_EMAIL, name: 'Avery Operator', role: 'admin' },
  { email: DEMO_DRIVER_EMAIL, name: 'Dana Driver', role: 'customer' },
  { email: 'sam@polaris.test', name: 'Sam Rivera', role: 'customer' },
  { email: 'kim@polaris.test', name: 'Kim Laine', role: 'customer' },
  // Shows the "Account inactive" path without any setup.
  { email: 'inactive@polaris.test', name: 'Ivo Inactive', role: 'customer', status: 'INACTIVE' },
];

export interface DemoAccounts {
  adminId: string;
  /** driver@polaris.test first; the last one is INACTIVE. */
  driverIds: string[];
  accounts: Array<{ id: string; email: string; role: Role; status: 'ACTIVE' | 'INACTIVE' }>;
}

/**
 * Ensures the demo accounts exist (password `polaris-demo`); safe to run on every start. Only for
 * demo mode (`config.demo`: simulator + sandbox) — callers check that. Card seeders attach cards
 * to the returned driver ids.
 */
export async function seedDemoAccounts(
  services: Pick<Services, 'auth' | 'db' | 'logger'>,
): Promise<DemoAccounts> {
  const accounts: DemoAccounts['accounts'] = [];
  for (const account of DEMO_ACCOUNTS) {
    const existing = await services.db.user.findUnique({
      where: { email: account.email },
      select: { id: true },
    });
    const id = existing
      ? existing.id
      : (
          await createAccount(services, { ...account, password: DEMO_PASSWORD }).catch(
            async (error: unknown) => {
              // Another instance seeded it in the meantime (seen as better-auth's error or, when both
              // inserts race, as the database's unique violation P2002).
              const raced = (error as { code?: unknown } | null)?.code === 'P2002';
              if (!(error instanceof EmailAlreadyUsedError) && !raced) throw error;
              return services.db.user.findUniqueOrThrow({
                where: { email: account.email },
                select: { id: true },
              });
            },
          )
        ).id;
    accounts.push({ id, email: account.email, role: account.role, status: account.status ?? 'ACTIVE' });
  }
  return {
    adminId: accounts.find((a) => a.role === 'admin')!.id,
    driverIds: accounts.filter((a) => a.role === 'customer').map((a) => a.id),
    accounts,
  };
}

// ───────────────────────────── API keys ─────────────────────────────

export interface ApiKeyInfo {
  id: string;
  name: string;
  role: ApiKeyRole;
  scopes: ApiKeyScope[];
  /** The first characters of the key, to recognise it; never the key itself. */
  start: string | null;
  ownerId: string;
  /** A key a driver owns (their data only; `charging` allowed) rather than an operator's. */
  driverOwned: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revoked: boolean;
  rateLimitMax: number | null;
  rateLimitWindowMs: number | null;
}

/** The scopes each role name stands for (keys are created with a role, scopes, or both). */
export const ROLE_SCOPES: Record<ApiKeyRole, ApiKeyScope[]> = {
  READ_ONLY: ['read'],
  OPERATOR: ['read', 'operations', 'billing', 'webhooks'],
};

function polarisPermissions(permissions: unknown): unknown[] | null {
  const polaris = parsedPermissions(permissions)?.polaris;
  return Array.isArray(polaris) ? polaris : null;
}

function hasPolarisRole(permissions: unknown): boolean {
  return polarisPermissions(permissions)?.includes('read') ?? false;
}

function parsedPermissions(permissions: unknown): Record<string, unknown> | null {
  if (typeof permissions !== 'string') return (permissions as Record<string, unknown> | null) ?? null;
  try {
    return JSON.parse(permissions) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Keys a driver created for themselves carry `owner: ['driver']` beside their scopes. */
export function isDriverKey(permissions: unknown): boolean {
  const owner = parsedPermissions(permissions)?.owner;
  return Array.isArray(owner) && owner.includes('driver');
}

/** What a driver's own key may have: reading their own data, and starting/stopping on their cards. */
export const DRIVER_KEY_SCOPES: readonly ApiKeyScope[] = ['read', 'charging'];

/** A key's scopes from the plugin's parsed permissions or the stored JSON string. */
export function apiKeyScopes(permissions: unknown): ApiKeyScope[] {
  const granted = polarisPermissions(permissions) ?? [];
  // Keys minted before scopes existed carry `operate`: everything an OPERATOR key does.
  const expanded = granted.flatMap((p) => (p === 'operate' ? ROLE_SCOPES.OPERATOR : [p]));
  return API_KEY_SCOPES.filter((s) => expanded.includes(s));
}

/** OPERATOR when the key may run operations, else READ_ONLY. */
export function apiKeyRole(permissions: unknown): ApiKeyRole {
  return apiKeyScopes(permissions).includes('operations') ? 'OPERATOR' : 'READ_ONLY';
}

type ApikeyRow = Awaited<ReturnType<Services['db']['apikey']['findFirstOrThrow']>>;

function toApiKeyInfo(row: ApikeyRow): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name ?? '',
    role: apiKeyRole(row.permissions),
    scopes: apiKeyScopes(row.permissions),
    start: row.start,
    ownerId: row.referenceId,
    driverOwned: isDriverKey(row.permissions),
    createdAt: row.createdAt,
    lastUsedAt: row.lastRequest,
    expiresAt: row.expiresAt,
    revoked: row.enabled === false,
    rateLimitMax: row.rateLimitEnabled === false ? null : row.rateLimitMax,
    rateLimitWindowMs: row.rateLimitEnabled === false ? null : row.rateLimitTimeWindow,
  };
}

/** Every key, or only the keys `ownerId` owns. */
export async function listApiKeys(deps: Pick<Services, 'db'>, ownerId?: string): Promise<ApiKeyInfo[]> {
  const rows = await deps.db.apikey.findMany({
    ...(ownerId ? { where: { referenceId: ownerId } } : {}),
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
  });
  return rows.map(toApiKeyInfo);
}

/** Creates a key owned by the acting admin; the secret is returned here once and stored only hashed. */
export async function createApiKey(
  deps: AuthDeps,
  actor: Extract<Viewer, { kind: 'user' }>,
  input: { name: string; role?: ApiKeyRole | null; scopes?: readonly ApiKeyScope[] | null },
): Promise<{ apiKey: ApiKeyInfo; secret: string }> {
  const name = input.name.trim();
  if (!name || name.length > 64)
    throw new InvalidAccountInputError('Name the key (1 to 64 characters).', 'name');
  if (!input.role && !input.scopes?.length)
    throw new InvalidAccountInputError('Give the key a role or at least one scope.', 'scopes');
  // Every key reads; scopes add to its role.
  const scopes = API_KEY_SCOPES.filter(
    (s) => s === 'read' || ROLE_SCOPES[input.role ?? 'READ_ONLY'].includes(s) || input.scopes?.includes(s),
  );
  if (scopes.includes('charging'))
    throw new InvalidAccountInputError(
      'The charging scope is for keys a driver owns (start and stop on their own cards); an operator’s key cannot start charges.',
      'scopes',
    );
  return mintApiKey(deps, actor, name, { polaris: scopes });
}

/**
 * Creates a key the signed-in driver owns: it reads the driver's own data and, with `charging`,
 * starts and stops charges on the driver's own cards — nothing else (see guards in builder.ts and
 * `useDriverKeyLimits`). The secret is returned once.
 */
export async function createDriverApiKey(
  deps: AuthDeps,
  actor: Extract<Viewer, { kind: 'user' }>,
  input: { name: string; scopes?: readonly ApiKeyScope[] | null },
): Promise<{ apiKey: ApiKeyInfo; secret: string }> {
  const name = input.name.trim();
  if (!name || name.length > 64)
    throw new InvalidAccountInputError('Name the key (1 to 64 characters).', 'name');
  const other = input.scopes?.find((s) => !DRIVER_KEY_SCOPES.includes(s));
  if (other)
    throw new InvalidAccountInputError(
      `A driver’s key can read your own data and start and stop your charges (READ, CHARGING), not ${other.toUpperCase()}.`,
      'scopes',
    );
  const scopes = API_KEY_SCOPES.filter((s) => s === 'read' || input.scopes?.includes(s));
  return mintApiKey(deps, actor, name, { polaris: scopes, owner: ['driver'] });
}

async function mintApiKey(
  deps: AuthDeps,
  actor: Extract<Viewer, { kind: 'user' }>,
  name: string,
  permissions: Record<string, string[]>,
): Promise<{ apiKey: ApiKeyInfo; secret: string }> {
  const created = await deps.auth.api.createApiKey({
    body: { name, userId: actor.userId, permissions },
  });
  const row = await deps.db.apikey.findUniqueOrThrow({ where: { id: created.id } });
  const apiKey = toApiKeyInfo(row);
  await recordAudit(deps.db, {
    actor,
    action: 'apiKey.created',
    subjectType: 'ApiKey',
    subjectId: apiKey.id,
    after: {
      name: apiKey.name,
      role: apiKey.role,
      scopes: apiKey.scopes,
      start: apiKey.start,
      driverOwned: apiKey.driverOwned,
    },
  });
  return { apiKey, secret: created.key };
}

/**
 * Disables a key at once (kept for the audit trail; it can never be re-enabled). With `ownerId`,
 * only a key that person owns: anyone else's is "not found".
 */
export async function revokeApiKey(
  deps: AuthDeps,
  actor: Viewer,
  id: string,
  ownerId?: string,
): Promise<ApiKeyInfo> {
  const row = await deps.db.apikey.findUnique({ where: { id } });
  if (!row || (ownerId !== undefined && row.referenceId !== ownerId)) throw new ApiKeyNotFoundError();
  if (row.enabled === false) return toApiKeyInfo(row);
  const updated = await deps.db.$transaction(async (tx) => {
    const next = await tx.apikey.update({ where: { id }, data: { enabled: false, updatedAt: new Date() } });
    await recordAudit(tx, {
      actor,
      action: 'apiKey.revoked',
      subjectType: 'ApiKey',
      subjectId: id,
      before: { name: row.name, enabled: true },
      after: { name: row.name, enabled: false },
    });
    return next;
  });
  return toApiKeyInfo(updated);
}
