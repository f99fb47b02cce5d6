import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';
import { openRawSocket, type RawSocket } from '../conformance/ws-client.ts';

const TEST_REDIS_URL = process.env.TEST_REDIS_URL;

const CHARGER = 'subscription { chargerStateChanged { id chargeBoxId state } }';
const WITH_RESERVATIONS = 'subscription { chargerStateChanged { chargeBoxId recentReservations { idTag } } }';

type Next = { data?: Record<string, unknown> | null; errors?: Array<{ message: string }> };

/** The in-process bus always; the Redis event target too when a Redis is available. */
const buses: Array<{ name: string; env: Record<string, string> }> = [
  { name: 'in-process bus', env: {} },
  ...(TEST_REDIS_URL
    ? [
        {
          name: 'Redis event target',
          env: { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `test-shared-${randomBytes(4).toString('hex')}` },
        },
      ]
    : []),
];

describe.each(buses)('identical subscriptions share one read per event ($name)', ({ env }) => {
  let t: TestApp;
  let adminCookie = '';
  let driverCookie = '';
  let otherAdminCookie = '';
  let chargerId = '';
  let markerId = '';
  const sockets: RawSocket[] = [];
  /** Bound parameters of the SQL statements sent while set. */
  let recording: string[] | null = null;

  beforeAll(async () => {
    // No periodic session re-checks: every SQL statement counted below is a subscription's.
    t = await createTestApp({
      env: { ...env, WS_SESSION_RECHECK_MS: '3600000' },
      app: { background: false },
    });
    const admin = await t.createUser({ role: 'admin' });
    const driver = await t.createUser({ role: 'customer' });
    adminCookie = await t.signIn(admin.email, admin.password);
    driverCookie = await t.signIn(driver.email, driver.password);
    const otherAdmin = await t.createUser({ role: 'admin' });
    otherAdminCookie = await t.signIn(otherAdmin.email, otherAdmin.password);
    const charger = await t.app.services.db.charger.create({
      data: { chargeBoxId: 'SHARED-1', state: 'ONLINE' },
    });
    chargerId = charger.id;
    // The client is opened with query events on (lib/db.ts counts them); its type does not say so.
    const onQuery = t.app.database.prisma.$on.bind(t.app.database.prisma) as unknown as (
      event: 'query',
      listener: (event: { params: string }) => void,
    ) => void;
    onQuery('query', (event) => recording?.push(event.params));
    markerId = (await t.app.services.db.charger.create({ data: { chargeBoxId: 'MARKER', state: 'ONLINE' } }))
      .id;
    await t.app.services.db.reservation.create({
      data: {
        steveReservationPk: 9101,
        chargerId,
        connectorNumber: 1,
        idTag: 'OPERATOR-ONLY-TAG',
        startsAt: new Date(),
        expiresAt: new Date(Date.now() + 3_600_000),
        status: 'ACCEPTED',
        statusAt: new Date(),
      },
    });
  }, 60_000);

  afterAll(async () => {
    for (const raw of sockets) raw.socket.terminate();
    await t?.stop();
  });

  async function subscribe(cookie: string, query: string): Promise<RawSocket> {
    const raw = await openRawSocket(t.url, { cookie, origin: t.config.publicUrl });
    sockets.push(raw);
    raw.send({ type: 'connection_init', payload: {} });
    await raw.next('connection_ack');
    raw.send({ id: '1', type: 'subscribe', payload: { query } });
    return raw;
  }

  const nexts = (raw: RawSocket) =>
    raw.messages.filter((m) => m.type === 'next').map((m) => m.payload as Next);

  const publish = (id = chargerId) =>
    t.app.services.pubsub.publish('charger:stateChanged', { chargerId: id });

  async function waitUntil(what: string, condition: () => boolean, ms = 15_000) {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Publishes an event every 250 ms until `condition` holds (subscriptions start asynchronously). */
  async function publishUntil(what: string, condition: () => boolean) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      publish();
      try {
        await waitUntil(what, condition, 250);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  const lastChargeBoxId = (raw: RawSocket) =>
    (nexts(raw).at(-1)?.data?.chargerStateChanged as { chargeBoxId?: string } | undefined)?.chargeBoxId;

  /**
   * graphql-ws registers subscriptions asynchronously: publish until every socket has answered once,
   * then publish a marker event (another charger) and wait until it is every socket's latest — each
   * subscription delivers in order, so nothing published before is still on its way. Then forget them.
   */
  async function warmUp(subscribers: RawSocket[]) {
    await publishUntil('warm-up', () => subscribers.every((raw) => nexts(raw).length > 0));
    publish(markerId);
    await waitUntil('the marker event on every socket', () =>
      subscribers.every((raw) => lastChargeBoxId(raw) === 'MARKER'),
    );
    for (const raw of subscribers) raw.messages.length = 0;
  }

  /**
   * What the database is asked while one event reaches every subscriber: SQL statements, and how many
   * times the charger's id is bound in them. Prisma batches concurrent `findUnique` calls into one
   * `… WHERE id IN ($1, …, $N)`, so the statement count alone stays 1 even when every subscriber
   * looks the charger up; the bound ids show the per-subscriber work.
   */
  async function readsForOneEvent(subscribers: RawSocket[]) {
    const before = t.app.database.queryCount();
    const params: string[] = [];
    recording = params;
    publish();
    await waitUntil('the event on every socket', () => subscribers.every((raw) => nexts(raw).length === 1));
    recording = null;
    const statements = t.app.database.queryCount() - before;
    const lookups = params.join(',').split(chargerId).length - 1;
    for (const raw of subscribers) {
      expect(nexts(raw)[0]).toEqual({
        data: { chargerStateChanged: { id: expect.any(String), chargeBoxId: 'SHARED-1', state: 'ONLINE' } },
      });
      raw.messages.length = 0;
    }
    return { statements, lookups };
  }

  it('N identical subscribers cost one charger lookup per event', async () => {
    // Three people: each runs its own execution (shared by its sockets), all share the one read.
    const cookies = [adminCookie, otherAdminCookie, driverCookie];
    const few = await Promise.all(cookies.map((cookie) => subscribe(cookie, CHARGER)));
    await warmUp(few);
    const forFew = await readsForOneEvent(few);

    const others = await Promise.all(
      Array.from({ length: 27 }, (_, i) => subscribe(cookies[i % 3]!, CHARGER)),
    );
    const many = [...few, ...others];
    await warmUp(many);
    const forMany = await readsForOneEvent(many);

    // Without sharing: one lookup per subscriber (3, then 30), batched by Prisma into one statement.
    expect(forFew).toEqual({ statements: 1, lookups: 1 });
    expect(forMany).toEqual({ statements: 1, lookups: 1 });
    for (const raw of many) raw.send({ id: '1', type: 'complete' });
  }, 60_000);

  it('shared rows are still authorised per viewer: a driver never sees an operator-only field', async () => {
    // The driver subscribes first, so the shared read is likely made for the driver's execution.
    const driver = await subscribe(driverCookie, WITH_RESERVATIONS);
    const admin = await subscribe(adminCookie, WITH_RESERVATIONS);
    await publishUntil(
      'three events on both sockets',
      () => nexts(driver).length >= 3 && nexts(admin).length >= 3,
    );

    for (const seen of nexts(admin)) {
      expect(seen).toEqual({
        data: {
          chargerStateChanged: {
            chargeBoxId: 'SHARED-1',
            recentReservations: [{ idTag: 'OPERATOR-ONLY-TAG' }],
          },
        },
      });
    }
    for (const seen of nexts(driver)) {
      expect(seen.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(seen)).not.toContain('OPERATOR-ONLY-TAG');
    }
    driver.send({ id: '1', type: 'complete' });
    admin.send({ id: '1', type: 'complete' });
  }, 60_000);

  it('one subscriber leaving, or an event failing, does not stop the others', async () => {
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => subscribe(adminCookie, CHARGER)));
    await warmUp([a!, b!, c!]);

    // a unsubscribes, c's socket goes away: b still gets the next event, and a gets nothing.
    a!.send({ id: '1', type: 'complete' });
    c!.socket.terminate();
    await c!.closed;
    // The server reads a's `complete` asynchronously: a may still get the first event or so.
    for (let i = 1; i <= 3; i += 1) {
      publish();
      await waitUntil(`event ${i} on b`, () => nexts(b!).length === i);
    }
    const seenByA = nexts(a!).length;
    for (let i = 4; i <= 5; i += 1) {
      publish();
      await waitUntil(`event ${i} on b`, () => nexts(b!).length === i);
    }
    expect(nexts(a!).length).toBe(seenByA);
    expect(seenByA).toBeLessThan(3);

    // An event whose read fails is an error result for that event only; the subscription lives on.
    const d = await subscribe(adminCookie, CHARGER);
    await warmUp([b!, d]);
    publish('no-such-charger');
    await waitUntil('the failed event on b and d', () => nexts(b!).length === 1 && nexts(d).length === 1);
    for (const raw of [b!, d]) {
      expect(nexts(raw)[0]!.errors?.length).toBeGreaterThan(0);
      expect(raw.messages.some((m) => m.type === 'error' || m.type === 'complete')).toBe(false);
    }
    publish();
    await waitUntil('the next good event on b and d', () => nexts(b!).length === 2 && nexts(d).length === 2);
    for (const raw of [b!, d]) {
      expect(nexts(raw)[1]!.data).toEqual({
        chargerStateChanged: { id: expect.any(String), chargeBoxId: 'SHARED-1', state: 'ONLINE' },
      });
    }
  }, 60_000);
});
