import { createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, type TestApp } from '../app.ts';
import { SERVICE_UNAVAILABLE_MESSAGE } from '../../src/lib/unavailable.ts';
import { services } from '../db.ts';
import { waitUntil } from '../conformance/sse-client.ts';

const VIEWER = '{ viewer { email } }';

/**
 * The database goes away under a running server (its backends are killed and new connections are
 * refused, as during a PostgreSQL restart) and comes back. Only this suite's own database is
 * touched; the shared server is never restarted.
 */
describe.skipIf(!services.postgres)(
  'PostgreSQL outage while the server runs (needs TEST_POSTGRES_URL)',
  () => {
    let t: TestApp;
    let admin: pg.Client;
    let dbName: string;
    let cookie: string;
    let email: string;

    const setAllowConnections = (allow: boolean) =>
      admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS ${allow ? 'true' : 'false'}`);
    const killBackends = () =>
      admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [dbName],
      );

    beforeAll(async () => {
      const previous = process.env.TEST_DATABASE;
      process.env.TEST_DATABASE = 'postgres';
      try {
        t = await createTestApp({ app: { background: false } });
      } finally {
        if (previous === undefined) delete process.env.TEST_DATABASE;
        else process.env.TEST_DATABASE = previous;
      }
      expect(t.app.database.engine).toBe('postgres');
      dbName = new URL(t.app.database.url).pathname.slice(1);
      expect(dbName).toMatch(/^polaris_test_[0-9a-f]+$/);
      admin = new pg.Client({ connectionString: services.postgres });
      await admin.connect();
      const user = await t.createUser({ role: 'admin' });
      email = user.email;
      cookie = await t.signIn(user.email, user.password);
    });
    afterAll(async () => {
      if (admin) {
        await setAllowConnections(true).catch(() => undefined);
        await admin.end();
      }
      await t?.stop();
    });

    it('fails requests clearly during the outage and recovers without a restart; subscriptions resume', async () => {
      expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
      expect((await t.graphql(VIEWER, {}, { cookie })).data).toEqual({ viewer: { email } });

      // A subscription open before the outage.
      const origin = t.config.publicUrl;
      class CookieWebSocket extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { cookie, origin } });
        }
      }
      const events: unknown[] = [];
      const client = createClient({
        url: `${t.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: CookieWebSocket,
        retryAttempts: 5,
        lazy: false,
      });
      const stop = client.subscribe(
        { query: 'subscription { viewerChanged { email } }' },
        { next: (v) => events.push(v), error: () => undefined, complete: () => undefined },
      );
      const me = await t.app.services.db.user.findFirstOrThrow({ where: { email } });
      await waitUntil(() => {
        t.app.services.pubsub.publish('user:changed', me.id, { userId: me.id });
        return events.length > 0;
      }, 'the subscription to be live');

      // Outage.
      await setAllowConnections(false);
      await killBackends();
      const outageStarted = Date.now();
      let ready = 200;
      for (let i = 0; i < 20 && ready === 200; i += 1) {
        ready = (await fetch(`${t.url}/readyz`)).status;
        if (ready === 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready).toBeGreaterThanOrEqual(500);
      const during = await t
        .graphql(VIEWER, {}, { cookie })
        .catch((e: Error) => ({ status: -1, errors: [{ message: e.message }] }));
      const duringMs = Date.now() - outageStarted;
      // A clear failure (no hang, no stack trace, no half-answer pretending to be signed out).
      expect(during.status).toBe(503);
      expect(during.errors?.[0]?.message).toBe(SERVICE_UNAVAILABLE_MESSAGE);
      expect(JSON.stringify(during.errors)).not.toMatch(/\n\s+at /);
      expect('data' in during ? during.data?.viewer : undefined).toBeUndefined();

      // Recovery, without touching the server.
      await setAllowConnections(true);
      const recoveryStarted = Date.now();
      let readyAgain = 0;
      for (let i = 0; i < 150 && readyAgain !== 200; i += 1) {
        readyAgain = (await fetch(`${t.url}/readyz`)).status;
        if (readyAgain !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      const recoveryMs = Date.now() - recoveryStarted;
      expect(readyAgain).toBe(200);
      expect((await t.graphql(VIEWER, {}, { cookie })).data).toEqual({ viewer: { email } });

      // The open subscription kept running (the session check does not punish an outage), and still delivers.
      const before = events.length;
      await waitUntil(() => {
        t.app.services.pubsub.publish('user:changed', me.id, { userId: me.id });
        return events.length > before;
      }, 'an event after recovery');
      stop();
      await client.dispose();
      console.info(
        `postgres outage: GraphQL answered ${during.status} ${JSON.stringify(during.errors)} after ${duringMs} ms, /readyz ${ready}; ready again ${recoveryMs} ms after the database returned`,
      );
    });
  },
);
