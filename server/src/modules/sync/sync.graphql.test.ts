import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import { ManualClock } from './test-helpers.ts';

const CHARGERS = /* GraphQL */ `
  query ($first: Int, $includeGone: Boolean, $state: ChargerState) {
    chargers(first: $first, includeGone: $includeGone, state: $state) {
      edges {
        node {
          id
          chargeBoxId
          name
          state
          goneAt
          connectors {
            connectorId
            status
            errorCode
            statusAt
            maxPowerKw
          }
        }
      }
    }
  }
`;

const SYNC_RUNS = /* GraphQL */ `
  query {
    syncRuns(first: 5) {
      edges {
        node {
          id
          trigger
          tier
          status
          startedAt
          finishedAt
          error
          segments {
            kind
            status
            processed
            total
            error
          }
        }
      }
    }
    syncSchedule {
      tier
      nextRunAt
      interval
    }
  }
`;

type ChargersData = {
  chargers: {
    edges: {
      node: {
        id: string;
        chargeBoxId: string;
        name: string;
        state: string;
        goneAt: string | null;
        connectors: { connectorId: number; status: string; maxPowerKw: number | null }[];
      };
    }[];
  };
};

describe('chargers and sync over GraphQL', () => {
  let t: TestApp;
  let clock: ManualClock;
  let sim: FleetSimulator;
  let adminCookie: string;
  let driverCookie: string;

  beforeAll(async () => {
    clock = new ManualClock();
    sim = new FleetSimulator({ seed: 9, size: 12, now: clock.now, fleetChurn: false });
    t = await createTestApp({ app: { background: false, steve: sim, clock: clock.now } });
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
    const driver = await t.createUser({ role: 'customer' });
    driverCookie = await t.signIn(driver.email, driver.password);
    await t.app.services.sync.engine.run({ trigger: 'STARTUP' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('lists chargers with their connectors for any signed-in person, not for anonymous callers', async () => {
    const anonymous = await t.graphql(CHARGERS, { first: 50 });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const res = await t.graphql<ChargersData>(CHARGERS, { first: 50 }, { cookie: driverCookie });
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.chargers.edges.map((e) => e.node);
    expect(nodes).toHaveLength(12);
    expect(nodes.every((n) => n.connectors.length > 0)).toBe(true);
    expect(nodes.every((n) => n.name.length > 0)).toBe(true);

    const one = await t.graphql<{ charger: { chargeBoxId: string } | null }>(
      `query ($id: ID!) { charger(id: $id) { chargeBoxId } }`,
      { id: nodes[0]!.id },
      { cookie: driverCookie },
    );
    expect(one.data?.charger?.chargeBoxId).toBe(nodes[0]!.chargeBoxId);

    const offline = await t.graphql<ChargersData>(
      CHARGERS,
      { first: 50, state: 'ONLINE' },
      { cookie: driverCookie },
    );
    expect(offline.data!.chargers.edges.every((e) => e.node.state === 'ONLINE')).toBe(true);
  });

  it('loads chargers with connectors in the same number of SQL statements for 2 or 12 chargers', async () => {
    const count = async (first: number) => {
      const before = t.app.database.queryCount();
      const res = await t.graphql<ChargersData>(CHARGERS, { first }, { cookie: driverCookie });
      expect(res.errors).toBeUndefined();
      expect(res.data!.chargers.edges).toHaveLength(first);
      return t.app.database.queryCount() - before;
    };
    await count(2); // warm-up: first request may resolve auth lazily
    const small = await count(2);
    const large = await count(12);
    expect(large).toBe(small);
  });

  it('leaves gone chargers out unless includeGone', async () => {
    const victim = sim.normalChargers[0]!;
    sim.deleteChargePoint(victim);
    clock.advance(5_000);
    await t.app.services.sync.engine.run({ trigger: 'MANUAL' });
    const visible = await t.graphql<ChargersData>(CHARGERS, { first: 50 }, { cookie: driverCookie });
    expect(visible.data!.chargers.edges.map((e) => e.node.chargeBoxId)).not.toContain(victim);
    const all = await t.graphql<ChargersData>(
      CHARGERS,
      { first: 50, includeGone: true },
      { cookie: driverCookie },
    );
    const gone = all.data!.chargers.edges.find((e) => e.node.chargeBoxId === victim);
    expect(gone?.node.goneAt).not.toBeNull();
    expect(gone?.node.state).toBe('OFFLINE');
  });

  it('shows sync runs and the schedule to operators only', async () => {
    const asDriver = await t.graphql(SYNC_RUNS, {}, { cookie: driverCookie });
    expect(asDriver.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const res = await t.graphql<{
      syncRuns: {
        edges: { node: { trigger: string; status: string; segments: { kind: string; status: string }[] } }[];
      };
      syncSchedule: { tier: string; interval: number; nextRunAt: string };
    }>(SYNC_RUNS, {}, { cookie: adminCookie });
    expect(res.errors).toBeUndefined();
    const runs = res.data!.syncRuns.edges.map((e) => e.node);
    expect(runs.map((r) => r.trigger)).toEqual(['MANUAL', 'STARTUP']);
    expect(runs[0]!.segments.map((s) => s.kind)).toEqual([
      'CHARGERS',
      'CONNECTOR_STATUS',
      'TAGS',
      'TRANSACTIONS',
      'METER_VALUES',
      'RESERVATIONS',
    ]);
    expect(res.data!.syncSchedule.interval).toBeGreaterThan(0);
  });

  it('shows an admin the card whose tag SteVe deleted, and the alert about it', async () => {
    await sim.createTag({ idTag: 'GQL-GONE-1' });
    clock.advance(5_000);
    await t.app.services.sync.engine.run({ trigger: 'MANUAL' });
    await t.app.services.db.evCard.update({ where: { idTag: 'GQL-GONE-1' }, data: { status: 'ACTIVE' } });
    const CARD = `query { evCards(first: 5, search: "GQL-GONE") { edges { node { publicId idTag steveTagGoneAt } } } }`;
    type CardData = {
      evCards: { edges: { node: { publicId: string; idTag: string; steveTagGoneAt: string | null } }[] };
    };
    const before = await t.graphql<CardData>(CARD, {}, { cookie: adminCookie });
    expect(before.data!.evCards.edges.map((e) => e.node.steveTagGoneAt)).toEqual([null]);

    // The header's live unread count listens to `alerts:changed`: the run must announce its alert.
    const announcements = t.app.services.pubsub.subscribe('alerts:changed')[Symbol.asyncIterator]();
    const announced = announcements.next();
    sim.deleteTag('GQL-GONE-1');
    clock.advance(5_000);
    await t.app.services.sync.engine.run({ trigger: 'MANUAL' });
    await expect(announced).resolves.toMatchObject({ done: false });
    await announcements.return?.();
    const after = await t.graphql<CardData>(CARD, {}, { cookie: adminCookie });
    expect(after.errors).toBeUndefined();
    const card = after.data!.evCards.edges[0]!.node;
    expect(card.idTag).toBe('GQL-GONE-1');
    expect(new Date(card.steveTagGoneAt!).getTime()).toBe(clock.now().getTime());
    const alerts = await t.graphql<{
      alerts: { nodes: { kind: string; subjectId: string; message: string }[] };
    }>(`query { alerts(first: 20) { nodes { kind subjectId message } } }`, {}, { cookie: adminCookie });
    expect(alerts.errors).toBeUndefined();
    const deleted = alerts.data!.alerts.nodes.filter((a) => a.kind === 'card.steveTagDeleted');
    expect(deleted.map((a) => a.subjectId)).toEqual([card.publicId]);
    expect(deleted[0]!.message).toContain('GQL-GONE-1');
  });

  it('lets an admin trigger a run, audited, and streams its progress', async () => {
    const denied = await t.graphql(`mutation { triggerSync { tier } }`, {}, { cookie: driverCookie });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const { pubsub } = t.app.services;
    const seen: string[] = [];
    const iterator = pubsub.subscribe('sync:progress')[Symbol.asyncIterator]();
    const collecting = (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        seen.push(next.value.runId);
        const run = await t.app.services.db.syncRun.findUnique({ where: { id: next.value.runId } });
        if (run && run.status !== 'RUNNING' && run.trigger === 'MANUAL' && run.requestedById) return;
      }
    })();

    const res = await t.graphql<{ triggerSync: { tier: string; nextRunAt: string } }>(
      `mutation { triggerSync { tier nextRunAt } }`,
      {},
      { cookie: adminCookie },
    );
    expect(res.errors).toBeUndefined();
    await collecting;
    await iterator.return?.();
    expect(seen.length).toBeGreaterThan(6);
    const audit = await t.app.services.db.auditEvent.findFirst({ where: { action: 'sync.triggered' } });
    expect(audit?.subjectType).toBe('SyncRun');
  });
});
