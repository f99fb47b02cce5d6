import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { apiKey } from '@better-auth/api-key';
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api';
import { admin } from 'better-auth/plugins/admin';
import { adminAc, userAc } from 'better-auth/plugins/admin/access';
import type { Config } from '../../config.ts';
import type { Db } from '../../lib/db.ts';
import type { Logger } from '../../lib/logger.ts';
import { recordAudit } from '../audit/audit.ts';
import { checkAuthRequestBody, stripSessionTokens } from './auth-hardening.ts';

/** Where better-auth's endpoints live (client: `createAuthClient({ basePath: '/api/auth' })`). */
export const AUTH_BASE_PATH = '/api/auth';
/** Header our HTTP server sets from the socket (or a trusted proxy); clients cannot spoof it. */
export const CLIENT_IP_HEADER = 'x-polaris-client-ip';
export const API_KEY_HEADER = 'x-api-key';
export const API_KEY_PREFIX = 'pex_';
/** Per-key request budget: 600 requests per rolling minute. */
export const API_KEY_RATE_LIMIT = { maxRequests: 600, timeWindowMs: 60_000 } as const;
/** Sign-in attempts per client IP. */
export const SIGN_IN_RATE_LIMIT = { window: 60, max: 10 } as const;
export const PASSWORD_LENGTH = { min: 8, max: 128 } as const;
const VITE_DEV_ORIGIN = 'http://localhost:5173';

/**
 * better-auth endpoints not served over HTTP: account and key management goes through the audited
 * GraphQL mutations (a driver could otherwise mint their own API key, or an admin change roles
 * without a trace). Server-side `auth.api.*` calls still work.
 */
export const DISABLED_AUTH_PATHS = [
  '/admin/create-user',
  '/admin/update-user',
  '/admin/set-role',
  '/admin/set-user-password',
  '/admin/ban-user',
  '/admin/unban-user',
  '/admin/remove-user',
  '/admin/revoke-user-session',
  '/admin/revoke-user-sessions',
  '/api-key/create',
  '/api-key/update',
  '/api-key/delete',
  '/api-key/get',
  '/api-key/list',
  '/api-key/delete-all-expired-api-keys',
];

/** Account changes an INACTIVE driver may not make on /api/auth (sign-in, sign-out and reads stay open). */
const INACTIVE_REFUSED_PATHS = new Set([
  '/update-user',
  '/change-password',
  '/change-email',
  '/delete-user',
  '/revoke-other-sessions',
]);

/** What an impersonated session may still do on /api/auth: read, and end the impersonation. */
const ALLOWED_WHILE_IMPERSONATING = new Set(['/admin/stop-impersonating', '/sign-out', '/get-session']);

export interface CreateAuthOptions {
  config: Config;
  db: Db;
  logger: Logger;
  secret: string;
}

/** Origins allowed to use cookie sessions: PUBLIC_URL, TRUSTED_ORIGINS and, in development, Vite. */
export function trustedOrigins(config: Config): string[] {
  const publicUrl = new URL(config.publicUrl);
  const origins = [publicUrl.origin, ...config.TRUSTED_ORIGINS.map((o) => new URL(o).origin)];
  // http://localhost:4000 is also reached as 127.0.0.1 or [::1]: the same machine, the same origin to a person.
  if (publicUrl.hostname === 'localhost') {
    for (const host of ['127.0.0.1', '[::1]'])
      origins.push(`${publicUrl.protocol}//${host}${publicUrl.port ? `:${publicUrl.port}` : ''}`);
  }
  if (config.NODE_ENV === 'development') origins.push(VITE_DEV_ORIGIN);
  return [...new Set(origins)];
}

/**
 * The better-auth instance: email + password with cookie sessions, the admin plugin (roles,
 * impersonation) and API keys. Public sign-up is off: admins create accounts.
 */
