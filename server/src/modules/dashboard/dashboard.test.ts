import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import { ManualClock } from '../sync/test-helpers.ts';

const DASHBOARD = /* GraphQL */ `
  query {
    adminDashboard {
      welcome
      chargersOnline
      chargersTotal
      unreadAlerts
      syncSchedule {
        tier
        nextRunAt
        interval
      }
      activeSyncRun {
        id
        segments {
          kind
          status
          processed
          total
        }
      }
      liveSessions {
        id
        energyKwh
        startedAt
        charger {
          chargeBoxId
          name
        }
        card {
          publicId
        }
        driver {
          email
        }
      }
      health {
        checkedAt
        healthy
        warnings {
          source
          code
          severity
          message
          count
        }
      }
      weeklyFigures {
        kwhDelivered
        syncRuns
        cardsActivated
        reservationsCompleted
      }
    }
  }
`;

type Dashboard = {
  welcome: boolean;
  chargersOnline: number;
  chargersTotal: number;
  unreadAlerts: number;
  liveSessions: {
    id: string;
    energyKwh: number;
    startedAt: string;
    card: { publicId: string } | null;
    driver: { email: string } | null;
  }[];
  health: { healthy: boolean; warnings: { code: string }[] };
  weeklyFigures: {
    kwhDelivered: number;
    syncRuns: number;
    cardsActivated: number;
    reservationsCompleted: number;
  };
};

