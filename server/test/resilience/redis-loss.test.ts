import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '../../src/lib/logger.ts';
import { createBus, type Bus } from '../../src/lib/pubsub.ts';
import { createTestApp, type TestApp } from '../app.ts';
import { waitUntil } from '../conformance/sse-client.ts';
import { services } from '../db.ts';
import { createTcpProxy } from './tcp-proxy.ts';

/**
 * Two instances share events through Redis. Instance A reaches Redis through a proxy the test cuts:
 * A keeps serving HTTP and GraphQL, does not crash or loop, and its open subscriptions receive the
 * other instance's events again once Redis is back, without any client reconnecting.
 */
describe.skipIf(!services.redis)('Redis loss with several instances (needs TEST_REDIS_URL)', () => {
  let proxy: Awaited<ReturnType<typeof createTcpProxy>>;
  let a: TestApp;
  let b: Bus;
  const errors: unknown[] = [];
  const onUnhandled = (e: unknown) => errors.push(e);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    const redis = new URL(services.redis!);
    proxy = await createTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    a = await createTestApp({
      env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` },
      app: { background: false },
    });
    // The second instance talks to Redis directly.
    b = createBus(services.redis, createLogger('silent'));
  });
  afterAll(async () => {
    await a?.stop();
    await b?.close();
    await proxy?.close();
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
  });

  it('keeps serving during the outage and delivers cross-instance events again after it', async () => {
    const user = await a.createUser();
    const cookie = await a.signIn(user.email, user.password);
    const origin = a.config.publicUrl;
    class CookieWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { cookie, origin } });
      }
    }
    const events: unknown[] = [];
    const client = createClient({
      url: `${a.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: CookieWebSocket,
      retryAttempts: 0,
    });
    const stop = client.subscribe(
      { query: 'subscription { viewerChanged { email } }' },
      { next: (v) => events.push(v), error: (e) => errors.push(e), complete: () => undefined },
    );
    const nudge = () => b.pubsub.publish('user:changed', user.id, { userId: user.id });
    await waitUntil(() => (nudge(), events.length > 0), 'an event from the other instance');

    await proxy.cut();
    const cutAt = Date.now();
    // A still answers: HTTP GraphQL, readiness (Redis is not part of it) and health.
    for (let i = 0; i < 5; i += 1) {
      expect(
        (await a.graphql<{ viewer: { email: string } }>('{ viewer { email } }', {}, { cookie })).data?.viewer
          .email,
      ).toBe(user.email);
      expect((await fetch(`${a.url}/readyz`)).status).toBe(200);
      // Publishing on A while Redis is away neither throws nor blocks the request.
      a.app.services.pubsub.publish('user:changed', user.id, { userId: user.id });
      await new Promise((r) => setTimeout(r, 200));
    }
    const heldFor = Date.now() - cutAt;

    await proxy.restore();
    const restoredAt = Date.now();
    const before = events.length;
    await waitUntil(() => (nudge(), events.length > before), 'events after Redis returned', 20_000);
    const recoveryMs = Date.now() - restoredAt;
    stop();
    await client.dispose();
    expect(errors).toEqual([]);
    console.info(
      `redis loss: served ${heldFor} ms without Redis; cross-instance events again ${recoveryMs} ms after it returned`,
    );
  });
});
