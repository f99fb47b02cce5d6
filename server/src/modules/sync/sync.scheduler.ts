import type { Job } from 'pg-boss';
import type { SyncTrigger } from '../../generated/prisma/client.ts';
import type { JobPayloads, JobQueue } from '../../lib/jobs.ts';
import type { Logger } from '../../lib/logger.ts';
import type { SyncEngine } from './sync.engine.ts';

export const SYNC_QUEUE = 'sync.run' as const;
/** Every sync job carries the same key: the queue policy then allows one active and one waiting job. */
export const SYNC_SINGLETON_KEY = 'sync';

export interface SyncSchedulerOptions {
  jobs: JobQueue;
  engine: SyncEngine;
  logger: Logger;
  /** How often idle workers look for due jobs (pg-boss minimum 0.5 s). */
  pollingIntervalSeconds?: number;
  /** How often each instance checks that some run is queued (repairs a lost job). */
  watchdogMs?: number;
  /** A run taking longer than this is considered dead by the queue. */
  expireInSeconds?: number;
}

/**
 * Runs sync runs through the pg-boss queue `sync.run` with policy `stately` and one singleton key:
 * at most one run is active and at most one is waiting, across all instances sharing the database.
 * Waiting jobs live in PostgreSQL, so the schedule survives restarts; the next run's time comes from
 * the Adaptive Cadence (SyncSchedule.nextRunAt), computed by the engine after every run.
 */
export class SyncScheduler {
  readonly #jobs: JobQueue;
  readonly #engine: SyncEngine;
  readonly #logger: Logger;
  readonly #pollingIntervalSeconds: number;
  readonly #watchdogMs: number;
  readonly #expireInSeconds: number;
  #watchdog: NodeJS.Timeout | null = null;
  #workerId: string | null = null;
  #started = false;
  #enqueueChain: Promise<unknown> = Promise.resolve();

  constructor(options: SyncSchedulerOptions) {
    this.#jobs = options.jobs;
    this.#engine = options.engine;
    this.#logger = options.logger.child({ component: 'sync-scheduler' });
    this.#pollingIntervalSeconds = options.pollingIntervalSeconds ?? 0.5;
    this.#watchdogMs = options.watchdogMs ?? 30_000;
    this.#expireInSeconds = options.expireInSeconds ?? 10 * 60;
  }

  get started(): boolean {
    return this.#started;
  }

  async start(): Promise<void> {
    if (this.#started) return;
    await this.#jobs.start();
    await this.#jobs.createQueue(SYNC_QUEUE, {
      // stately = singleton (one active) + one queued per key: no parallel runs, no duplicated schedules.
      policy: 'stately',
      retryLimit: 0,
      expireInSeconds: this.#expireInSeconds,
      // The worker touches an active job every 5 s; one whose instance was killed is failed after
      // 10 s without a heartbeat (instead of the 10 min expiry), freeing the slot for another instance.
      heartbeatSeconds: 10,
      deleteAfterSeconds: 60 * 60,
    });
    this.#workerId = await this.#jobs.work(
      SYNC_QUEUE,
      { pollingIntervalSeconds: this.#pollingIntervalSeconds },
      (job) => this.#handle(job),
    );
    this.#started = true;
    await this.ensureScheduled('STARTUP');
    this.#watchdog = setInterval(() => {
      this.ensureScheduled('SCHEDULED').catch((error: unknown) =>
        this.#logger.warn({ err: (error as Error).message }, 'sync watchdog failed'),
      );
    }, this.#watchdogMs);
    this.#watchdog.unref();
  }

  /** Stops taking jobs, waiting for a run in progress on this instance to finish. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#watchdog = null;
    await this.#jobs.offWork(SYNC_QUEUE);
    await this.#enqueueChain.catch(() => undefined);
  }

  /** Runs as soon as possible (replacing a later waiting run); returns the job id when queued. */
  async requestImmediate(trigger: SyncTrigger, requestedById?: string | null): Promise<string | null> {
    await this.#engine.markImmediate();
    const id = await this.#enqueue(this.#engine.now(), trigger, requestedById ?? null);
    // Start it now rather than at the worker's next poll, when this instance's worker is idle.
    if (id && this.#started && this.#workerId) this.#jobs.notifyWorker(this.#workerId);
    return id;
  }

  /**
   * Makes sure a run is waiting or running; if neither, queues one at the schedule's next time
   * (right away when that time has passed, and always right away at start-up).
   */
  async ensureScheduled(trigger: SyncTrigger): Promise<void> {
    const [queued, active] = await Promise.all([
      this.#jobs.queued(SYNC_QUEUE),
      this.#jobs.active(SYNC_QUEUE),
    ]);
    if (queued.length > 0) return;
    if (active.length > 0) return;
    const schedule = await this.#engine.getSchedule();
    const now = this.#engine.now();
    const at = trigger === 'STARTUP' || schedule.nextRunAt <= now ? now : schedule.nextRunAt;
    await this.#enqueue(at, trigger, null);
  }

  async #handle(job: Job<JobPayloads['sync.run']>): Promise<void> {
    let nextRunAt: Date;
    try {
      const result = await this.#engine.run({
        trigger: job.data.trigger,
        requestedById: job.data.requestedById ?? null,
      });
      nextRunAt = result.schedule.nextRunAt;
    } catch (error) {
      // Not a SteVe failure (the engine records those): most likely the database. Try again later.
      this.#logger.error({ err: (error as Error).message }, 'sync run crashed');
      nextRunAt = new Date(this.#engine.now().getTime() + this.#engine.cadence.backoffMaxMs / 20);
    }
    if (!this.#started) return;
    try {
      await this.#enqueue(nextRunAt, 'SCHEDULED', null);
    } catch (error) {
      this.#logger.error({ err: (error as Error).message }, 'could not schedule the next sync run');
    }
  }

  /**
   * Leaves exactly one waiting job, due no later than `at`. An earlier waiting job is kept (e.g. an
   * immediate request that arrived during a run); a later one is cancelled and replaced.
   */
  #enqueue(at: Date, trigger: SyncTrigger, requestedById: string | null): Promise<string | null> {
    // Serialised per instance; across instances the queue's unique index decides and we retry.
    const next = this.#enqueueChain.then(async () => {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const queued = await this.#jobs.queued(SYNC_QUEUE);
        const keep = queued.find((j) => new Date(j.startAfter).getTime() <= at.getTime() + 250);
        for (const job of queued) if (job !== keep) await this.#jobs.cancelQueued(SYNC_QUEUE, job.id);
        if (keep) {
          // A due scheduled job would run anyway; replace it so the run records who asked for it.
          if (trigger === 'SCHEDULED' || keep.data.trigger !== 'SCHEDULED') return keep.id;
          await this.#jobs.cancelQueued(SYNC_QUEUE, keep.id);
        }
        const id = await this.#jobs.send(
          SYNC_QUEUE,
          { trigger, requestedById },
          { singletonKey: SYNC_SINGLETON_KEY, startAfter: at, retryLimit: 0 },
        );
        if (id) return id;
      }
      this.#logger.warn({ trigger }, 'could not queue a sync run after several attempts');
      return null;
    });
    this.#enqueueChain = next.catch(() => undefined);
    return next;
  }
}