describe('operator dashboard', () => {
  let t: TestApp;
  let adminCookie: string;
  let driverCookie: string;
  let driverId: string;
  let pk = 10_000;

  const dashboard = async () => {
    const res = await t.graphql<{ adminDashboard: Dashboard }>(DASHBOARD, {}, { cookie: adminCookie });
    expect(res.errors).toBeUndefined();
    return res.data!.adminDashboard;
  };

  async function addLiveSessions(n: number) {
    const charger = await t.app.services.db.charger.findFirstOrThrow({ where: { goneAt: null } });
    for (let i = 0; i < n; i += 1) {
      pk += 1;
      const card = await t.app.services.db.evCard.create({
        data: { publicId: `EV-T${pk}`, idTag: `TAG${pk}`, status: 'ACTIVE', ownerId: driverId },
      });
      await t.app.services.db.chargingSession.create({
        data: {
          steveTransactionPk: pk,
          chargerId: charger.id,
          connectorNumber: 1,
          idTag: card.idTag,
          cardId: card.id,
          driverId,
          startedAt: new Date(),
          meterStartWh: 1000,
          latestMeterWh: 3500,
        },
      });
    }
  }

  beforeAll(async () => {
    const clock = new ManualClock(new Date().toISOString());
    const sim = new FleetSimulator({
      seed: 5,
      size: 3,
      now: clock.now,
      fleetChurn: false,
      outages: false,
      warmupMs: 0,
      backgroundActivity: false,
    });
    t = await createTestApp({ app: { background: false, steve: sim, clock: clock.now } });
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
    const driver = await t.createUser({ role: 'customer' });
    driverId = driver.id;
    driverCookie = await t.signIn(driver.email, driver.password);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('shows the welcome state on a fresh deployment: healthy, zeros, no chargers', async () => {
    const d = await dashboard();
    expect(d).toMatchObject({
      welcome: true,
      chargersOnline: 0,
      chargersTotal: 0,
      unreadAlerts: 0,
      liveSessions: [],
    });
    expect(d.health).toMatchObject({ healthy: true, warnings: [] });
    expect(d.weeklyFigures).toEqual({
      kwhDelivered: 0,
      syncRuns: 0,
      cardsActivated: 0,
      reservationsCompleted: 0,
    });
  });

  it('leaves the welcome state once a sync run has brought chargers in', async () => {
    await t.app.services.sync.engine.run({ trigger: 'MANUAL' });
    const d = await dashboard();
    expect(d.welcome).toBe(false);
    expect(d.chargersTotal).toBe(3);
    expect(d.chargersOnline).toBeGreaterThan(0);
    expect(d.weeklyFigures.syncRuns).toBe(1);
  });

  it('loads the dashboard in the same number of SQL statements for 1 or 6 live sessions', async () => {
    const count = async () => {
      const before = t.app.database.queryCount();
      const d = await dashboard();
      return { statements: t.app.database.queryCount() - before, d };
    };
    await addLiveSessions(1);
    await count(); // warm-up
    const small = await count();
    await addLiveSessions(5);
    const large = await count();
    const mine = (d: Dashboard) => d.liveSessions.filter((s) => s.card?.publicId.startsWith('EV-T'));
    expect(mine(small.d)).toHaveLength(1);
    expect(mine(large.d)).toHaveLength(6);
    expect(mine(large.d)[0]!.energyKwh).toBe(2.5);
    expect(large.statements).toBe(small.statements);
  });

  it('answers the header strip, This week and Live now in at most 4 SQL statements, sign-in check included', async () => {
    // The document the dashboard bench sends (bench/dashboard-query.ts).
    const HEADER_AND_LIVE = `{ adminDashboard {
      chargersTotal chargersOnline unreadAlerts
      weeklyFigures { kwhDelivered syncRuns cardsActivated reservationsCompleted }
      liveSessions { id steveTransactionPk idTag startedAt powerKw charger { chargeBoxId } }
    } }`;
    type Result = {
      adminDashboard: {
        chargersTotal: number;
        liveSessions: { idTag: string; startedAt: string; charger: { chargeBoxId: string } }[];
      };
    };
    const count = async () => {
      const before = t.app.database.queryCount();
      const res = await t.graphql<Result>(HEADER_AND_LIVE, {}, { cookie: adminCookie });
      expect(res.errors).toBeUndefined();
      return { statements: t.app.database.queryCount() - before, d: res.data!.adminDashboard };
    };
    await count(); // warm-up
    const before = await count();
    await addLiveSessions(3);
    const after = await count();
    expect(after.d.liveSessions).toHaveLength(before.d.liveSessions.length + 3);
    const charger = await t.app.services.db.charger.findFirstOrThrow({ where: { goneAt: null } });
    const added = after.d.liveSessions.filter((s) => s.idTag.startsWith('TAG'));
    expect(added.every((s) => s.charger.chargeBoxId === charger.chargeBoxId)).toBe(true);
    expect(after.d.chargersTotal).toBe(3);
    expect(after.statements).toBe(before.statements);
    expect(after.statements).toBeLessThanOrEqual(4);
  });

  it('lists the newest running session first in Live now, even with more than 50 running', async () => {
    const charger = await t.app.services.db.charger.findFirstOrThrow({ where: { goneAt: null } });
    const hourAgo = Date.now() - 3_600_000;
    await t.app.services.db.chargingSession.createMany({
      data: Array.from({ length: 55 }, (_, i) => ({
        steveTransactionPk: 50_000 + i,
        chargerId: charger.id,
        connectorNumber: 2,
        idTag: `OLD${i}`,
        startedAt: new Date(hourAgo + i * 1000),
        meterStartWh: 0,
      })),
    });
    pk += 1;
    await t.app.services.db.chargingSession.create({
      data: {
        steveTransactionPk: 60_000 + pk,
        chargerId: charger.id,
        connectorNumber: 3,
        idTag: 'JUST-STARTED',
        startedAt: new Date(),
        meterStartWh: 0,
      },
    });
    const live = (await dashboard()).liveSessions;
    expect(live).toHaveLength(50);
    const started = live.map((s) => Date.parse(s.startedAt));
    expect(started).toEqual([...started].sort((a, b) => b - a));
    const newest = await t.graphql<{ adminDashboard: { liveSessions: { idTag: string }[] } }>(
      '{ adminDashboard { liveSessions { idTag } } }',
      {},
      { cookie: adminCookie },
    );
    expect(newest.data!.adminDashboard.liveSessions[0]!.idTag).toBe('JUST-STARTED');
    // Leave the other tests their fleet: these sessions end.
    await t.app.services.db.chargingSession.updateMany({
      where: { steveTransactionPk: { gte: 50_000 } },
      data: { status: 'COMPLETED', stoppedAt: new Date() },
    });
  });

  it('warns about active cards without a Lago customer on the Health card', async () => {
    const d = await dashboard();
    expect(d.health.warnings.map((w) => w.code)).toContain('CARDS_WITHOUT_CUSTOMER');
  });

  it('counts unread alerts and lets an operator mark one read', async () => {
    await t.app.services.db.alert.create({
      data: { severity: 'WARNING', kind: 'test', message: 'Look at this' },
    });
    expect((await dashboard()).unreadAlerts).toBe(1);
    const list = await t.graphql<{ alerts: { edges: { node: { id: string; readAt: string | null } }[] } }>(
      '{ alerts(first: 5, unreadOnly: true) { edges { node { id readAt } } } }',
      {},
      { cookie: adminCookie },
    );
    const id = list.data!.alerts.edges[0]!.node.id;
    const refused = await t.graphql(
      'mutation ($id: ID!) { markAlertRead(id: $id) { id } }',
      { id },
      { cookie: driverCookie },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const res = await t.graphql<{ markAlertRead: { readAt: string | null } }>(
      'mutation ($id: ID!) { markAlertRead(id: $id) { readAt } }',
      { id },
      { cookie: adminCookie },
    );
    expect(res.data!.markAlertRead.readAt).not.toBeNull();
    expect((await dashboard()).unreadAlerts).toBe(0);
    const audit = await t.app.services.db.auditEvent.findMany({ where: { action: 'alert.read' } });
    expect(audit).toHaveLength(1);
  });

  it('refuses the dashboard to drivers', async () => {
    const res = await t.graphql(DASHBOARD, {}, { cookie: driverCookie });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
