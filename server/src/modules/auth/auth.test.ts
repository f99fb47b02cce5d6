import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { createAdminAccount } from './auth.service.ts';

const VIEWER = /* GraphQL */ `
  query {
    viewer {
      id
      email
      name
      role
      status
      impersonatedBy {
        id
        email
        name
      }
    }
  }
`;

const CREATE_DRIVER = /* GraphQL */ `
  mutation ($input: CreateDriverInput!) {
    createDriver(input: $input) {
      __typename
      ... on MutationCreateDriverSuccess {
        data {
          id
          email
          status
        }
      }
      ... on EmailAlreadyUsedError {
        message
      }
      ... on InvalidAccountInputError {
        message
        field
      }
    }
  }
`;

describe('accounts and sessions over HTTP (acceptance)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('first admin signs in, creates a driver, and the driver sees themself as viewer', async () => {
    const admin = await createAdminAccount(t.app.services, {
      email: 'Ops@Example.test',
      name: 'Olga Ops',
      password: 'first-admin-password',
    });
    expect(admin.email).toBe('ops@example.test');

    const adminCookie = await t.signIn('ops@example.test', 'first-admin-password');
    expect(adminCookie).toMatch(/better-auth\.session_token=/);
    const me = await t.graphql<{ viewer: { role: string; email: string; impersonatedBy: null } }>(
      VIEWER,
      {},
      { cookie: adminCookie },
    );
    expect(me.errors).toBeUndefined();
    expect(me.data?.viewer).toMatchObject({ email: 'ops@example.test', role: 'ADMIN', impersonatedBy: null });

    const created = await t.graphql<{
      createDriver: { __typename: string; data: { email: string; status: string } };
    }>(
      CREATE_DRIVER,
      { input: { email: 'dana@example.test', name: 'Dana', password: 'dana-password-1' } },
      { cookie: adminCookie },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data?.createDriver).toMatchObject({
      __typename: 'MutationCreateDriverSuccess',
      data: { email: 'dana@example.test', status: 'ACTIVE' },
    });

    const driverCookie = await t.signIn('dana@example.test', 'dana-password-1');
    const driver = await t.graphql<{ viewer: unknown }>(VIEWER, {}, { cookie: driverCookie });
    expect(driver.status).toBe(200);
    expect(driver.data?.viewer).toMatchObject({
      email: 'dana@example.test',
      name: 'Dana',
      role: 'CUSTOMER',
      status: 'ACTIVE',
      impersonatedBy: null,
    });

    const audit = await t.app.services.db.auditEvent.findMany({ orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['admin.created', 'driver.created']);
    expect(audit[1]).toMatchObject({
      actorId: admin.id,
      actorEmail: 'ops@example.test',
      subjectType: 'User',
    });
  });

  it('stores passwords hashed, never in clear', async () => {
    const account = await t.app.services.db.account.findFirstOrThrow({
      where: { user: { email: 'dana@example.test' }, providerId: 'credential' },
    });
    expect(account.password).toBeTruthy();
    expect(account.password).not.toContain('dana-password-1');
  });

  it('refuses a wrong password and public sign-up', async () => {
    const wrong = await t.authRequest('/sign-in/email', {
      email: 'dana@example.test',
      password: 'nope-nope-nope',
    });
    expect(wrong.response.status).toBe(401);
    expect(wrong.cookie).toBe('');
    const signUp = await t.authRequest('/sign-up/email', {
      email: 'mallory@example.test',
      password: 'mallory-password',
      name: 'Mallory',
    });
    expect(signUp.response.ok).toBe(false);
    expect(await t.app.services.db.user.count({ where: { email: 'mallory@example.test' } })).toBe(0);
  });

  it('anonymous callers get a null viewer, not an error', async () => {
    const anon = await t.graphql<{ viewer: null }>(VIEWER);
    expect(anon.errors).toBeUndefined();
    expect(anon.data?.viewer).toBeNull();
  });

  it('ignores the session cookie when the request comes from an untrusted origin', async () => {
    const cookie = await t.signIn('dana@example.test', 'dana-password-1');
    const res = await t.graphql<{ viewer: null }>(
      VIEWER,
      {},
      { cookie, headers: { origin: 'https://evil.example' } },
    );
    expect(res.data?.viewer).toBeNull();
  });
});

