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

  it('splits energy by site: the largest sites, the rest summed, chargers without a site apart', async () => {
    const db = t.app.services.db;
    type Series = {
      site: string | null;
      others: boolean;
      totalKwh: number;
      points: { bucket: string; kwh: number }[];
    };
    const bySite = (sites: number) =>
      query<{ insightsEnergyBySite: Series[] }>(
        `{ insightsEnergyBySite(bucket: DAY, sites: ${sites}) { site others totalKwh points { bucket kwh sessions } } }`,
      );
    // INS-BUSY at the harbour, INS-QUIET at the station, INS-IDLE without a site.
    await db.chargerProfile.create({ data: { chargerId: chargerIds[0]!, siteName: 'Harbour' } });
    await db.chargerProfile.create({ data: { chargerId: chargerIds[1]!, siteName: 'Station' } });
    const small = await bySite(6);
    expect(small.data.insightsEnergyBySite.map((s) => [s.site, s.others, s.totalKwh])).toEqual([
      ['Harbour', false, 17.5],
      ['Station', false, 4.25],
    ]);
    const harbour = small.data.insightsEnergyBySite[0]!;
    expect(harbour.points).toHaveLength(30);
    expect(harbour.points.find((p) => p.bucket === utc(2).toISOString())?.kwh).toBe(10.5);

    // A third charger without a site, and only one site of its own: the other one is summed.
    const extra = await db.charger.create({
      data: { chargeBoxId: 'INS-NOSITE', connectors: { create: [{ connectorId: 1 }] } },
    });
    chargerIds.push(extra.id);
    await db.chargingSession.createMany({ data: [session(3, utc(1, 10), 20, 2)] });
    const large = await bySite(1);
    expect(large.data.insightsEnergyBySite.map((s) => [s.site, s.others, s.totalKwh])).toEqual([
      ['Harbour', false, 17.5],
      [null, false, 2],
      [null, true, 4.25],
    ]);
    expect(large.data.insightsEnergyBySite.every((s) => s.points.length === 30)).toBe(true);
    expect(large.statements).toBe(small.statements);
    await db.chargingSession.deleteMany({ where: { chargerId: extra.id } });
    await db.charger.delete({ where: { id: extra.id } });
    chargerIds.pop();
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

  it('ranks chargers by uptime from the status history, the last status before the window included', async () => {
    const db = t.app.services.db;
    const event = (charger: number, at: Date, status: string) => ({
      chargerId: chargerIds[charger]!,
      connectorId: 1,
      status,
      at,
      recordedAt: at,
    });
    const uptimeQuery = () =>
      query<{ insightsUptime: { chargeBoxId: string; share: number; downMinutes: number; rank: string }[] }>(
        '{ insightsUptime(days: 7) { chargeBoxId share knownMinutes downMinutes rank } }',
      );
    const now = Date.now();
    await db.connectorStatusEvent.createMany({
      data: [
        // INS-BUSY: Available since before the window, then faulted for the last 42 hours (a quarter).
        event(0, new Date(now - 10 * DAY), 'Available'),
        event(0, new Date(now - 42 * HOUR), 'Faulted'),
        // INS-QUIET: known only for the last day, always usable.
        event(1, new Date(now - DAY), 'Available'),
        event(1, new Date(now - 12 * HOUR), 'Charging'),
      ],
    });
    const res = await uptimeQuery();
    const top = res.data.insightsUptime.filter((u) => u.rank === 'TOP');
    const bottom = res.data.insightsUptime.filter((u) => u.rank === 'BOTTOM');
    // INS-IDLE has no history: it is not ranked at all.
    expect(res.data.insightsUptime.some((u) => u.chargeBoxId === 'INS-IDLE')).toBe(false);
    expect(top[0]).toMatchObject({ chargeBoxId: 'INS-QUIET', share: 1, downMinutes: 0 });
    expect(bottom[0]!.chargeBoxId).toBe('INS-BUSY');
    expect(bottom[0]!.share).toBeCloseTo(0.75, 3);
    expect(bottom[0]!.downMinutes).toBeGreaterThanOrEqual(42 * 60 - 1);

    await db.connectorStatusEvent.createMany({
      data: Array.from({ length: 30 }, (_, i) =>
        event(1, new Date(now - (i + 2) * HOUR), i % 2 ? 'Available' : 'Charging'),
      ),
    });
    const more = await uptimeQuery();
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
