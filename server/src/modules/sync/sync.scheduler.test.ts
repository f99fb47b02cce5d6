import { createPubSub } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/db.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import type { Database } from '../../lib/db.ts';
import { JobQueue } from '../../lib/jobs.ts';
import type { Topics } from '../../lib/pubsub.ts';
import { SyncEngine } from './sync.engine.ts';
import { SYNC_QUEUE, SyncScheduler } from './sync.scheduler.ts';
import { interceptSteve, testLogger, waitFor } from './test-helpers.ts';

/** Back-to-back runs: every tier's interval is tiny. */
const FAST = { liveMs: 50, activeMs: 50, idleMs: 50, backoffBaseMs: 50, backoffMaxMs: 200 };

interface Instance {
  jobs: JobQueue;
  engine: SyncEngine;
  scheduler: SyncScheduler;
}

function instance(
  database: Database,
  sim: FleetSimulator,
  latencyMs: number,
  beforeRead?: () => Promise<void>,
): Instance {
  const steve = interceptSteve(sim, {
    // SteVe takes a while to answer: long enough for a second run to overlap, were it allowed.
    beforeRead: beforeRead ?? (() => new Promise((resolve) => setTimeout(resolve, latencyMs))),
  });
  const engine = new SyncEngine({
    db: database.prisma,
    steve,
    pubsub: createPubSub<Topics>(),
    logger: testLogger,
    cadence: FAST,
  });
  const jobs = new JobQueue({
    url: database.url,
    engine: database.engine,
    logger: testLogger,
    stopGraceMs: 0,
  });
  const scheduler = new SyncScheduler({ jobs, engine, logger: testLogger, watchdogMs: 1_000 });
  return { jobs, engine, scheduler };
}

async function stopAll(instances: Instance[]): Promise<void> {
  for (const i of instances) await i.scheduler.stop();
  for (const i of instances) await i.jobs.stop();
}

/*
 * pg-boss plus Prisma means several connections used at once; on PGlite that works because
 * lib/pglite-server.ts keeps a connection exclusive for a whole protocol sequence (docs/sync.md).
 */
describe('sync scheduler on pg-boss', () => {
  let database: Database;
  let sim: FleetSimulator;
  const instances: Instance[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    sim = new FleetSimulator({ seed: 5, size: 4, fleetChurn: false });
  });
  afterAll(async () => {
    await stopAll(instances);
    await database?.close();
  });

  it('runs at start-up, then on request, and keeps one run scheduled', async () => {
    const a = instance(database, sim, 0);
    instances.push(a);
    // Slow cadence for this test so only our triggers cause runs.
    Object.assign(a.engine.cadence, { liveMs: 60_000, activeMs: 60_000, idleMs: 60_000 });
    await a.scheduler.start();
    const startup = await waitFor(
      () => database.prisma.syncRun.findFirst({ where: { trigger: 'STARTUP', status: 'SUCCEEDED' } }),
      20_000,
      'the start-up run',
    );
    expect(startup.trigger).toBe('STARTUP');
    // The next run is waiting in the queue, exactly once, at the cadence's time.
    const queued = await waitFor(async () => {
      const jobs = await a.jobs.queued(SYNC_QUEUE);
      return jobs.length === 1 ? jobs : null;
    });
    const schedule = await a.engine.getSchedule();
    expect(Math.abs(new Date(queued[0]!.startAfter).getTime() - schedule.nextRunAt.getTime())).toBeLessThan(
      1_000,
    );

    await a.scheduler.requestImmediate('START_REQUEST', null);
    await a.scheduler.requestImmediate('START_REQUEST', null);
    const started = await waitFor(
      () => database.prisma.syncRun.findFirst({ where: { trigger: 'START_REQUEST', status: 'SUCCEEDED' } }),
      20_000,
      'the requested run',
    );
    // Right away: well before the run the 60 s cadence had scheduled, and finished with the fleet synced.
    expect(started.startedAt.getTime()).toBeLessThan(schedule.nextRunAt.getTime());
    expect(started.finishedAt!.getTime()).toBeGreaterThanOrEqual(started.startedAt.getTime());
    expect(await database.prisma.charger.count({ where: { goneAt: null } })).toBe(4);
    // The queue settles at one run due later (the schedule's), not a pile of duplicates. Read once:
    // a run falling due between two reads leaves the queue empty for a moment under load.
    const next = await waitFor(async () => {
      const queued = await a.jobs.queued(SYNC_QUEUE);
      return queued.length === 1 && new Date(queued[0]!.startAfter).getTime() > Date.now() ? queued : null;
    });
    expect(next).toHaveLength(1);
    await stopAll(instances.splice(0));
  });
});

