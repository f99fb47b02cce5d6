import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { buildApp, type App } from '../../app.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import type { Database } from '../../lib/db.ts';
import { ManualClock } from '../sync/test-helpers.ts';
import { CHARGER_REJECTED_MESSAGE } from './charging.errors.ts';
import { START_TIMEOUT_QUEUE, startRequestMessage } from './charging.service.ts';
import { giveCard } from './test-fixtures.ts';

const START = /* GraphQL */ `
  mutation ($id: ID!) {
    startCharging(chargerId: $id) {
      __typename
      ... on StartChargingSuccess {
        startRequest {
          id
          outcome
        }
      }
    }
  }
`;

async function waitFor<T>(
  probe: () => Promise<T | null | undefined>,
  label: string,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The 90 s NOT_STARTED rule runs through the pg-boss queue: app A accepts a start and goes away, app B
 * on the same database turns it NOT_STARTED once 90 s of test time have passed — once.
 */
describe('NOT_STARTED through the job queue, across a restart', () => {
  let database: Database;
  let clock: ManualClock;
  let sim: FleetSimulator;
  let first: TestApp;
  let second: App | null = null;
  let firstStopped = false;
  let cookie: string;
  let chargers: string[];

  /** The second instance: same database, SteVe and clock, its own job queue and pub/sub. */
  const startSecond = async () => {
    const b = await buildApp({
      config: first.config,
      database,
      logger: first.app.services.logger,
      steve: sim,
      clock: clock.now,
      jobStopGraceMs: 0,
    });
    return b;
  };

  /** What 90 s mean to pg-boss: its delayed jobs become due (it reads the database's clock). */
  const jobsBecomeDue = async () => {
    await database.prisma.$executeRawUnsafe(
      `UPDATE pgboss.job SET start_after = now() WHERE name = $1 AND state = 'created'`,
      START_TIMEOUT_QUEUE,
    );
  };

  const outcome = async (id: string) =>
    (await database.prisma.startRequest.findUniqueOrThrow({ where: { id }, select: { outcome: true } }))
      .outcome;

  beforeAll(async () => {
    clock = new ManualClock(new Date().toISOString());
    sim = new FleetSimulator({
      seed: 7,
      size: 6,
      now: clock.now,
      fleetChurn: false,
      outages: false,
      backgroundActivity: false,
      // The EV never starts: only the timeout can decide these requests.
      remoteStartNoShowRate: 1,
      operationWaitMs: 30,
    });
    first = await createTestApp({ app: { steve: sim, clock: clock.now } });
    database = first.app.database;
    const u = await first.createUser();
    cookie = await first.signIn(u.email, u.password);
    await giveCard(first.app.services.db, sim, u.id, { isPrimary: true });
    // The start-up sync run records the chargers.
    const rows = await waitFor(async () => {
      const found = await database.prisma.charger.findMany({ select: { id: true, chargeBoxId: true } });
      return found.length >= sim.normalChargers.length ? found : null;
    }, 'chargers');
    const byBox = new Map(rows.map((c) => [c.chargeBoxId, c.id]));
    chargers = sim.normalChargers.map((b) => encodeGlobalID('Charger', byBox.get(b)!));
  });

  afterAll(async () => {
    await second?.stop();
    if (!firstStopped) await first?.app.stop();
    await database?.close();
  });

  it('a start accepted by app A is marked NOT_STARTED by app B once its 90 s have passed', async () => {
    const res = await first.graphql<{
      startCharging: { __typename: string; startRequest?: { id: string; outcome: string } };
    }>(START, { id: chargers[0] }, { cookie });
    expect(res.data?.startCharging.startRequest?.outcome).toBe('ACCEPTED');
    const id = decodeGlobalID(res.data!.startCharging.startRequest!.id).id;

    // A's timeout check waits in the database, 90 s (+1) out.
    const queued = await first.app.services.jobs.queued(START_TIMEOUT_QUEUE, id);
    expect(queued).toHaveLength(1);
    const delayS =
      (new Date(queued[0]!.startAfter).getTime() - new Date(queued[0]!.createdOn).getTime()) / 1000;
    expect(delayS).toBeGreaterThanOrEqual(90);
    expect(delayS).toBeLessThan(95);

    // App A goes away; B starts 10 s later: nothing is overdue, so B's start-up sweep leaves it.
    await first.app.stop();
    firstStopped = true;
    clock.advance(10_000);
    second = await startSecond();
    const published = vi.spyOn(second.services.pubsub, 'publish');
    await second.start();
    expect(await outcome(id)).toBe('ACCEPTED');
    expect(await second.services.jobs.queued(START_TIMEOUT_QUEUE, id)).toHaveLength(1);

    // 90 s after SteVe accepted it, B's worker runs A's job.
    clock.advance(81_000);
    await jobsBecomeDue();
    await waitFor(async () => (await outcome(id)) === 'NOT_STARTED', 'NOT_STARTED');
    const row = await database.prisma.startRequest.findUniqueOrThrow({ where: { id } });
    expect(row.detail).toBe('No transaction within 90 s');

    // Later sweeps and a duplicate job change nothing and publish nothing more.
    await second.services.jobs.send(START_TIMEOUT_QUEUE, { startRequestId: id });
    await jobsBecomeDue();
    await waitFor(
      async () => ((await second!.services.jobs.queued(START_TIMEOUT_QUEUE, id)).length === 0 ? true : null),
      'duplicate job taken',
    );
    const notices = () =>
      published.mock.calls.filter((c) => c[0] === 'startRequest:updated' && c[1] === id).length;
    await waitFor(
      async () => ((await second!.services.jobs.active(START_TIMEOUT_QUEUE)).length === 0 ? true : null),
      'idle',
    );
    expect(notices()).toBe(1);

    // The driver is told with the product's words.
    expect(startRequestMessage(row.outcome, row.detail)).toBe(CHARGER_REJECTED_MESSAGE);
  });

  it('a start already overdue when the instance starts is swept at start-up, once', async () => {
    const db = database.prisma;
    const request = await db.startRequest.findFirstOrThrow({ select: { userId: true, cardId: true } });
    const charger = await db.charger.findFirstOrThrow({ select: { id: true } });
    const late = await db.startRequest.create({
      data: {
        userId: request.userId,
        cardId: request.cardId,
        chargerId: charger.id,
        outcome: 'ACCEPTED',
        createdAt: new Date(clock.now().getTime() - 120_000),
        decidedAt: new Date(clock.now().getTime() - 119_000),
      },
    });
    // Its job was lost (say, accepted before this version): only the sweeps can find it.
    await second!.stop();
    second = await startSecond();
    const published = vi.spyOn(second.services.pubsub, 'publish');
    await second.start();
    expect(await outcome(late.id)).toBe('NOT_STARTED');
    expect(published.mock.calls.filter((c) => c[1] === late.id)).toHaveLength(1);
  });
});
