import { adminClient, inferAdditionalFields } from 'better-auth/client/plugins';
import { createAuthClient } from 'better-auth/react';
import { NETWORK_ERROR_MESSAGE } from '../../app/errors.ts';

/** Where the server mounts better-auth (server/src/modules/auth/auth.ts, AUTH_BASE_PATH). */
export const AUTH_BASE_PATH = '/api/auth';

export interface AuthClientOptions {
  /** The server's origin; in the browser the page's own. */
  baseURL?: string;
  /** Another fetch (tests: one that keeps cookies outside a browser). */
  fetch?: typeof fetch;
}

/**
 * better-auth's React client with the admin plugin (stop impersonating, impersonate a user) and the
 * user's `status` field. Cookie sessions: every call includes credentials.
 */
export function createPolarisAuthClient(options: AuthClientOptions = {}) {
  return createAuthClient({
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    basePath: AUTH_BASE_PATH,
    ...(options.fetch ? { fetchOptions: { customFetchImpl: options.fetch } } : {}),
    plugins: [
      adminClient(),
      inferAdditionalFields({ user: { status: { type: 'string', required: false } } }),
    ],
  });
}

export type PolarisAuthClient = ReturnType<typeof createPolarisAuthClient>;

/** The app's one client. */
export const authClient = createPolarisAuthClient();

type Session = NonNullable<PolarisAuthClient['$Infer']['Session']>;
export type AuthSession = { session: Session['session']; user: Session['user'] };

/** A failed auth call; `message` is safe to show. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** better-auth's error of a call (`{ error }`) as something to show: its own text, or a plain sentence. */
export function authError(
  error: { message?: string | undefined; status: number; code?: string | undefined },
  fallback: string,
): AuthError {
  const message = error.message?.trim();
  // better-fetch reports an unreachable server as status 0 without a body.
  if (!error.status) return new AuthError(NETWORK_ERROR_MESSAGE, null);
  if (message) return new AuthError(message, error.status, error.code ?? null);
  if (error.status === 429) return new AuthError('Too many attempts. Wait a moment and try again.', 429);
  return new AuthError(`${fallback} (HTTP ${error.status}).`, error.status, error.code ?? null);
}

/**
 * Runs one better-auth call and returns its data, or throws an AuthError with a message to show.
 * An unreachable server (fetch itself fails) is NETWORK_ERROR_MESSAGE.
 */
export async function authCall<T>(
  call: () => Promise<
    { data: T; error: null } | { data: null; error: { message?: string; status: number; code?: string } }
  >,
  fallback: string,
): Promise<T> {
  let result: Awaited<ReturnType<typeof call>>;
  try {
    result = await call();
  } catch {
    throw new AuthError(NETWORK_ERROR_MESSAGE, null);
  }
  if (result.error) throw authError(result.error, fallback);
  return result.data as T;
}
