import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';
import { sseSubscribe, waitUntil } from './sse-client.ts';

const RECHECK_MS = 200;
const LONG_LIVED = 'subscription { chargerStateChanged { id } }';

describe('SSE subscriptions re-check their session like graphql-ws', () => {
  let t: TestApp;
  let adminCookie: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { WS_SESSION_RECHECK_MS: String(RECHECK_MS) } });
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const streamEnded = (stream: ReturnType<typeof sseSubscribe>) => {
    let ended = false;
    void stream.done.then(() => {
      ended = true;
    });
    return () => ended;
  };

  it('ends the stream with UNAUTHENTICATED soon after sign-out, and keeps a live one open', async () => {
    const user = await t.createUser({ role: 'admin' });
    const cookie = await t.signIn(user.email, user.password);
    const origin = t.config.publicUrl;
    const stream = sseSubscribe(t.url, LONG_LIVED, { cookie, origin });
    const other = sseSubscribe(t.url, LONG_LIVED, { cookie: adminCookie, origin });
    const ended = streamEnded(stream);
    await waitUntil(() => stream.status === 200 && other.status === 200, 'both streams open');
    const { response } = await t.authRequest('/sign-out', {}, cookie);
    expect(response.ok).toBe(true);
    await waitUntil(ended, 'the signed-out stream to end', RECHECK_MS * 20);
    expect(JSON.stringify(stream.events.at(-1))).toContain('UNAUTHENTICATED');
    // The other viewer's stream is untouched.
    expect(streamEnded(other)()).toBe(false);
    await other.close();
  });

  it('ends an API-key stream once the key is revoked', async () => {
    const created = await t.graphql<{
      createApiKey: { data: { secret: string; apiKey: { id: string } } };
    }>(
      `mutation { createApiKey(name: "sse", role: READ_ONLY) { ... on MutationCreateApiKeySuccess { data { secret apiKey { id } } } } }`,
      {},
      { cookie: adminCookie },
    );
    const { secret, apiKey } = created.data!.createApiKey.data;
    const stream = sseSubscribe(t.url, LONG_LIVED, { 'x-api-key': secret });
    const ended = streamEnded(stream);
    await waitUntil(() => stream.status === 200, 'stream open');
    const revoked = await t.graphql(
      `mutation ($id: ID!) { revokeApiKey(id: $id) { __typename } }`,
      { id: apiKey.id },
      { cookie: adminCookie },
    );
    expect(revoked.errors).toBeUndefined();
    await waitUntil(ended, 'the revoked key stream to end', RECHECK_MS * 20);
    expect(JSON.stringify(stream.events.at(-1))).toContain('UNAUTHENTICATED');
  });
});
