import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';
import { closedWithin, openRawSocket } from './ws-client.ts';

const INIT_TIMEOUT_MS = 300;
const RECHECK_MS = 200;
const LONG_LIVED = 'subscription { chargerStateChanged { id } }';

/** The graphql-transport-ws protocol's close codes, on the real server (graphql-ws + our onConnect). */
describe('GraphQL over WebSocket (graphql-transport-ws protocol)', () => {
  let t: TestApp;
  let adminCookie: string;
  const asAdmin = () => ({ cookie: adminCookie, origin: t.config.publicUrl });

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        WS_CONNECTION_INIT_TIMEOUT_MS: String(INIT_TIMEOUT_MS),
        WS_SESSION_RECHECK_MS: String(RECHECK_MS),
      },
    });
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('closes with 4408 when connection_init does not arrive in time', async () => {
    const raw = await openRawSocket(t.url);
    const opened = Date.now();
    const { code, at } = await closedWithin(raw, 5_000);
    expect(code).toBe(4408);
    expect(at - opened).toBeGreaterThanOrEqual(INIT_TIMEOUT_MS - 50);
  });

  it('closes with 4429 on a second connection_init', async () => {
    const raw = await openRawSocket(t.url);
    raw.send({ type: 'connection_init' });
    await raw.next('connection_ack');
    raw.send({ type: 'connection_init' });
    expect((await closedWithin(raw, 5_000)).code).toBe(4429);
  });

  it('closes with 4401 on subscribe before the connection is acknowledged', async () => {
    const raw = await openRawSocket(t.url);
    raw.send({ type: 'subscribe', id: '1', payload: { query: '{ __typename }' } });
    expect((await closedWithin(raw, 5_000)).code).toBe(4401);
  });

  it('closes with 4409 when a subscription id is already in use', async () => {
    const raw = await openRawSocket(t.url, asAdmin());
    raw.send({ type: 'connection_init' });
    await raw.next('connection_ack');
    raw.send({ type: 'subscribe', id: 'same', payload: { query: LONG_LIVED } });
    raw.send({ type: 'subscribe', id: 'same', payload: { query: LONG_LIVED } });
    expect((await closedWithin(raw, 5_000)).code).toBe(4409);
  });

  it('closes with 4403 (Forbidden) when connectionParams carry a bad API key', async () => {
    const raw = await openRawSocket(t.url);
    raw.send({ type: 'connection_init', payload: { apiKey: 'pex_not-a-key' } });
    expect((await closedWithin(raw, 5_000)).code).toBe(4403);
    expect(raw.messages.some((m) => m.type === 'connection_ack')).toBe(false);
  });

  it('closes with 4400 on a message that is not the protocol', async () => {
    const raw = await openRawSocket(t.url);
    raw.socket.send('{"type":"nonsense"}');
    expect((await closedWithin(raw, 5_000)).code).toBe(4400);
  });

  it('answers a normal operation and completes it', async () => {
    const raw = await openRawSocket(t.url);
    raw.send({ type: 'connection_init' });
    await raw.next('connection_ack');
    raw.send({ type: 'subscribe', id: 'q', payload: { query: '{ __typename }' } });
    expect(await raw.next('next')).toEqual({
      id: 'q',
      type: 'next',
      payload: { data: { __typename: 'Query' } },
    });
    expect(await raw.next('complete')).toEqual({ id: 'q', type: 'complete' });
    raw.socket.close(1000);
  });

  it('closes a subscribed socket with 4403 soon after its session signs out', async () => {
    const user = await t.createUser({ role: 'admin' });
    const cookie = await t.signIn(user.email, user.password);
    const raw = await openRawSocket(t.url, { cookie, origin: t.config.publicUrl });
    raw.send({ type: 'connection_init' });
    await raw.next('connection_ack');
    raw.send({ type: 'subscribe', id: 'live', payload: { query: LONG_LIVED } });
    // Still open a few sweeps later: a valid session is left alone.
    await new Promise((r) => setTimeout(r, RECHECK_MS * 3));
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);

    const { response } = await t.authRequest('/sign-out', {}, cookie);
    expect(response.ok).toBe(true);
    const signedOut = Date.now();
    const { code, at } = await closedWithin(raw, RECHECK_MS * 10);
    expect(code).toBe(4403);
    expect(at - signedOut).toBeLessThanOrEqual(RECHECK_MS * 3);
  });

  it('closes the socket with 4403 when the session is deleted or expires server-side', async () => {
    const user = await t.createUser({ role: 'admin' });
    const cookie = await t.signIn(user.email, user.password);
    const raw = await openRawSocket(t.url, { cookie, origin: t.config.publicUrl });
    raw.send({ type: 'connection_init' });
    await raw.next('connection_ack');
    raw.send({ type: 'subscribe', id: 'live', payload: { query: LONG_LIVED } });
    await new Promise((r) => setTimeout(r, RECHECK_MS * 2));
    await t.app.services.db.session.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await closedWithin(raw, RECHECK_MS * 10)).code).toBe(4403);
  });

  it('closes an API-key socket with 4403 once the key is revoked', async () => {
    const created = await t.graphql<{
      createApiKey: { data: { secret: string; apiKey: { id: string } } };
    }>(
      `mutation { createApiKey(name: "ws", role: READ_ONLY) { ... on MutationCreateApiKeySuccess { data { secret apiKey { id } } } } }`,
      {},
      { cookie: adminCookie },
    );
    const { secret, apiKey } = created.data!.createApiKey.data;
    const raw = await openRawSocket(t.url);
    raw.send({ type: 'connection_init', payload: { apiKey: secret } });
    await raw.next('connection_ack');
    raw.send({ type: 'subscribe', id: 'live', payload: { query: LONG_LIVED } });
    const revoked = await t.graphql(
      'mutation ($id: ID!) { revokeApiKey(id: $id) { __typename } }',
      { id: apiKey.id },
      { cookie: adminCookie },
    );
    expect(revoked.errors).toBeUndefined();
    expect((await closedWithin(raw, RECHECK_MS * 10)).code).toBe(4403);
  });
});