describe('driver accounts (admin)', () => {
  let t: TestApp;
  let adminCookie: string;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('rejects a duplicate email and a short password as typed results', async () => {
    const first = await t.graphql<{ createDriver: { __typename: string } }>(
      CREATE_DRIVER,
      { input: { email: 'twice@example.test', name: 'Twice', password: 'twice-password' } },
      { cookie: adminCookie },
    );
    expect(first.data?.createDriver.__typename).toBe('MutationCreateDriverSuccess');
    const again = await t.graphql<{ createDriver: { __typename: string; message: string } }>(
      CREATE_DRIVER,
      { input: { email: 'TWICE@example.test', name: 'Again', password: 'twice-password' } },
      { cookie: adminCookie },
    );
    expect(again.data?.createDriver).toMatchObject({
      __typename: 'EmailAlreadyUsedError',
      message: 'An account with this email already exists.',
    });
    const weak = await t.graphql<{ createDriver: { __typename: string; field: string } }>(
      CREATE_DRIVER,
      { input: { email: 'weak@example.test', name: 'Weak', password: 'short' } },
      { cookie: adminCookie },
    );
    expect(weak.data?.createDriver).toMatchObject({
      __typename: 'InvalidAccountInputError',
      field: 'password',
    });
  });

  it('deactivates a driver (who can still sign in and sees INACTIVE), audited before/after', async () => {
    const driver = await t.createUser();
    const driverCookie = await t.signIn(driver.email, driver.password);
    const id = encodeGlobalID('User', driver.id);
    const res = await t.graphql<{ setDriverStatus: { data: { status: string } } }>(
      'mutation ($id: ID!) { setDriverStatus(id: $id, status: INACTIVE) { ... on MutationSetDriverStatusSuccess { data { status } } } }',
      { id },
      { cookie: adminCookie },
    );
    expect(res.data?.setDriverStatus.data.status).toBe('INACTIVE');
    const me = await t.graphql<{ viewer: { status: string } }>(VIEWER, {}, { cookie: driverCookie });
    expect(me.data?.viewer.status).toBe('INACTIVE');
    expect(await t.signIn(driver.email, driver.password)).toContain('session_token');
    const event = await t.app.services.db.auditEvent.findFirstOrThrow({ where: { subjectId: driver.id } });
    expect(event).toMatchObject({
      action: 'driver.deactivated',
      before: { status: 'ACTIVE' },
      after: { status: 'INACTIVE' },
    });
  });

  it('resets a password: old sessions end, the new password works, nothing secret is audited', async () => {
    const driver = await t.createUser();
    const oldCookie = await t.signIn(driver.email, driver.password);
    const res = await t.graphql<{ resetDriverPassword: { __typename: string } }>(
      'mutation ($id: ID!) { resetDriverPassword(id: $id, password: "brand-new-password") { __typename } }',
      { id: encodeGlobalID('User', driver.id) },
      { cookie: adminCookie },
    );
    expect(res.data?.resetDriverPassword.__typename).toBe('MutationResetDriverPasswordSuccess');
    expect((await t.graphql<{ viewer: null }>(VIEWER, {}, { cookie: oldCookie })).data?.viewer).toBeNull();
    await expect(t.signIn(driver.email, driver.password)).rejects.toThrow(/401/);
    expect(await t.signIn(driver.email, 'brand-new-password')).toContain('session_token');
    const event = await t.app.services.db.auditEvent.findFirstOrThrow({
      where: { action: 'driver.passwordReset' },
    });
    expect(JSON.stringify(event)).not.toContain('brand-new-password');
  });

  it('tells a subscribed driver over graphql-ws (cookie session) that the account was deactivated', async () => {
    const driver = await t.createUser();
    const cookie = await t.signIn(driver.email, driver.password);
    const origin = t.config.publicUrl;
    class CookieWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { cookie, origin } });
      }
    }
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: CookieWebSocket,
      retryAttempts: 0,
    });
    const iterator = client.iterate<{ viewerChanged: { email: string; status: string } }>({
      query: 'subscription { viewerChanged { email status } }',
    });
    // graphql-ws does not acknowledge a subscription; nudge the topic until the first event proves it is live.
    const first = iterator.next();
    let live: Awaited<typeof first> | undefined;
    for (let attempt = 0; attempt < 100 && !live; attempt += 1) {
      t.app.services.pubsub.publish('user:changed', driver.id, { userId: driver.id });
      live = await Promise.race([first, new Promise<undefined>((r) => setTimeout(() => r(undefined), 50))]);
    }
    expect(live?.value).toEqual({ data: { viewerChanged: { email: driver.email, status: 'ACTIVE' } } });

    await t.graphql(
      'mutation ($id: ID!) { setDriverStatus(id: $id, status: INACTIVE) { __typename } }',
      { id: encodeGlobalID('User', driver.id) },
      { cookie: adminCookie },
    );
    // Nudges still in flight arrive first (ACTIVE); the deactivation must follow.
    let received = await iterator.next();
    while (received.value?.data?.viewerChanged.status === 'ACTIVE') received = await iterator.next();
    await iterator.return?.();
    await client.dispose();
    expect(received.value).toEqual({ data: { viewerChanged: { email: driver.email, status: 'INACTIVE' } } });
  });

  it('will not treat an operator account as a driver', async () => {
    const other = await t.createUser({ role: 'admin' });
    const res = await t.graphql<{ setDriverStatus: { __typename: string } }>(
      'mutation ($id: ID!) { setDriverStatus(id: $id, status: INACTIVE) { __typename } }',
      { id: encodeGlobalID('User', other.id) },
      { cookie: adminCookie },
    );
    expect(res.data?.setDriverStatus.__typename).toBe('AccountNotFoundError');
  });
});

