import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, type GraphQLResponse, type TestApp } from '../../../test/app.ts';
import { raiseAlert } from '../billing/billing.service.ts';

type CountEvent = { data?: { unreadAlertCount: number } | null; errors?: readonly { message: string }[] };

/** A graphql-ws client that signs in with this cookie (or none). */
function wsClient(t: TestApp, cookie: string): Client {
  const origin = t.config.publicUrl;
  class CookieWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { ...(cookie ? { cookie } : {}), origin } });
    }
  }
  return createClient({
    url: `${t.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: CookieWebSocket,
    retryAttempts: 0,
  });
}

/** The first message (or the error) a subscription to `unreadAlertCount` gets. */
async function firstOutcome(client: Client): Promise<CountEvent | { thrown: unknown }> {
  const iterator = client.iterate<{ unreadAlertCount: number }>({
    query: 'subscription { unreadAlertCount }',
  });
  try {
    const first = await iterator.next();
    return first.value as CountEvent;
  } catch (error) {
    return { thrown: error };
  } finally {
    await iterator.return?.();
  }
}

describe('unread alert count, live', () => {
  let t: TestApp;
  let adminCookie: string;

  beforeAll(async () => {
    t = await createTestApp({ app: { background: false } });
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('sends the count at once, then after markAlertRead and after an alert is raised', async () => {
    const db = t.app.services.db;
    const [first] = await Promise.all([
      db.alert.create({ data: { severity: 'WARNING', kind: 'test.one', message: 'One' } }),
      db.alert.create({ data: { severity: 'INFO', kind: 'test.two', message: 'Two' } }),
    ]);
    const client = wsClient(t, adminCookie);
    const iterator = client.iterate<{ unreadAlertCount: number }>({
      query: 'subscription { unreadAlertCount }',
    });
    try {
      expect((await iterator.next()).value).toEqual({ data: { unreadAlertCount: 2 } });

      const read = await t.graphql<{ markAlertRead: { readAt: string | null } }>(
        'mutation ($id: ID!) { markAlertRead(id: $id) { readAt } }',
        { id: encodeGlobalID('Alert', first.id) },
        { cookie: adminCookie },
      );
      expect(read.data?.markAlertRead.readAt).not.toBeNull();
      expect((await iterator.next()).value).toEqual({ data: { unreadAlertCount: 1 } });

      // Raised by billing (publishes alerts:changed itself).
      await raiseAlert(
        { db, pubsub: t.app.services.pubsub },
        { severity: 'CRITICAL', kind: 'test.raised', dedupeKey: 'test.raised', message: 'Raised' },
      );
      expect((await iterator.next()).value).toEqual({ data: { unreadAlertCount: 2 } });
      // Alerts written by a sync run: see sync.graphql.test.ts (the run publishes alerts:changed).
    } finally {
      await iterator.return?.();
      await client.dispose();
    }
  });

  it('refuses drivers and anonymous visitors', async () => {
    const driver = await t.createUser();
    const driverCookie = await t.signIn(driver.email, driver.password);
    for (const cookie of [driverCookie, '']) {
      const client = wsClient(t, cookie);
      const outcome = await firstOutcome(client);
      await client.dispose();
      expect(outcome).not.toHaveProperty('data.unreadAlertCount');
      expect(JSON.stringify(outcome)).toMatch(/not authorized|forbidden|sign in|unauthenticated/i);
    }
  });
});

describe('paged operator lists', () => {
  let t: TestApp;
  let adminCookie: string;

  beforeAll(async () => {
    t = await createTestApp({ app: { background: false } });
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
    await t.app.services.db.charger.createMany({
      data: Array.from({ length: 7 }, (_, i) => ({
        chargeBoxId: `PAGE-${String(i).padStart(2, '0')}`,
        ...(i === 6 ? { goneAt: new Date() } : {}),
      })),
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  type Page = {
    chargers: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { node: { chargeBoxId: string } }[];
    };
  };
  const CHARGERS = /* GraphQL */ `
    query ($after: String, $gone: Boolean) {
      chargers(first: 3, after: $after, includeGone: $gone) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            chargeBoxId
          }
        }
      }
    }
  `;

  it('walks every charger with Relay cursors, with the total the filters match', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: GraphQLResponse<Page> = await t.graphql<Page>(
        CHARGERS,
        { after, gone: true },
        { cookie: adminCookie },
      );
      expect(res.errors).toBeUndefined();
      const page = res.data!.chargers;
      expect(page.totalCount).toBe(7);
      seen.push(...page.edges.map((e) => e.node.chargeBoxId));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `PAGE-${String(i).padStart(2, '0')}`));

    const withoutGone = await t.graphql<Page>(
      CHARGERS,
      { after: null, gone: false },
      { cookie: adminCookie },
    );
    expect(withoutGone.data!.chargers.totalCount).toBe(6);
  });

  it('counts with one extra statement, whatever the page size', async () => {
    const statements = async (document: string) => {
      const before = t.app.database.queryCount();
      const res = await t.graphql(document, {}, { cookie: adminCookie });
      expect(res.errors).toBeUndefined();
      return t.app.database.queryCount() - before;
    };
    const list = (n: number, total: boolean) =>
      `{ chargers(first: ${n}, includeGone: true) { ${total ? 'totalCount' : ''} edges { node { id } } } }`;
    const withoutTotal = await statements(list(2, false));
    expect(await statements(list(2, true))).toBe(withoutTotal + 1);
    expect(await statements(list(7, true))).toBe(withoutTotal + 1);
  });

  it('gives totalCount on sessions, EV cards, drivers and alerts, honouring their filters', async () => {
    const db = t.app.services.db;
    await t.createUser({ email: 'zed-driver@example.test', name: 'Zed' });
    await t.createUser({ email: 'amy-driver@example.test', name: 'Amy' });
    await db.alert.createMany({
      data: [
        { severity: 'INFO', kind: 'test.a', message: 'a' },
        { severity: 'INFO', kind: 'test.b', message: 'b', readAt: new Date() },
      ],
    });
    const res = await t.graphql<{
      operatorSessions: { totalCount: number };
      evCards: { totalCount: number };
      all: { totalCount: number };
      zed: { totalCount: number; edges: unknown[] };
      alerts: { totalCount: number };
      unread: { totalCount: number };
    }>(
      /* GraphQL */ `
        {
          operatorSessions(first: 1) {
            totalCount
          }
          evCards(first: 1) {
            totalCount
          }
          all: drivers(first: 1) {
            totalCount
          }
          zed: drivers(first: 1, search: "zed") {
            totalCount
            edges {
              node {
                id
              }
            }
          }
          alerts(first: 1) {
            totalCount
          }
          unread: alerts(first: 1, unreadOnly: true) {
            totalCount
          }
        }
      `,
      {},
      { cookie: adminCookie },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({
      operatorSessions: { totalCount: 0 },
      evCards: { totalCount: 0 },
      all: { totalCount: 2 },
      zed: { totalCount: 1 },
      alerts: { totalCount: 2 },
      unread: { totalCount: 1 },
    });
  });
});
