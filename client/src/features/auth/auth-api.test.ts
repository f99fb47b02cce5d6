import { describe, expect, it } from 'vitest';
import { NETWORK_ERROR_MESSAGE } from '../../app/errors.ts';
import { AuthError, destinationAfterSignIn, fetchSession, isAdmin, signInWithEmail } from './auth-api.ts';

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

function fakeFetch(handler: Handler) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fn = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    calls.push({ url, init });
    return handler(url, init);
  }) as typeof fetch;
  return Object.assign(fn, { calls });
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('signInWithEmail', () => {
  it('posts the credentials with cookies included', async () => {
    const fetch = fakeFetch(() => json({ redirect: false, token: 't' }));
    await signInWithEmail({ email: 'admin@polaris.test', password: 'polaris-demo' }, fetch);
    expect(fetch.calls).toHaveLength(1);
    const [call] = fetch.calls;
    expect(call?.url).toBe('/api/auth/sign-in/email');
    expect(call?.init.method).toBe('POST');
    expect(call?.init.credentials).toBe('include');
    expect(JSON.parse(String(call?.init.body))).toEqual({
      email: 'admin@polaris.test',
      password: 'polaris-demo',
    });
  });

  it("shows the server's own error text", async () => {
    const fetch = fakeFetch(() =>
      json({ code: 'INVALID_EMAIL_OR_PASSWORD', message: 'Invalid email or password' }, 401),
    );
    const error = await signInWithEmail({ email: 'a@b.c', password: 'x' }, fetch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ message: 'Invalid email or password', status: 401 });
  });

  it('explains failures without a message and unreachable servers', async () => {
    const html = fakeFetch(() => new Response('<h1>Bad gateway</h1>', { status: 502 }));
    await expect(signInWithEmail({ email: 'a@b.c', password: 'x' }, html)).rejects.toThrow(
      'Sign-in failed (HTTP 502).',
    );
    const down = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    await expect(signInWithEmail({ email: 'a@b.c', password: 'x' }, down)).rejects.toThrow(
      NETWORK_ERROR_MESSAGE,
    );
  });
});

describe('fetchSession', () => {
  it('returns null when signed out and the session when signed in', async () => {
    expect(await fetchSession(fakeFetch(() => json(null)))).toBeNull();
    const session = {
      session: { id: 's1', userId: 'u1', expiresAt: '2030-01-01T00:00:00.000Z' },
      user: { id: 'u1', email: 'admin@polaris.test', name: 'Ada', role: 'admin' },
    };
    expect(await fetchSession(fakeFetch(() => json(session)))).toEqual(session);
  });
});

describe('roles and redirects', () => {
  const admin = { role: 'admin' };
  const driver = { role: 'customer' };

  it('reads comma-separated roles', () => {
    expect(isAdmin({ role: 'customer,admin' })).toBe(true);
    expect(isAdmin({ role: 'customer' })).toBe(false);
    expect(isAdmin({ role: null })).toBe(false);
  });

  it('sends admins to the console and drivers to their dashboard', () => {
    expect(destinationAfterSignIn(admin, null)).toBe('/admin');
    expect(destinationAfterSignIn(driver, null)).toBe('/');
  });

  it('honours ?next= only for local pages the user may open', () => {
    expect(destinationAfterSignIn(admin, '/admin/cards?page=2')).toBe('/admin/cards?page=2');
    expect(destinationAfterSignIn(driver, '/admin/cards')).toBe('/');
    expect(destinationAfterSignIn(driver, '/administrator')).toBe('/administrator');
    expect(destinationAfterSignIn(admin, '//evil.example')).toBe('/admin');
    expect(destinationAfterSignIn(admin, 'https://evil.example')).toBe('/admin');
    expect(destinationAfterSignIn(admin, '/sign-in')).toBe('/admin');
  });
});