describe('impersonation ("view as driver")', () => {
  let t: TestApp;
  let admin: { id: string; email: string; password: string };
  let driver: { id: string; email: string; password: string };
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser({ role: 'admin', email: 'imp-admin@example.test' });
    driver = await t.createUser({ email: 'imp-driver@example.test', name: 'Imp Driver' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('shows the driver with impersonatedBy, refuses every mutation with 403, and audits start and stop', async () => {
    const adminCookie = await t.signIn(admin.email, admin.password);
    const asDriver = await t.impersonate(adminCookie, driver.id);
    const me = await t.graphql<{ viewer: unknown }>(VIEWER, {}, { cookie: asDriver });
    expect(me.data?.viewer).toMatchObject({
      email: 'imp-driver@example.test',
      role: 'CUSTOMER',
      impersonatedBy: { email: 'imp-admin@example.test', id: encodeGlobalID('User', admin.id) },
    });

    const refused = await t.graphql(
      CREATE_DRIVER,
      { input: { email: 'sneaky@example.test', name: 'Sneaky', password: 'sneaky-password' } },
      { cookie: asDriver },
    );
    expect(refused.status).toBe(403);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'IMPERSONATION_READ_ONLY',
    });
    expect(await t.app.services.db.user.count({ where: { email: 'sneaky@example.test' } })).toBe(0);

    const stopped = await t.authRequest('/admin/stop-impersonating', {}, asDriver);
    expect(stopped.response.status).toBe(200);
    const back = await t.graphql<{ viewer: unknown }>(VIEWER, {}, { cookie: stopped.cookie });
    expect(back.data?.viewer).toMatchObject({
      email: 'imp-admin@example.test',
      role: 'ADMIN',
      impersonatedBy: null,
    });
    // The impersonated session is gone for good.
    expect((await t.graphql<{ viewer: null }>(VIEWER, {}, { cookie: asDriver })).data?.viewer).toBeNull();

    const events = await t.app.services.db.auditEvent.findMany({
      where: { action: { startsWith: 'impersonation.' } },
      orderBy: { at: 'asc' },
    });
    expect(events.map((e) => e.action)).toEqual(['impersonation.started', 'impersonation.stopped']);
    for (const e of events) {
      expect(e).toMatchObject({
        actorId: admin.id,
        actorEmail: admin.email,
        subjectType: 'User',
        subjectId: driver.id,
      });
      expect(e.after).toMatchObject({ adminEmail: admin.email, userEmail: driver.email });
    }
  });

  it('is read-only on /api/auth too: no password or profile change while acting as the driver', async () => {
    const asDriver = await t.impersonate(await t.signIn(admin.email, admin.password), driver.id);
    const change = await t.authRequest(
      '/change-password',
      { currentPassword: driver.password, newPassword: 'taken-over-password' },
      asDriver,
    );
    expect(change.response.status).toBe(403);
    const profile = await t.authRequest('/update-user', { name: 'Renamed' }, asDriver);
    expect(profile.response.status).toBe(403);
    expect((await t.app.services.db.user.findUniqueOrThrow({ where: { id: driver.id } })).name).toBe(
      'Imp Driver',
    );
    expect(await t.signIn(driver.email, driver.password)).toContain('session_token');
    const stopped = await t.authRequest('/admin/stop-impersonating', {}, asDriver);
    expect(stopped.response.status).toBe(200);
  });

  it('drivers cannot impersonate, and admins cannot impersonate admins', async () => {
    const driverCookie = await t.signIn(driver.email, driver.password);
    const byDriver = await t.authRequest('/admin/impersonate-user', { userId: admin.id }, driverCookie);
    expect(byDriver.response.status).toBe(403);
    const otherAdmin = await t.createUser({ role: 'admin' });
    const adminCookie = await t.signIn(admin.email, admin.password);
    const ofAdmin = await t.authRequest('/admin/impersonate-user', { userId: otherAdmin.id }, adminCookie);
    expect(ofAdmin.response.status).toBe(403);
  });
});

