import type { Job } from 'pg-boss';
import type { SyncTrigger } from '../../generated/prisma/client.ts';
import type { JobConnection, JobPayloads, JobQueue } from '../../lib/jobs.ts';
import type { Logger } from '../../lib/logger.ts';
import { closeInterruptedRuns, INTERRUPTED } from './run-log.ts';
import type { SyncEngine } from './sync.engine.ts';

export const SYNC_QUEUE = 'sync.run' as const;
/** Every sync job carries the same key: the queue policy then allows one active and one waiting job. */
export const SYNC_SINGLETON_KEY = 'sync';
/**
 * The run lock (JobQueue.tryLock, a PostgreSQL session advisory lock): held by the instance running
 * a sync run, on its own connection, from before the run starts until it ends. PostgreSQL releases
 * it when that connection goes, so a free lock with an `active` job means the job's instance is dead.
 */
const RUN_LOCK = 'sync.run';
/** Which trigger a waiting run records when requests meet: the higher one replaces it. */
const TRIGGER_RANK: Record<SyncTrigger, number> = {
  SCHEDULED: 0,
  STARTUP: 1,
  RECONCILE: 1,
  MANUAL: 2,
  START_REQUEST: 2,
};

export interface SyncSchedulerOptions {
  jobs: JobQueue;
  engine: SyncEngine;
  logger: Logger;
  /** How often idle workers look for due jobs (pg-boss minimum 0.5 s). */
  pollingIntervalSeconds?: number;
  /**
   * How often each instance closes runs of dead instances and checks that some run is queued
   * (repairs a lost job). Default 5 s.
   */
  watchdogMs?: number;
  /** How long a worker waits for the run lock before giving up on its job (default 60 s). */
  lockTimeoutMs?: number;
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
  readonly #lockTimeoutMs: number;
  /** The job this instance is working on (its run lock is held or being taken). */
  #inFlight: string | null = null;
  #watchdog: NodeJS.Timeout | null = null;
  #workerId: string | null = null;
  #started = false;
  #enqueueChain: Promise<unknown> = Promise.resolve();

