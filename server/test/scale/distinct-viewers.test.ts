import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';
import { openRawSocket, type RawSocket } from '../conformance/ws-client.ts';

const ACTIVE = 'subscription { activeSession { energyKwh charger { name } } }';

type Next = { data?: { activeSession: { energyKwh: number; charger: { name: string } } | null } };

describe('activeSession for many distinct drivers', () => {
  let t: TestApp;
  let chargerId = '';
  const drivers: Array<{ id: string; cookie: string; sessionId: string | null; raw?: RawSocket }> = [];

  beforeAll(async () => {
    // No periodic session re-checks: every SQL statement counted below is a subscription's.
    t = await createTestApp({ env: { WS_SESSION_RECHECK_MS: '3600000' }, app: { background: false } });
    chargerId = (
      await t.app.services.db.charger.create({
        data: { chargeBoxId: 'DISTINCT-1', description: 'Bay 7', state: 'ONLINE' },
      })
    ).id;
    for (let i = 0; i < 12; i += 1) {
      const user = await t.createUser({ role: 'customer' });
      drivers.push({ id: user.id, cookie: await t.signIn(user.email, user.password), sessionId: null });
    }
    // Every driver but the last charges; driver 0 has an older running session too (the newest counts).
    let pk = 1;
    const session = (driverId: string, energyKwh: number, startedAt: Date) =>
      t.app.services.db.chargingSession.create({
        data: {
          steveTransactionPk: pk++,
          chargerId,
          connectorNumber: 1,
          idTag: `TAG-${pk}`,
          driverId,
          status: 'ACTIVE',
          startedAt,
          meterStartWh: 0,
          energyKwh,
        },
      });
    await session(drivers[0]!.id, 99, new Date(Date.now() - 3_600_000));
    for (const [i, d] of drivers.slice(0, -1).entries())
      d.sessionId = (await session(d.id, i + 0.5, new Date())).id;
  }, 120_000);

  afterAll(async () => {
    for (const d of drivers) d.raw?.socket.terminate();
    await t?.stop();
  });

  const nexts = (raw: RawSocket) =>
    raw.messages.filter((m) => m.type === 'next').map((m) => m.payload as Next);

  async function waitUntil(what: string, condition: () => boolean, ms = 15_000) {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Touches the sessions of `group` (as one sync page does) and returns the SQL statements it took. */
  async function burst(group: typeof drivers, energy: (i: number) => number) {
    for (const [i, d] of group.entries())
      if (d.sessionId)
        await t.app.services.db.chargingSession.update({
          where: { id: d.sessionId },
          data: { energyKwh: energy(i) },
        });
    for (const d of group) d.raw!.messages.length = 0;
    const before = t.app.database.queryCount();
    for (const d of group)
      t.app.services.pubsub.publish('driver:session', d.id, { sessionId: d.sessionId ?? 'none' });
    await waitUntil('the event on every socket', () => group.every((d) => nexts(d.raw!).length === 1));
    return t.app.database.queryCount() - before;
  }

  it('each driver gets their own session, and the reads cost the same for 3 or 12 drivers', async () => {
    for (const d of drivers) {
      d.raw = await openRawSocket(t.url, { cookie: d.cookie, origin: t.config.publicUrl });
      d.raw.send({ type: 'connection_init', payload: {} });
      await d.raw.next('connection_ack');
      d.raw.send({ id: '1', type: 'subscribe', payload: { query: ACTIVE } });
    }
    // The first result is each driver's current session.
    await waitUntil('every first result', () => drivers.every((d) => nexts(d.raw!).length === 1));
    for (const [i, d] of drivers.entries()) {
      const first = nexts(d.raw!)[0]!.data!.activeSession;
      if (d.sessionId) expect(first).toEqual({ energyKwh: i + 0.5, charger: { name: 'Bay 7' } });
      else expect(first).toBeNull();
    }

    const few = drivers.slice(0, 3);
    const forFew = await burst(few, (i) => 10 + i);
    for (const [i, d] of few.entries())
      expect(nexts(d.raw!)[0]!.data!.activeSession).toEqual({
        energyKwh: 10 + i,
        charger: { name: 'Bay 7' },
      });

    const forAll = await burst(drivers, (i) => 20 + i);
    for (const [i, d] of drivers.entries()) {
      const seen = nexts(d.raw!)[0]!.data!.activeSession;
      if (d.sessionId) expect(seen).toEqual({ energyKwh: 20 + i, charger: { name: 'Bay 7' } });
      else expect(seen).toBeNull();
    }
    // One batched read (sessions, then their chargers) however many drivers the burst woke.
    expect(forAll).toBe(forFew);
    expect(forAll).toBeLessThanOrEqual(3);
  }, 120_000);
});