describe('cookies behind https', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_URL: 'https://polaris.example' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('are Secure, HttpOnly and SameSite=Lax when PUBLIC_URL is https', async () => {
    const user = await t.createUser();
    const { response, cookie } = await t.authRequest('/sign-in/email', {
      email: user.email,
      password: user.password,
    });
    expect(response.status).toBe(200);
    const session = response.headers.getSetCookie().find((c) => c.includes('session_token='));
    expect(session).toMatch(/^__Secure-better-auth\.session_token=/);
    expect(session).toMatch(/; Secure/i);
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=Lax/i);
    const me = await t.graphql<{ viewer: { email: string } }>('{ viewer { email } }', {}, { cookie });
    expect(me.data?.viewer.email).toBe(user.email);
  });
});

describe('better-auth endpoints that would bypass the audited GraphQL mutations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('are not served over HTTP: no self-made API keys, no silent role changes', async () => {
    const driver = await t.createUser();
    const driverCookie = await t.signIn(driver.email, driver.password);
    const mint = await t.authRequest('/api-key/create', { name: 'mine' }, driverCookie);
    expect(mint.response.status).toBe(404);
    expect(await t.app.services.db.apikey.count()).toBe(0);

    const admin = await t.createUser({ role: 'admin' });
    const adminCookie = await t.signIn(admin.email, admin.password);
    const promote = await t.authRequest('/admin/set-role', { userId: driver.id, role: 'admin' }, adminCookie);
    expect(promote.response.status).toBe(404);
    expect((await t.app.services.db.user.findUniqueOrThrow({ where: { id: driver.id } })).role).toBe(
      'customer',
    );
  });

  it('refuses a key that carries no Polaris role even if one exists in the table', async () => {
    const driver = await t.createUser();
    const created = await t.app.services.auth.api.createApiKey({
      body: { name: 'roleless', userId: driver.id },
    });
    const res = await t.graphql('{ serverInfo { version } }', {}, { apiKey: created.key });
    expect(res.status).toBe(401);
  });
});