export function createAuth({ config, db, logger, secret }: CreateAuthOptions) {
  const log = logger.child({ component: 'auth' });
  return betterAuth({
    appName: 'Polaris Express',
    baseURL: config.publicUrl,
    basePath: AUTH_BASE_PATH,
    secret,
    trustedOrigins: trustedOrigins(config),
    database: prismaAdapter(db, { provider: 'postgresql' }),
    telemetry: { enabled: false },
    disabledPaths: DISABLED_AUTH_PATHS,
    hooks: {
      // Impersonation is read-only on /api/auth too (password, profile, sessions), not just in GraphQL.
      before: createAuthMiddleware(async (ctx) => {
        if (!ctx.request || ctx.request.method === 'GET') return;
        // NUL bytes, oversize strings, unsafe profile fields: a 400 before better-auth reads them.
        checkAuthRequestBody(ctx.path, ctx.body);
        if (ALLOWED_WHILE_IMPERSONATING.has(ctx.path)) return;
        const current = await getSessionFromCtx(ctx);
        // Inactive drivers may sign in and look (they see why they cannot charge), nothing more.
        if (
          (current?.user as { status?: string } | undefined)?.status === 'INACTIVE' &&
          !(current?.session as { impersonatedBy?: string | null } | undefined)?.impersonatedBy &&
          INACTIVE_REFUSED_PATHS.has(ctx.path)
        ) {
          throw new APIError('FORBIDDEN', {
            message: 'Account inactive: ask an operator to reactivate it.',
            code: 'ACCOUNT_INACTIVE',
          });
        }
        if ((current?.session as { impersonatedBy?: string | null } | undefined)?.impersonatedBy) {
          throw new APIError('FORBIDDEN', {
            message: 'Impersonation is read-only: stop impersonating first.',
            code: 'IMPERSONATION_READ_ONLY',
          });
        }
      }),
      // Session tokens travel only in the HttpOnly cookie, never in a response body.
      after: stripSessionTokens,
    },
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: PASSWORD_LENGTH.min,
      maxPasswordLength: PASSWORD_LENGTH.max,
    },
    user: {
      additionalFields: {
        status: { type: 'string', required: false, defaultValue: 'ACTIVE', input: false },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: 'database',
      window: 60,
      max: 300,
      customRules: { '/sign-in/*': { ...SIGN_IN_RATE_LIMIT } },
    },
    advanced: {
      useSecureCookies: config.publicUrl.startsWith('https://'),
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    logger: {
      level: config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'debug' : 'warn',
      log: (level, message, ...args) => {
        // A refused API key is an expected outcome (401 to the caller), not a server error.
        const expected = message.startsWith('Failed to validate API key');
        log[expected ? 'debug' : level]({ details: args.length ? args : undefined }, message);
      },
    },
    plugins: [
      // Drivers get the plugin's plain-user permissions (none over others); operators its admin ones.
      admin({
        defaultRole: 'customer',
        roles: { admin: adminAc, customer: userAc },
        impersonationSessionDuration: 60 * 60,
      }),
      apiKey({
        apiKeyHeaders: API_KEY_HEADER,
        defaultPrefix: API_KEY_PREFIX,
        requireName: true,
        maximumNameLength: 64,
        rateLimit: {
          enabled: true,
          maxRequests: API_KEY_RATE_LIMIT.maxRequests,
          timeWindow: API_KEY_RATE_LIMIT.timeWindowMs,
        },
      }),
    ],
    databaseHooks: {
      session: {
        create: {
          // The admin plugin creates a session with `impersonatedBy` when an admin starts acting as someone.
          after: async (session) => {
            const by = (session as { impersonatedBy?: string | null }).impersonatedBy;
            if (by) await auditImpersonation(db, 'impersonation.started', by, session.userId, session.id);
          },
        },
        delete: {
          // Stop-impersonating and sign-out both end the impersonated session.
          after: async (session) => {
            const by = (session as { impersonatedBy?: string | null }).impersonatedBy;
            if (by) await auditImpersonation(db, 'impersonation.stopped', by, session.userId, session.id);
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

async function auditImpersonation(
  db: Db,
  action: string,
  adminId: string,
  userId: string,
  sessionId: string,
) {
  const people = await db.user.findMany({
    where: { id: { in: [adminId, userId] } },
    select: { id: true, email: true },
  });
  const email = (id: string) => people.find((p) => p.id === id)?.email ?? null;
  await recordAudit(db, {
    actor: { id: adminId, email: email(adminId) },
    impersonatorId: null,
    action,
    subjectType: 'User',
    subjectId: userId,
    after: { adminId, adminEmail: email(adminId), userId, userEmail: email(userId), sessionId },
  });
}

/**
 * The signing secret: AUTH_SECRET when configured; otherwise one generated on first start and kept
 * in `<DATA_DIR>/auth-secret` (mode 0600) so sessions survive restarts; `persist: false` (in-memory
 * test databases) keeps a throwaway one. Never logged.
 */
export function resolveAuthSecret(config: Config, options: { persist: boolean }): string {
  if (config.AUTH_SECRET) return config.AUTH_SECRET;
  if (!options.persist) return randomBytes(48).toString('base64url');
  const file = path.join(config.dataDir, 'auth-secret');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length < 32)
      throw new Error(`${file} holds no usable secret; delete it to generate a new one`);
    return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  // 'wx' fails if another process won the race; then use what it wrote.
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return fs.readFileSync(file, 'utf8').trim();
  }
}
