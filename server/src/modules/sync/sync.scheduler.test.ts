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

function instance(database: Database, sim: FleetSimulator, latencyMs: number): Instance {
  const steve = interceptSteve(sim, {
    // SteVe takes a while to answer: long enough for a second run to overlap, were it allowed.
    beforeRead: () => new Promise((resolve) => setTimeout(resolve, latencyMs)),
  });
  const engine = new SyncEngine({
    db: database.prisma,
    steve,
    pubsub: createPubSub<Topics>(),
    logger: testLogger,
    cadence: FAST,
  });
  const jobs = new JobQueue({ url: database.url, logger: testLogger, stopGraceMs: 0 });
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
    await waitFor(async () => ((await a.jobs.queued(SYNC_QUEUE)).length === 1 ? true : null));
    expect(await a.jobs.queued(SYNC_QUEUE)).toHaveLength(1);
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
