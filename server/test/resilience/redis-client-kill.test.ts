import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, type TestApp } from '../app.ts';
import { waitUntil } from '../conformance/sse-client.ts';
import { waitFor } from './server-process.ts';
import { services } from '../db.ts';

/**
 * #15: two instances share events through Redis; Redis kills every connection of both (CLIENT KILL,
 * as a failover or an operator would). The open graphql-ws subscription on A keeps its socket and
 * receives B's events again once the clients have reconnected by themselves: no reload, no resubscribe.
 */
describe.skipIf(!services.redis)(
  'Redis connections killed under two instances (needs TEST_REDIS_URL)',
  () => {
    // Own channels and client names: other suites on this Redis are neither disturbed nor killed.
    const prefix = `test-kill-${randomBytes(4).toString('hex')}`;
    let a: TestApp;
    let b: TestApp;
    let admin: Redis;

    beforeAll(async () => {
      const env = { REDIS_URL: services.redis!, REDIS_PREFIX: prefix };
      a = await createTestApp({ env, app: { background: false } });
      b = await createTestApp({ env, app: { background: false } });
      admin = new Redis(services.redis!);
    });
    afterAll(async () => {
      await a?.stop();
      await b?.stop();
      admin?.disconnect();
    });

    /** Ids of this suite's Redis clients (named after the prefix by lib/pubsub.ts). */
    async function ourClients(): Promise<string[]> {
      const list = (await admin.client('LIST')) as string;
      return list
        .split('\n')
        .filter((line) => line.includes(` name=${prefix}:`))
        .map((line) => /(?:^|\s)id=(\d+)/.exec(line)![1]!);
    }

    it('resumes delivering to the open subscription after every connection was killed', async () => {
      const user = await a.createUser();
      const cookie = await a.signIn(user.email, user.password);
      const origin = a.config.publicUrl;
      class CookieWebSocket extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { cookie, origin } });
        }
      }
      const events: unknown[] = [];
      const problems: unknown[] = [];
      let connects = 0;
      const client = createClient({
        url: `${a.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: CookieWebSocket,
        retryAttempts: 0,
        on: { connected: () => (connects += 1), closed: (e) => problems.push(e) },
      });
      const stop = client.subscribe(
        { query: 'subscription { viewerChanged { email } }' },
        {
          next: (v) => events.push(v),
          error: (e) => problems.push(e),
          complete: () => problems.push('completed'),
        },
      );
      // B publishes; the event reaches A's subscriber only through Redis.
      const nudge = () => b.app.services.pubsub.publish('user:changed', user.id, { userId: user.id });
      await waitUntil(() => (nudge(), events.length > 0), 'an event from B');

      const before = await ourClients();
      // Both instances' publish and subscribe connections.
      expect(before.length).toBeGreaterThanOrEqual(4);
      for (const id of before) await admin.client('KILL', 'ID', id);
      await waitFor('both instances reconnected to Redis', async () => {
        const now = await ourClients();
        return now.length >= before.length && now.every((id) => !before.includes(id));
      });

      const seen = events.length;
      await waitUntil(() => (nudge(), events.length > seen), 'events from B after the kill', 20_000);
      stop();
      await client.dispose();
      // The same socket all along: one connect, nothing closed or errored before we stopped.
      expect(connects).toBe(1);
      expect(problems.filter((p) => p !== 'completed')).toEqual([]);
    });
  },
);
