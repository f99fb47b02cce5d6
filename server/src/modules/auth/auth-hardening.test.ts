import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { escapeLike, findHostileString, isSafeImageUrl } from '../../lib/input-limits.ts';

describe('better-auth endpoints, hardened', () => {
  let t: TestApp;
  let adminCookie: string;
  let driver: { id: string; email: string; password: string };
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
    driver = await t.createUser();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('never puts a session token in a response body (sign-in, get-session, session lists)', async () => {
    const signIn = await t.authRequest('/sign-in/email', { email: driver.email, password: driver.password });
    expect(signIn.response.status).toBe(200);
    expect(signIn.json).toMatchObject({ user: { email: driver.email } });
    expect(signIn.json).not.toHaveProperty('token');
    const tokenInCookie = decodeURIComponent(/session_token=([^;.]+)/.exec(signIn.cookie)?.[1] ?? '');
    expect(tokenInCookie.length).toBeGreaterThan(10);

    const session = await fetch(`${t.url}/api/auth/get-session`, { headers: { cookie: signIn.cookie } });
    const sessionBody = await session.text();
    expect(JSON.parse(sessionBody)).toMatchObject({ user: { email: driver.email } });
    expect(JSON.parse(sessionBody).session).not.toHaveProperty('token');

    const own = await fetch(`${t.url}/api/auth/list-sessions`, { headers: { cookie: signIn.cookie } });
    const ownBody = await own.text();
    expect(own.status).toBe(200);
    expect((JSON.parse(ownBody) as unknown[]).length).toBeGreaterThan(0);

    const listed = await t.authRequest('/admin/list-user-sessions', { userId: driver.id }, adminCookie);
    expect(listed.response.status).toBe(200);
    const sessions = (listed.json as { sessions: Array<Record<string, unknown>> }).sessions;
    expect(sessions.length).toBeGreaterThan(0);
    for (const s of sessions) expect(s).not.toHaveProperty('token');
    // Whatever the shape, the raw token appears in none of these bodies.
    for (const body of [JSON.stringify(signIn.json), sessionBody, ownBody, JSON.stringify(listed.json)])
      expect(body).not.toContain(tokenInCookie);

    // The cookie still works for GraphQL.
    const me = await t.graphql<{ viewer: { email: string } }>(
      '{ viewer { email } }',
      {},
      { cookie: signIn.cookie },
    );
    expect(me.data?.viewer.email).toBe(driver.email);
  });

  it('validates /update-user like the GraphQL account mutations', async () => {
    const cookie = await t.signIn(driver.email, driver.password);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'x'.repeat(500_000) }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'Eve\u0000' }, 'name'],
      [{ image: 'javascript:alert(1)' }, 'image'],
      [{ image: 'data:text/html,<script>1</script>' }, 'image'],
      [{ role: 'admin' }, 'role'],
      [{ status: 'ACTIVE' }, 'status'],
    ];
    for (const [body, field] of cases) {
      const { response, json } = await t.authRequest('/update-user', body, cookie);
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(json).toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(JSON.stringify(json)).toContain(field);
    }
    const user = await t.app.services.db.user.findUniqueOrThrow({ where: { id: driver.id } });
    expect(user.name).toMatch(/^Test User/);
    expect(user.image).toBeNull();
    expect(user.role).toBe('customer');

    const ok = await t.authRequest(
      '/update-user',
      { name: 'Renamed Driver', image: 'https://example.test/me.png' },
      cookie,
    );
    expect(ok.response.status).toBe(200);
    const updated = await t.app.services.db.user.findUniqueOrThrow({ where: { id: driver.id } });
    expect(updated).toMatchObject({ name: 'Renamed Driver', image: 'https://example.test/me.png' });
  });

  it('answers NUL bytes and a 900 kB email on sign-in with a 400, not a 500', async () => {
    for (const email of [`a\u0000b@example.test`, `${'a'.repeat(900_000)}@example.test`]) {
      const { response, json } = await t.authRequest('/sign-in/email', { email, password: 'whatever-123' });
      expect(response.status).toBe(400);
      expect(json).toMatchObject({ code: 'VALIDATION_ERROR' });
    }
    const nul = await t.authRequest('/sign-in/email', { email: driver.email, password: 'x\u0000y12345' });
    expect(nul.response.status).toBe(400);
  });
});

describe('inactive drivers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('sign in and see INACTIVE (the notice), but cannot charge or change their account', async () => {
    const person = await t.createUser({ status: 'INACTIVE' });
    const cookie = await t.signIn(person.email, person.password);
    const me = await t.graphql<{ viewer: { status: string } }>('{ viewer { status } }', {}, { cookie });
    expect(me.data?.viewer.status).toBe('INACTIVE');

    const start = await t.graphql<{ startCharging: { __typename: string } }>(
      'mutation ($id: ID!) { startCharging(chargerId: $id) { __typename } }',
      { id: 'Q2hhcmdlcjpuby1zdWNo' },
      { cookie },
    );
    expect(start.data?.startCharging.__typename).toBe('AccountInactiveError');

    for (const [path, body] of [
      ['/update-user', { name: 'New name' }],
      ['/change-password', { currentPassword: person.password, newPassword: 'another long password' }],
    ] as const) {
      const { response, json } = await t.authRequest(path, body, cookie);
      expect(response.status, path).toBe(403);
      expect(json).toMatchObject({ code: 'ACCOUNT_INACTIVE' });
    }
    const stored = await t.app.services.db.user.findUniqueOrThrow({ where: { id: person.id } });
    expect(stored.name).not.toBe('New name');
    // The old password still works: nothing changed.
    expect(await t.signIn(person.email, person.password)).toContain('session_token');
  });
});

describe('input helpers', () => {
  it('find NUL bytes and oversize strings anywhere in an input, naming the field', () => {
    expect(findHostileString({ a: { label: 'ok' } })).toBeNull();
    expect(findHostileString({ a: [{ label: 'x\u0000' }] })).toMatchObject({ field: 'label' });
    expect(findHostileString({ label: 'x'.repeat(1001) })).toMatchObject({ field: 'label' });
    expect(
      findHostileString({ label: 'x'.repeat(30) }, (f) => (f === 'label' ? 20 : undefined)),
    ).toMatchObject({
      field: 'label',
    });
  });

  it('accept only absolute http(s) pictures and escape LIKE wildcards', () => {
    expect(isSafeImageUrl('https://example.test/a.png')).toBe(true);
    expect(isSafeImageUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeImageUrl('https://user:pw@example.test/a.png')).toBe(false);
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
});
