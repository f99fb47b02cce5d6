import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySetCookies, createTestApp, type TestApp } from '../../../../server/test/app.ts';
import { NETWORK_ERROR_MESSAGE } from '../../app/errors.ts';
import { paths } from '../../app/paths.ts';
import { viewAsDriver } from '../drivers/view-as-driver.ts';
import { authCall, createPolarisAuthClient, type PolarisAuthClient } from './auth-client.ts';

/**
 * The client the browser uses, against the real server: what a person sees after signing in, a
 * wrong password, an unreachable server, signing out and ending "view as driver".
 */
describe('the better-auth client against the server', () => {
  let t: TestApp;
  let admin: { id: string; email: string; password: string };
  let driver: { id: string; email: string; password: string };

  /** A browser outside a browser: keeps the cookies the server sets and sends the page's Origin. */
  function browser(): { client: PolarisAuthClient; cookie: () => string } {
    let cookie = '';
    const fetchWithCookies: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('origin', t.config.publicUrl);
      if (cookie) headers.set('cookie', cookie);
      const response = await fetch(input, { ...init, headers });
      cookie = applySetCookies(cookie, response);
      return response;
    };
    return {
      client: createPolarisAuthClient({ baseURL: t.url, fetch: fetchWithCookies }),
      cookie: () => cookie,
    };
  }

  beforeAll(async () => {
    t = await createTestApp({ app: { background: false } });
    admin = await t.createUser({ role: 'admin', email: 'client-admin@example.test', name: 'Ada Admin' });
    driver = await t.createUser({ email: 'client-driver@example.test', name: 'Dan Driver' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('signs in: the session names the person, their role and status, and the cookie works for GraphQL', async () => {
    const { client, cookie } = browser();
    await authCall(
      () => client.signIn.email({ email: driver.email, password: driver.password }),
      'Sign-in failed',
    );
    const session = await authCall(() => client.getSession(), 'Could not check your session');
    expect(session?.user).toMatchObject({
      email: driver.email,
      name: 'Dan Driver',
      role: 'customer',
      status: 'ACTIVE',
    });
    const res = await t.graphql<{ viewer: { email: string } }>(
      '{ viewer { email } }',
      {},
      { cookie: cookie() },
    );
    expect(res.data?.viewer.email).toBe(driver.email);
  });

  it("shows the server's own words for a wrong password, and the network sentence for a server that is down", async () => {
    const { client } = browser();
    await expect(
      authCall(
        () => client.signIn.email({ email: driver.email, password: 'not-the-password' }),
        'Sign-in failed',
      ),
    ).rejects.toMatchObject({ message: 'Invalid email or password', status: 401 });

    const down = createPolarisAuthClient({ baseURL: 'http://127.0.0.1:9' });
    await expect(
      authCall(() => down.signIn.email({ email: driver.email, password: driver.password }), 'Sign-in failed'),
    ).rejects.toMatchObject({ message: NETWORK_ERROR_MESSAGE, status: null });
  });

  it('signs out: the session is gone and GraphQL no longer knows the cookie', async () => {
    const { client, cookie } = browser();
    await authCall(
      () => client.signIn.email({ email: driver.email, password: driver.password }),
      'Sign-in failed',
    );
    const signedIn = cookie();
    await authCall(() => client.signOut(), 'Sign-out failed');
    expect(await authCall(() => client.getSession(), 'Could not check your session')).toBeNull();
    const res = await t.graphql<{ viewer: unknown }>('{ viewer { email } }', {}, { cookie: signedIn });
    expect(res.data?.viewer).toBeNull();
  });

  it('an admin views as a driver (the id from the drivers list), then stops: back to their own session', async () => {
    const { client, cookie } = browser();
    await authCall(
      () => client.signIn.email({ email: admin.email, password: admin.password }),
      'Sign-in failed',
    );
    // What the Drivers page does: the auth server's id comes from the API, never from a decoded global id.
    const list = await t.graphql<{ drivers: { nodes: Array<{ email: string; authUserId: string }> } }>(
      '{ drivers(first: 25) { nodes { email authUserId } } }',
      {},
      { cookie: cookie() },
    );
    const row = list.data?.drivers.nodes.find((d) => d.email === driver.email);
    expect(row).toBeDefined();
    const opened: string[] = [];
    expect(await viewAsDriver(row!.authUserId, client, (path) => opened.push(path))).toBeNull();
    expect(opened).toEqual([paths.driverDashboard]);
    const asDriver = await authCall(() => client.getSession(), 'Could not check your session');
    expect(asDriver?.user.email).toBe(driver.email);
    expect(asDriver?.session.impersonatedBy).toBe(admin.id);

    await authCall(() => client.admin.stopImpersonating(), 'Could not stop impersonating');
    const back = await authCall(() => client.getSession(), 'Could not check your session');
    expect(back?.user.email).toBe(admin.email);
    expect(back?.session.impersonatedBy ?? null).toBeNull();
  });

  it('"view as driver" refused by the auth server shows its reason and opens nothing', async () => {
    const { client } = browser();
    await authCall(
      () => client.signIn.email({ email: driver.email, password: driver.password }),
      'Sign-in failed',
    );
    const opened: string[] = [];
    const problem = await viewAsDriver(admin.id, client, (path) => opened.push(path));
    expect(problem).toMatch(/not allowed|forbidden|permission/i);
    expect(opened).toEqual([]);
  });

  it('only operators see the auth server id of a person', async () => {
    const { client, cookie } = browser();
    await authCall(
      () => client.signIn.email({ email: driver.email, password: driver.password }),
      'Sign-in failed',
    );
    const res = await t.graphql('{ viewer { id } }', {}, { cookie: cookie() });
    const id = (res.data as { viewer: { id: string } }).viewer.id;
    const own = await t.graphql(
      'query ($id: ID!) { node(id: $id) { ... on User { email authUserId } } }',
      { id },
      { cookie: cookie() },
    );
    expect(own.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
