import { NETWORK_ERROR_MESSAGE } from '../../app/errors.ts';
import { paths } from '../../app/paths.ts';

/**
 * Calls to better-auth's REST endpoints under /api/auth. Cookie sessions: every call sends
 * credentials, and the server sets or clears the session cookie.
 */

export const AUTH_BASE = '/api/auth';

/** The signed-in user as better-auth returns it (admin plugin fields included). */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  /** `admin` or `customer`; better-auth may list several, comma-separated. */
  role?: string | null;
  /** `ACTIVE` or `INACTIVE`; inactive accounts may not start charging ("Account inactive"). */
  status?: string | null;
  image?: string | null;
}

export interface AuthSession {
  session: {
    id: string;
    userId: string;
    expiresAt: string;
    /** Set while an admin views the app as this user (read-only). */
    impersonatedBy?: string | null;
  };
  user: SessionUser;
}

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

type Fetch = typeof fetch;

async function call(fetchImpl: Fetch, path: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetchImpl(`${AUTH_BASE}${path}`, {
      credentials: 'include',
      ...init,
      headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
    });
  } catch {
    throw new AuthError(NETWORK_ERROR_MESSAGE, null);
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The server's own error text when it sent one; otherwise a plain sentence for the status. */
async function errorFrom(response: Response, fallback: string): Promise<AuthError> {
  const body = await readJson(response);
  const message = isRecord(body) && typeof body['message'] === 'string' ? body['message'].trim() : '';
  const code = isRecord(body) && typeof body['code'] === 'string' ? body['code'] : null;
  if (message) return new AuthError(message, response.status, code);
  if (response.status === 429) {
    return new AuthError('Too many attempts. Wait a moment and try again.', 429, code);
  }
  return new AuthError(`${fallback} (HTTP ${response.status}).`, response.status, code);
}

function isAuthSession(value: unknown): value is AuthSession {
  return (
    isRecord(value) &&
    isRecord(value['session']) &&
    typeof value['session']['id'] === 'string' &&
    isRecord(value['user']) &&
    typeof value['user']['id'] === 'string'
  );
}

/** GET /api/auth/get-session: the current session, or null when signed out. */
export async function fetchSession(fetchImpl: Fetch = fetch): Promise<AuthSession | null> {
  const response = await call(fetchImpl, '/get-session', { method: 'GET', cache: 'no-store' });
  if (!response.ok) throw await errorFrom(response, 'Could not check your session');
  const body = await readJson(response);
  return isAuthSession(body) ? body : null;
}

/** POST /api/auth/sign-in/email. Resolves once the session cookie is set; throws AuthError otherwise. */
export async function signInWithEmail(
  credentials: { email: string; password: string },
  fetchImpl: Fetch = fetch,
): Promise<void> {
  const response = await call(fetchImpl, '/sign-in/email', {
    method: 'POST',
    body: JSON.stringify({ email: credentials.email, password: credentials.password }),
  });
  if (!response.ok) throw await errorFrom(response, 'Sign-in failed');
}

/** POST /api/auth/sign-out. */
export async function signOut(fetchImpl: Fetch = fetch): Promise<void> {
  const response = await call(fetchImpl, '/sign-out', { method: 'POST', body: '{}' });
  if (!response.ok) throw await errorFrom(response, 'Sign-out failed');
}

/** POST /api/auth/admin/stop-impersonating (better-auth admin plugin): back to the admin's own session. */
export async function stopImpersonating(fetchImpl: Fetch = fetch): Promise<void> {
  const response = await call(fetchImpl, '/admin/stop-impersonating', { method: 'POST', body: '{}' });
  if (!response.ok) throw await errorFrom(response, 'Could not stop impersonating');
}

export function hasRole(user: Pick<SessionUser, 'role'>, role: string): boolean {
  return (user.role ?? '')
    .split(',')
    .map((r) => r.trim())
    .includes(role);
}

export function isAdmin(user: Pick<SessionUser, 'role'>): boolean {
  return hasRole(user, 'admin');
}

/** Operators land on the console, drivers on their dashboard. */
export function homePathFor(user: Pick<SessionUser, 'role'>): string {
  return isAdmin(user) ? paths.admin.dashboard : paths.driverDashboard;
}

/**
 * Where to go after signing in: the page that sent the user to sign-in when it is a local path
 * this user may open, otherwise their home.
 */
export function destinationAfterSignIn(user: Pick<SessionUser, 'role'>, next: string | null): string {
  const local = next != null && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\');
  if (!local || next.startsWith(paths.signIn)) return homePathFor(user);
  const admin = paths.admin.dashboard;
  const adminArea = next === admin || next.startsWith(`${admin}/`) || next.startsWith(`${admin}?`);
  if (adminArea && !isAdmin(user)) return homePathFor(user);
  return next;
}