  constructor(options: SyncSchedulerOptions) {
    this.#jobs = options.jobs;
    this.#engine = options.engine;
    this.#logger = options.logger.child({ component: 'sync-scheduler' });
    this.#pollingIntervalSeconds = options.pollingIntervalSeconds ?? 0.5;
    this.#watchdogMs = options.watchdogMs ?? 5_000;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
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
      // The worker touches an active job every 5 s; one whose instance vanished without its connection
      // closing (a machine lost) is failed after 10 s without a heartbeat. A killed process is found
      // at once through the run lock (recover()).
      heartbeatSeconds: 10,
      deleteAfterSeconds: 60 * 60,
    });
    await this.#jobs.prepare(SYNC_QUEUE);
    // Before taking work: runs and jobs cut off by a killed instance (this one's last life) are closed
    // now, not when their heartbeat runs out, and a run is queued for right away.
    const recovered = await this.recover();
    this.#workerId = await this.#jobs.work(
      SYNC_QUEUE,
      { pollingIntervalSeconds: this.#pollingIntervalSeconds },
      (job) => this.#handle(job),
    );
    this.#started = true;
    if (recovered !== 'BUSY') await this.#enqueue(this.#engine.now(), 'STARTUP', null);
    this.#watchdog = setInterval(() => {
      this.#tick().catch((error: unknown) =>
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
   * Closes what dead instances left: when no instance holds the run lock, every `active` sync job is
   * failed and every RUNNING SyncRun closed as FAILED (INTERRUPTED). A job whose instance was killed
   * is re-queued right away with its trigger, so a start request's run is not lost. Returns 'BUSY'
   * when a live instance (this one included) is running a sync, else the number of jobs closed.
   */
  async recover(): Promise<'BUSY' | number> {
    if (this.#inFlight) return 'BUSY';
    const closed = await this.#jobs.withConnection(async (conn) => {
      if (!(await this.#jobs.tryLock(conn, RUN_LOCK))) return null;
      try {
        // A worker that fetched one of these and waits for the lock finds it failed and skips it.
        const dead = await this.#jobs.failActive(SYNC_QUEUE, INTERRUPTED, conn);
        // SyncRuns are only created under the run lock, so a RUNNING one now is cut off.
        const runs = await closeInterruptedRuns(this.#engine.db, this.#engine.now());
        if (dead.length > 0 || runs > 0)
          this.#logger.warn({ jobs: dead.length, runs }, 'closed sync runs of a stopped instance');
        return dead;
      } finally {
        await this.#jobs.unlock(conn, RUN_LOCK);
      }
    });
    if (closed === null) return 'BUSY';
    const asked = closed.find((j) => j.data.trigger !== 'SCHEDULED' && j.data.trigger !== 'STARTUP');
    if (closed.length > 0 && this.#started)
      await this.#enqueue(
        this.#engine.now(),
        asked?.data.trigger ?? 'SCHEDULED',
        asked?.data.requestedById ?? null,
      );
    return closed.length;
  }

  /**
   * Makes sure a run is waiting or running; if neither, queues one at the schedule's next time
   * (right away when that time has passed, and always right away at start-up).
   */
  async ensureScheduled(trigger: SyncTrigger): Promise<void> {
    if ((await this.#jobs.pending(SYNC_QUEUE)).length > 0) return;
    const schedule = await this.#engine.getSchedule();
    const now = this.#engine.now();
    const at = trigger === 'STARTUP' || schedule.nextRunAt <= now ? now : schedule.nextRunAt;
    await this.#enqueue(at, trigger, null);
  }

  async #tick(): Promise<void> {
    await this.recover();
    await this.ensureScheduled('SCHEDULED');
  }

  async #handle(job: Job<JobPayloads['sync.run']>): Promise<void> {
    this.#inFlight = job.id;
    let nextRunAt: Date | null;
    try {
      nextRunAt = await this.#jobs.withConnection((conn) => this.#runLocked(job, conn));
    } catch (error) {
      // Not a SteVe failure (the engine records those): most likely the database. Try again later.
      this.#logger.error({ err: (error as Error).message }, 'sync run crashed');
      nextRunAt = new Date(this.#engine.now().getTime() + this.#engine.cadence.backoffMaxMs / 20);
    } finally {
      this.#inFlight = null;
    }
    if (!this.#started || !nextRunAt) return;
    try {
      await this.#enqueue(nextRunAt, 'SCHEDULED', null);
    } catch (error) {
      this.#logger.error({ err: (error as Error).message }, 'could not schedule the next sync run');
    }
  }

  /** Takes the run lock, runs the job unless it was closed meanwhile; null when skipped. */
  async #runLocked(job: Job<JobPayloads['sync.run']>, conn: JobConnection): Promise<Date | null> {
    // A machine that vanished keeps its connection (and lock) until keepalives notice: ~30 s.
    for (const setting of [
      'tcp_keepalives_idle = 10',
      'tcp_keepalives_interval = 5',
      'tcp_keepalives_count = 3',
    ])
      await conn.query(`SET ${setting}`).catch(() => undefined);
    // Normally free at once (one active job at a time); held briefly by another instance's recover(),
    // or longer by a run whose job was failed while its instance still worked on it.
    const deadline = Date.now() + this.#lockTimeoutMs;
    for (;;) {
      if (await this.#jobs.tryLock(conn, RUN_LOCK)) break;
      if (Date.now() > deadline) throw new Error('the sync run lock stayed taken');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    try {
      // recover() on another instance may have closed it before we got the lock (then it re-queued).
      if ((await this.#jobs.stateOf(SYNC_QUEUE, job.id, conn)) !== 'active') return null;
      const result = await this.#engine.run({
        trigger: job.data.trigger,
        requestedById: job.data.requestedById ?? null,
      });
      return result.schedule.nextRunAt;
    } finally {
      await this.#jobs.unlock(conn, RUN_LOCK);
    }
  }

  /**
   * Leaves exactly one waiting job, due no later than `at`. An earlier waiting job is kept (e.g. an
   * immediate request that arrived during a run); a later one is cancelled and replaced. Serialised
   * across instances by a transaction advisory lock: two instances queueing at once used to cancel
   * each other's jobs and could give up with none left.
   */
  #enqueue(at: Date, trigger: SyncTrigger, requestedById: string | null): Promise<string | null> {
    const next = this.#enqueueChain.then(() =>
      this.#jobs.transaction(async (conn) => {
        // Serialises queueing across instances (released with the transaction).
        await conn.query(`SELECT pg_advisory_xact_lock(hashtext('polaris'), hashtext('sync.enqueue'))`);
        const queued = await this.#jobs.queued(SYNC_QUEUE, undefined, conn);
        const keep = queued.find((j) => new Date(j.startAfter).getTime() <= at.getTime() + 250);
        for (const job of queued) if (job !== keep) await this.#jobs.cancelQueued(SYNC_QUEUE, job.id, conn);
        if (keep) {
          // A due automatic job would run anyway; replace it so the run records who asked for it
          // (a person's request over a start-up run, either over a scheduled one).
          if (TRIGGER_RANK[trigger] <= TRIGGER_RANK[keep.data.trigger]) return keep.id;
          await this.#jobs.cancelQueued(SYNC_QUEUE, keep.id, conn);
        }
        const id = await this.#jobs.send(
          SYNC_QUEUE,
          { trigger, requestedById },
          { singletonKey: SYNC_SINGLETON_KEY, startAfter: at, retryLimit: 0 },
          conn,
        );
        if (!id) this.#logger.warn({ trigger }, 'could not queue a sync run');
        return id;
      }),
    );
    this.#enqueueChain = next.catch(() => undefined);
    return next;
  }
}
