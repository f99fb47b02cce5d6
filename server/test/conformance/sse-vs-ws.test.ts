import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FleetSimulator } from '../../src/integrations/steve/simulator/index.ts';
import { ManualClock } from '../../src/modules/sync/test-helpers.ts';
import { createTestApp, type TestApp } from '../app.ts';
import { sseSubscribe, waitUntil } from './sse-client.ts';

type Payload = { data?: Record<string, unknown>; errors?: unknown[] };

/** graphql-ws and SSE run the same Yoga pipeline: the same document and user get the same events. */
describe('subscriptions over graphql-ws and SSE deliver the same events', () => {
  let t: TestApp;
  let sim: FleetSimulator;
  let cookie: string;

  const wsSubscribe = (query: string) => {
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
    const events: Payload[] = [];
    const stop = client.subscribe<Record<string, unknown>>(
      { query },
      { next: (value) => events.push(value as Payload), error: () => undefined, complete: () => undefined },
    );
    return {
      events,
      async close() {
        stop();
        await client.dispose();
      },
    };
  };

  beforeAll(async () => {
    const clock = new ManualClock();
    sim = new FleetSimulator({
      seed: 7,
      size: 6,
      now: clock.now,
      fleetChurn: false,
      outages: false,
      backgroundActivity: false,
      operationWaitMs: 10,
    });
    t = await createTestApp({ app: { background: false, steve: sim, clock: clock.now } });
    const admin = await t.createUser({ role: 'admin' });
    cookie = await t.signIn(admin.email, admin.password);
    await t.app.services.sync.engine.run({ trigger: 'MANUAL' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('chargerStateChanged: the same payload on both transports', async () => {
    const query = 'subscription { chargerStateChanged { id name state } }';
    const ws = wsSubscribe(query);
    const sse = sseSubscribe<Record<string, unknown>>(t.url, query, { cookie, origin: t.config.publicUrl });
    try {
      const charger = await t.app.services.db.charger.findFirstOrThrow({ orderBy: { chargeBoxId: 'asc' } });
      // Neither transport acknowledges a subscription: publish until both have seen an event.
      await waitUntil(() => {
        t.app.services.pubsub.publish('charger:stateChanged', { chargerId: charger.id });
        return ws.events.length > 0 && sse.events.length > 0;
      }, 'an event on both transports');
      expect(sse.status).toBe(200);
      expect(ws.events[0]).toEqual(sse.events[0]);
      expect(ws.events[0]?.data?.chargerStateChanged).toMatchObject({
        id: encodeGlobalID('Charger', charger.id),
      });
      expect(ws.events[0]?.errors).toBeUndefined();
    } finally {
      await ws.close();
      await sse.close();
    }
  });

  it('syncRunProgress: a real sync run ends with the same final payload on both transports', async () => {
    const query = 'subscription { syncRunProgress { id status trigger error segments { __typename } } }';
    const ws = wsSubscribe(query);
    const sse = sseSubscribe<Record<string, unknown>>(t.url, query, { cookie, origin: t.config.publicUrl });
    try {
      const previous = await t.app.services.db.syncRun.findFirstOrThrow({ orderBy: { startedAt: 'desc' } });
      await waitUntil(() => {
        t.app.services.pubsub.publish('sync:progress', { runId: previous.id });
        return ws.events.length > 0 && sse.events.length > 0;
      }, 'both transports live');
      await t.app.services.sync.engine.run({ trigger: 'MANUAL' });
      const final = (events: Payload[]) =>
        events.find((e) => {
          const run = e.data?.syncRunProgress as { id: string; status: string } | undefined;
          return run && run.id !== previous.id && run.status !== 'RUNNING';
        });
      await waitUntil(() => Boolean(final(ws.events) && final(sse.events)), 'the finished run on both');
      expect(final(ws.events)).toEqual(final(sse.events));
      expect((final(ws.events)?.data?.syncRunProgress as { status: string }).status).toBe('SUCCEEDED');
    } finally {
      await ws.close();
      await sse.close();
    }
  });
});
