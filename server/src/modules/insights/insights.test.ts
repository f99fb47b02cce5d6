import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Midnight UTC `daysAgo` days ago, plus `hours`. */
const utc = (daysAgo: number, hours = 0) => {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  return new Date(d.getTime() - daysAgo * DAY + hours * HOUR);
};

describe('Insights charts: bucketed in SQL, one statement each', () => {
  let t: TestApp;
  let cookie: string;
  let pk = 70_000;
  const chargerIds: string[] = [];

  const query = async <T>(document: string) => {
    const before = t.app.database.queryCount();
    const res = await t.graphql<T>(document, {}, { cookie });
    expect(res.errors).toBeUndefined();
    return { data: res.data!, statements: t.app.database.queryCount() - before };
  };

  const session = (charger: number, startedAt: Date, minutes: number, kwh: number) => {
    pk += 1;
    return {
      steveTransactionPk: pk,
      chargerId: chargerIds[charger]!,
      connectorNumber: 1,
      idTag: `INS-${pk}`,
      meterStartWh: 0,
      startedAt,
      stoppedAt: new Date(startedAt.getTime() + minutes * 60_000),
      status: 'COMPLETED' as const,
      energyKwh: kwh,
    };
  };

  beforeAll(async () => {
    t = await createTestApp({ app: { background: false } });
    const admin = await t.createUser({ role: 'admin', email: 'insights@example.test' });
    cookie = await t.signIn(admin.email, admin.password);
    for (const id of ['INS-BUSY', 'INS-QUIET', 'INS-IDLE']) {
      const c = await t.app.services.db.charger.create({
        data: { chargeBoxId: id, connectors: { create: [{ connectorId: 1 }] } },
      });
      chargerIds.push(c.id);
    }
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('sums energy per day and per week, with empty buckets as zero', async () => {
    const small = await query<{ insightsEnergy: { bucket: string; kwh: number; sessions: number }[] }>(
      '{ insightsEnergy(bucket: DAY) { bucket kwh sessions } }',
    );
    expect(small.data.insightsEnergy).toHaveLength(30);
    expect(small.data.insightsEnergy.every((p) => p.kwh === 0)).toBe(true);

    await t.app.services.db.chargingSession.createMany({
      data: [
        session(0, utc(2, 8), 60, 10.5),
        session(1, utc(2, 14), 30, 4.25),
        session(0, utc(10, 9), 45, 7),
        session(0, utc(100, 9), 45, 99), // outside the 30 days, inside the 26 weeks
      ],
    });
    const large = await query<{ insightsEnergy: { bucket: string; kwh: number; sessions: number }[] }>(
      '{ insightsEnergy(bucket: DAY) { bucket kwh sessions } }',
    );
    const days = large.data.insightsEnergy;
    expect(days).toHaveLength(30);
    expect(days.at(-1)!.bucket).toBe(utc(0).toISOString());
    expect(days.find((p) => p.bucket === utc(2).toISOString())).toEqual({
      bucket: utc(2).toISOString(),
      kwh: 14.75,
      sessions: 2,
    });
    expect(days.reduce((sum, p) => sum + p.kwh, 0)).toBe(21.75);
    expect(large.statements).toBe(small.statements);

    const weeks = await query<{ insightsEnergy: { kwh: number }[] }>(
      '{ insightsEnergy(bucket: WEEK) { kwh } }',
    );
    expect(weeks.data.insightsEnergy).toHaveLength(26);
    expect(weeks.data.insightsEnergy.reduce((sum, p) => sum + p.kwh, 0)).toBe(21.75 + 99);
  });

  it('counts sessions by hour of day', async () => {
    const res = await query<{ insightsSessionsByHour: { hour: number; sessions: number }[] }>(
      '{ insightsSessionsByHour(days: 30) { hour sessions } }',
    );
    const hours = res.data.insightsSessionsByHour;
    expect(hours.map((h) => h.hour)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(hours[8]!.sessions).toBe(1);
    expect(hours[9]!.sessions).toBe(1);
    expect(hours[14]!.sessions).toBe(1);
    expect(hours.reduce((sum, h) => sum + h.sessions, 0)).toBe(3);
  });

  it('ranks chargers by the share of the window they were in use', async () => {
    const res = await query<{ insightsUtilisation: { chargeBoxId: string; share: number; rank: string }[] }>(
      '{ insightsUtilisation(days: 7) { chargeBoxId share rank } }',
    );
    const top = res.data.insightsUtilisation.filter((u) => u.rank === 'TOP');
    const bottom = res.data.insightsUtilisation.filter((u) => u.rank === 'BOTTOM');
    expect(top[0]!.chargeBoxId).toBe('INS-BUSY');
    // 60 minutes of 7 days on one connector.
    expect(top[0]!.share).toBeCloseTo(60 / (7 * 24 * 60), 6);
    expect(bottom[0]).toMatchObject({ chargeBoxId: 'INS-IDLE', share: 0 });
    await t.app.services.db.chargingSession.createMany({
      data: Array.from({ length: 20 }, (_, i) => session(1, utc(1, i), 10, 1)),
    });
    const more = await query<{ insightsUtilisation: unknown[] }>(
      '{ insightsUtilisation(days: 7) { chargeBoxId share rank } }',
    );
    expect(more.statements).toBe(res.statements);
  });

  it('buckets the last day of sync runs and the billing events per day', async () => {
    const db = t.app.services.db;
    const started = new Date(Date.now() - 2 * HOUR);
    await db.syncRun.create({
      data: {
        trigger: 'MANUAL',
        tier: 'IDLE',
        status: 'SUCCEEDED',
        startedAt: started,
        finishedAt: new Date(started.getTime() + 1500),
        segments: {
          create: [
            { kind: 'CHARGERS', position: 0, status: 'SUCCEEDED', processed: 3 },
            { kind: 'TRANSACTIONS', position: 1, status: 'SUCCEEDED', processed: 4 },
          ],
        },
      },
    });
    const runs = await query<{
      insightsSyncRuns: { runs: number; meanDurationMs: number; maxDurationMs: number; changes: number }[];
    }>('{ insightsSyncRuns { bucket runs failed meanDurationMs maxDurationMs changes } }');
    const buckets = runs.data.insightsSyncRuns;
    expect(buckets.length).toBeGreaterThanOrEqual(96);
    expect(buckets.filter((b) => b.runs > 0)).toEqual([
      {
        bucket: expect.any(String),
        runs: 1,
        failed: 0,
        meanDurationMs: 1500,
        maxDurationMs: 1500,
        changes: 7,
      },
    ]);

    const sessions = await db.chargingSession.findMany({ take: 3, orderBy: { startedAt: 'desc' } });
    await db.billingEvent.createMany({
      data: sessions.map((s, i) => ({
        sessionId: s.id,
        transactionId: `ins-${s.id}`,
        payload: {},
        status: (['DELIVERED', 'PENDING', 'FAILED'] as const)[i]!,
        deliveredAt: i === 0 ? new Date() : null,
      })),
    });
    const billing = await query<{
      insightsBilling: { day: string; sent: number; waiting: number; refused: number }[];
    }>('{ insightsBilling { day sent waiting refused } }');
    expect(billing.data.insightsBilling).toHaveLength(30);
    expect(billing.data.insightsBilling.at(-1)).toEqual({
      day: utc(0).toISOString(),
      sent: 1,
      waiting: 1,
      refused: 1,
    });
  });
});
