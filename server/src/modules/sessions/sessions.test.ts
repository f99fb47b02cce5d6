import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { LagoSandbox } from '../../integrations/lago/sandbox/sandbox.ts';
import {
  createCard,
  createCharger,
  createCustomer,
  payloadFor,
  takePks,
} from '../billing/billing.fixtures.ts';
import { recordSessionUsage } from '../billing/billing.service.ts';
import { startOfMonthUtc, startOfWeekUtc } from './sessions.service.ts';

const USAGE =
  '{ usage { weekKwh weekSessions monthKwh monthSessions billingPeriod { kwh amountCents currency } billingAvailability } }';
type Usage = {
  usage: {
    weekKwh: number;
    weekSessions: number;
    monthKwh: number;
    monthSessions: number;
    billingPeriod: { kwh: number } | null;
    billingAvailability: 'BILLED' | 'NOT_BILLED' | 'UNAVAILABLE';
  };
};

describe('a driver’s usage', () => {
  let t: TestApp;
  let lago: LagoSandbox;

  beforeAll(async () => {
    lago = new LagoSandbox();
    t = await createTestApp({ app: { background: false, lago } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('weeks start on Monday and months on the 1st, in UTC', () => {
    expect(startOfWeekUtc(new Date('2026-11-22T12:00:00Z')).toISOString()).toBe('2026-11-16T00:00:00.000Z');
    expect(startOfWeekUtc(new Date('2026-11-16T00:00:00Z')).toISOString()).toBe('2026-11-16T00:00:00.000Z');
    expect(startOfMonthUtc(new Date('2026-11-22T12:00:00Z')).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('sums the driver’s own sessions this week and month, and reads the billing period from Lago', async () => {
    const db = t.app.services.db;
    const driver = await t.createUser();
    const other = await t.createUser();
    const customer = await createCustomer(db);
    await lago.upsertCustomer({ externalId: customer.externalId, name: customer.name });
    await lago.ensureSubscription(customer.externalId);
    const charger = await createCharger(db);
    const card = await createCard(db, { customerId: customer.id });
    await db.evCard.update({ where: { id: card.id }, data: { ownerId: driver.id, isPrimary: true } });
    const otherCard = await createCard(db);
    await db.evCard.update({ where: { id: otherCard.id }, data: { ownerId: other.id } });

    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
    const [a, b, c] = takePks(3);
    const make = (pk: number, driverId: string, cardId: string, startedAt: Date, kwh: number) =>
      db.chargingSession.create({
        data: {
          steveTransactionPk: pk,
          chargerId: charger.id,
          connectorNumber: 1,
          idTag: 'x',
          cardId,
          driverId,
          status: 'COMPLETED',
          startedAt,
          stoppedAt: new Date(startedAt.getTime() + 60_000),
          firstMeterAt: startedAt,
          meterStartWh: 0,
          meterStopWh: kwh * 1000,
          energyKwh: kwh,
        },
      });
    const s1 = await make(a!, driver.id, card.id, new Date(now.getTime() - 60_000), 7.5);
    await make(b!, driver.id, card.id, lastMonth, 100);
    await make(c!, other.id, otherCard.id, new Date(now.getTime() - 60_000), 50);

    // The session reaches Lago through the outbox, as the sync would send it.
    const stoppedAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
    await db.$transaction((tx) =>
      recordSessionUsage(tx, {
        sessionId: s1.id,
        steveTransactionPk: a!,
        payload: {
          ...payloadFor(a!, 7.5, charger.chargeBoxId, card.idTag),
          stoppedAt: stoppedAt.toISOString(),
        },
        customerExternalId: customer.externalId,
      }),
    );
    await t.app.services.billing.drainUntilIdle();

    const cookie = await t.signIn(driver.email, driver.password);
    const res = await t.graphql<Usage>(USAGE, {}, { cookie });
    expect(res.errors).toBeUndefined();
    expect(res.data!.usage).toMatchObject({ weekKwh: 7.5, weekSessions: 1, monthKwh: 7.5, monthSessions: 1 });
    expect(res.data!.usage.billingPeriod?.kwh).toBe(7.5);
    expect(res.data!.usage.billingAvailability).toBe('BILLED');

    // Recent sessions with charger and card load in a fixed number of SQL statements.
    const SESSIONS =
      'query ($n: Int!) { sessions(first: $n) { edges { node { id energyKwh durationSeconds charger { name } card { publicId } } } } }';
    const statements = async (n: number) => {
      const before = t.app.database.queryCount();
      const r = await t.graphql<{ sessions: { edges: unknown[] } }>(SESSIONS, { n }, { cookie });
      expect(r.data!.sessions.edges).toHaveLength(n);
      return t.app.database.queryCount() - before;
    };
    await statements(1);
    expect(await statements(2)).toBe(await statements(1));

    // Another driver sees only their own figures and no billing period (no customer on the card).
    const otherCookie = await t.signIn(other.email, other.password);
    const theirs = await t.graphql<Usage>(USAGE, {}, { cookie: otherCookie });
    expect(theirs.data!.usage).toMatchObject({
      weekKwh: 50,
      monthKwh: 50,
      billingPeriod: null,
      billingAvailability: 'NOT_BILLED',
    });

    // Lago away: Polaris' own figures stay, and the tile can say billing is temporarily unavailable.
    lago.setFault({ down: true });
    try {
      const away = await t.graphql<Usage>(USAGE, {}, { cookie });
      expect(away.errors).toBeUndefined();
      expect(away.data!.usage).toMatchObject({
        weekKwh: 7.5,
        billingPeriod: null,
        billingAvailability: 'UNAVAILABLE',
      });
    } finally {
      lago.setFault({});
    }
  });
});