describe('sync scheduler with two instances', () => {
  let database: Database;
  let sim: FleetSimulator;
  const instances: Instance[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    sim = new FleetSimulator({ seed: 5, size: 4, fleetChurn: false });
  });
  afterAll(async () => {
    await stopAll(instances);
    await database?.close();
  });

  it('never runs two syncs at once, even with two instances on one database', async () => {
    const before = await database.prisma.syncRun.count();
    const a = instance(database, sim, 60);
    const b = instance(database, sim, 60);
    instances.push(a, b);

    let active = 0;
    let maxActive = 0;
    for (const i of [a, b]) {
      const run = i.engine.run.bind(i.engine);
      i.engine.run = async (options) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        try {
          return await run(options);
        } finally {
          active -= 1;
        }
      };
    }
    await Promise.all([a.scheduler.start(), b.scheduler.start()]);

    // Both instances keep asking for immediate runs while runs are in progress.
    let maxQueued = 0;
    let stopPressure = false;
    const pressure = (async () => {
      for (let k = 0; k < 40 && !stopPressure; k += 1) {
        await Promise.all([a.scheduler.requestImmediate('MANUAL'), b.scheduler.requestImmediate('MANUAL')]);
        maxQueued = Math.max(maxQueued, (await a.jobs.queued(SYNC_QUEUE)).length);
        if ((await database.prisma.syncRun.count()) - before >= 10) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      await waitFor(async () => (await database.prisma.syncRun.count()) - before >= 10, 25_000, '10 runs');
    } finally {
      stopPressure = true;
      await pressure.catch(() => undefined);
    }
    await stopAll(instances.splice(0));

    expect(maxActive).toBe(1);
    expect(maxQueued).toBeLessThanOrEqual(1);
    const runs = await database.prisma.syncRun.findMany({ orderBy: { startedAt: 'asc' }, skip: before });
    for (let i = 1; i < runs.length; i += 1) {
      expect(runs[i - 1]!.finishedAt).toBeInstanceOf(Date);
      expect(runs[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(runs[i - 1]!.finishedAt!.getTime());
    }
    expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
  });
});

/** Runs only when asked: every tier's interval is a minute. */
const SLOW = { liveMs: 60_000, activeMs: 60_000, idleMs: 60_000 };

describe.skipIf(!process.env.TEST_POSTGRES_URL)('sync schedule across instances (#15)', () => {
  let database: Database;
  let sim: FleetSimulator;
  const instances: Instance[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ engine: 'postgres' });
    sim = new FleetSimulator({ seed: 15, size: 4, fleetChurn: false });
  });
  afterAll(async () => {
    await stopAll(instances);
    await database?.close();
  });

  it('the instance left runs the waiting run, though it started while another instance ran one', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const a = instance(database, sim, 0, () => gate);
    const b = instance(database, sim, 0);
    instances.push(a, b);
    Object.assign(a.engine.cadence, SLOW);
    Object.assign(b.engine.cadence, SLOW);
    await a.scheduler.start();
    await waitFor(() => database.prisma.syncRun.findFirst({ where: { status: 'RUNNING' } }));
    // pg-boss has recorded A's job as the active one of the queue's key.
    await waitFor(async () => {
      const rows = await database.prisma.$queryRawUnsafe<Array<{ active: string[] | null }>>(
        `SELECT singletons_active AS active FROM pgboss.queue WHERE name = '${SYNC_QUEUE}'`,
      );
      return rows[0]?.active?.includes('sync') ? true : null;
    });
    await b.scheduler.start();
    const asked = await b.scheduler.requestImmediate('MANUAL');
    expect(asked).not.toBeNull();
    // A goes away (its run finishes, it queues nothing more): B must run the waiting job now, not
    // once its cached view of the queue (taken while A's run was active) happens to refresh.
    const stopping = a.scheduler.stop();
    open();
    await stopping;
    const manual = await waitFor(
      () => database.prisma.syncRun.findFirst({ where: { trigger: 'MANUAL', status: 'SUCCEEDED' } }),
      20_000,
      'the waiting MANUAL run, on B',
    );
    const first = await database.prisma.syncRun.findFirstOrThrow({ where: { trigger: 'STARTUP' } });
    expect(manual.startedAt.getTime()).toBeGreaterThanOrEqual(first.finishedAt!.getTime());
    // And the next one is waiting, due when the schedule says.
    const queued = await waitFor(async () => {
      const jobs = await b.jobs.queued(SYNC_QUEUE);
      return jobs.length === 1 ? jobs : null;
    });
    const schedule = await b.engine.getSchedule();
    expect(new Date(queued[0]!.startAfter).getTime()).toBe(schedule.nextRunAt.getTime());
    await stopAll(instances.splice(0));
  });

  it('concurrent triggers on two instances never leave the queue without its next run', async () => {
    const a = instance(database, sim, 20);
    const b = instance(database, sim, 20);
    instances.push(a, b);
    Object.assign(a.engine.cadence, SLOW);
    Object.assign(b.engine.cadence, SLOW);
    await Promise.all([a.scheduler.start(), b.scheduler.start()]);
    const ids: Array<string | null> = [];
    let lastAskedAt = new Date();
    for (let k = 0; k < 25; k += 1) {
      // Both instances at once, manual and start-request triggers mixed (triggerSync, startCharging).
      ids.push(
        ...(await Promise.all([
          a.scheduler.requestImmediate('MANUAL'),
          b.scheduler.requestImmediate('START_REQUEST'),
          a.scheduler.requestImmediate('START_REQUEST'),
          b.scheduler.requestImmediate('MANUAL'),
        ])),
      );
      lastAskedAt = new Date();
      // Never both nothing waiting and nothing running.
      // One read: a job moving from waiting to running between two reads would be missed by both.
      expect((await a.jobs.pending(SYNC_QUEUE)).length).toBeGreaterThan(0);
    }
    // Every request got a job.
    expect(ids.filter((id) => id === null)).toEqual([]);
    // The last requests are served by a run that started after them…
    await waitFor(
      () =>
        database.prisma.syncRun.findFirst({
          where: { status: 'SUCCEEDED', startedAt: { gte: lastAskedAt } },
        }),
      20_000,
      'a run after the last request',
    );
    // …then exactly one run waits, due when the schedule says (a minute on).
    const queued = await waitFor(async () => {
      if ((await a.jobs.active(SYNC_QUEUE)).length > 0) return null;
      const jobs = await a.jobs.queued(SYNC_QUEUE);
      return jobs.length === 1 && jobs[0]!.data.trigger === 'SCHEDULED' ? jobs : null;
    });
    const schedule = await a.engine.getSchedule();
    expect(new Date(queued[0]!.startAfter).getTime()).toBe(schedule.nextRunAt.getTime());
    const runs = await database.prisma.syncRun.findMany({ orderBy: { startedAt: 'asc' } });
    // No request was swallowed: the job each one was given ran (none was cancelled by the other instance).
    const states = new Set(await Promise.all(ids.map((id) => a.jobs.stateOf(SYNC_QUEUE, id!))));
    expect([...states]).toEqual(['completed']);
    for (let i = 1; i < runs.length; i += 1)
      expect(runs[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(runs[i - 1]!.finishedAt!.getTime());
    await stopAll(instances.splice(0));
  });
});
