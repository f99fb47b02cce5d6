import { APIError, createAuthMiddleware } from 'better-auth/api';
import { ACCOUNT_FIELD_LIMITS, findHostileString, isSafeImageUrl } from '../../lib/input-limits.ts';

/**
 * Hardening of better-auth's HTTP endpoints, run as its `before` / `after` hooks (see auth.ts).
 *
 * - Every string in a request body is checked before better-auth sees it: a NUL byte or a string
 *   longer than the field allows is a 400 `VALIDATION_ERROR` (PostgreSQL would otherwise fail the
 *   query and the caller would get an empty 500).
 * - `/update-user` accepts only `name` and `image`, validated like the GraphQL account mutations.
 * - Session tokens never leave the server in a response body: the HttpOnly cookie is the only
 *   carrier, so neither a sign-in response nor an operator's session list can leak one to scripts.
 */

/** The better-auth paths whose body fields a person may write about themself. */
const UPDATE_USER_FIELDS = new Set(['name', 'image']);

function invalid(message: string, field: string): APIError {
  return new APIError('BAD_REQUEST', { message, code: 'VALIDATION_ERROR', field });
}

/** Throws a 400 for a body better-auth should not see; returns quietly otherwise. */
export function checkAuthRequestBody(path: string, body: unknown): void {
  const hostile = findHostileString(body, (field) =>
    field === 'email'
      ? ACCOUNT_FIELD_LIMITS.email
      : field === 'name'
        ? ACCOUNT_FIELD_LIMITS.name
        : field === 'image'
          ? ACCOUNT_FIELD_LIMITS.image
          : undefined,
  );
  if (hostile) throw invalid(hostile.message, hostile.field);
  if (path !== '/update-user' || typeof body !== 'object' || body === null) return;
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!UPDATE_USER_FIELDS.has(key)) throw invalid(`"${key}" cannot be changed here.`, key);
  }
  if ('name' in fields) {
    const name = fields.name;
    if (typeof name !== 'string' || !name.trim())
      throw invalid(`Enter a name (up to ${ACCOUNT_FIELD_LIMITS.name} characters).`, 'name');
  }
  if ('image' in fields && fields.image !== null) {
    if (typeof fields.image !== 'string' || !isSafeImageUrl(fields.image))
      throw invalid('The picture must be an https:// (or http://) address.', 'image');
  }
}

/** Removes `token` from a session-shaped response body (sign-in, get-session, session lists). */
export function withoutSessionTokens(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSessionTokens);
  if (typeof value !== 'object' || value === null || value instanceof Response) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'token') continue;
    out[key] = key === 'session' || key === 'sessions' ? withoutSessionTokens(inner) : inner;
  }
  return out;
}

/** Whether a response body carries a session token anywhere `withoutSessionTokens` strips one. */
function carriesToken(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(carriesToken);
  if (typeof value !== 'object' || value === null || value instanceof Response) return false;
  const record = value as Record<string, unknown>;
  return 'token' in record || carriesToken(record.session) || carriesToken(record.sessions);
}

/** better-auth `after` hook: strips session tokens from HTTP responses (server-side calls keep them). */
export const stripSessionTokens = createAuthMiddleware(async (ctx) => {
  if (!ctx.request) return;
  const returned: unknown = ctx.context.returned;
  if (returned instanceof APIError || !carriesToken(returned)) return;
  // An object or, for /list-sessions, an array: both are JSON bodies to better-call.
  return ctx.json(withoutSessionTokens(returned) as Record<string, unknown>);
});
