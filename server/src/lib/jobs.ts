import {
  PgBoss,
  type Job,
  type JobWithMetadata,
  type Queue,
  type SendOptions,
  type WorkOptions,
} from 'pg-boss';
import type { Logger } from './logger.ts';

/**
 * Payload of every queue, by queue name. Add an entry here when a module gets a queue; the
 * wrapper below keeps `send` and `work` typed against it.
 */
export interface JobPayloads {
  /** One sync run; `trigger` is the SyncTrigger that caused it. */
  'sync.run': {
    trigger: 'SCHEDULED' | 'MANUAL' | 'START_REQUEST' | 'STARTUP' | 'RECONCILE';
    requestedById?: string | null;
  };
  /** The start timeout check of one ACCEPTED start request (modules/charging/charging.jobs.ts). */
  'charging.start-timeout': { startRequestId: string };
}

export type QueueName = keyof JobPayloads;

export interface JobQueueOptions {
  /** PostgreSQL connection string (the one from openDatabase: PGlite socket or a real server). */
  url: string;
  logger: Logger;
  /** Connection pool of pg-boss itself. */
  max?: number;
  /** Database schema pg-boss owns. */
  schema?: string;
  /**
   * How long stop() lets running jobs finish before failing them (default 15 s). Test apps use 0:
   * nothing they stop has work worth waiting for, and the wait would add up over every suite.
   */
  stopGraceMs?: number;
}

/**
 * The PostgreSQL-backed job queue (pg-boss). Work is stored in the database, so it survives restarts
 * and is shared by every instance; queue policies enforce "only one at a time" across instances.
 */
export class JobQueue {
  readonly boss: PgBoss;
  readonly #logger: Logger;
  readonly #schema: string;
  readonly #stopGraceMs: number;
  #started = false;
  #starting: Promise<void> | null = null;

  constructor(options: JobQueueOptions) {
    this.#logger = options.logger;
    this.#schema = options.schema ?? 'pgboss';
    this.#stopGraceMs = options.stopGraceMs ?? 15_000;
    if (!/^[a-z_][a-z0-9_]*$/.test(this.#schema))
      throw new Error(`invalid job queue schema name: ${this.#schema}`);
    this.boss = new PgBoss({
      connectionString: options.url,
      max: options.max ?? 4,
      schema: this.#schema,
      // No cron schedules are used; the sync computes its own next run.
      schedule: false,
      // Check heartbeats and expiry every few seconds (default 60 s): a job whose instance died is
      // failed quickly, so another instance takes over a singleton queue (see sync.scheduler.ts).
      superviseIntervalSeconds: 5,
      monitorIntervalSeconds: 5,
    });
    this.boss.on('error', (error: Error) => this.#logger.warn({ err: error.message }, 'job queue error'));
  }

  get started(): boolean {
    return this.#started;
  }

  /** Creates pg-boss' schema on first use; safe to call more than once. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#starting ??= this.boss.start().then(() => {
      this.#started = true;
    });
    await this.#starting;
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#starting = null;
    const graceful = this.#stopGraceMs > 0;
    await this.boss.stop({ graceful, ...(graceful ? { timeout: this.#stopGraceMs } : {}), close: true });
  }

  /** Creates the queue, or leaves an existing one as it is. */
  async createQueue(name: QueueName, options: Omit<Queue, 'name'>): Promise<void> {
    if (await this.boss.getQueue(name)) return;
    try {
      await this.boss.createQueue(name, options);
    } catch (error) {
      // Another instance created it at the same moment.
      if (!(await this.boss.getQueue(name))) throw error;
    }
  }

  send<N extends QueueName>(name: N, data: JobPayloads[N], options?: SendOptions): Promise<string | null> {
    return this.boss.send(name, data, options ?? {});
  }

  work<N extends QueueName>(
    name: N,
    options: WorkOptions,
    handler: (job: Job<JobPayloads[N]>) => Promise<void>,
  ): Promise<string> {
    return this.boss.work<JobPayloads[N]>(name, options, async (jobs) => {
      for (const job of jobs) await handler(job);
    });
  }

  /** Wakes an idle worker of this instance now instead of at its next poll (a job was just queued). */
  notifyWorker(workerId: string): void {
    this.boss.notifyWorker(workerId);
  }

  offWork(name: QueueName): Promise<void> {
    return this.boss.offWork(name, { wait: true });
  }

  /** Jobs waiting to run (created or retry), oldest first. */
  async queued<N extends QueueName>(name: N, key?: string): Promise<JobWithMetadata<JobPayloads[N]>[]> {
    const jobs = await this.boss.findJobs<JobPayloads[N]>(name, { queued: true, ...(key ? { key } : {}) });
    return jobs.sort((a, b) => new Date(a.startAfter).getTime() - new Date(b.startAfter).getTime());
  }

  /** Jobs currently running anywhere. */
  async active<N extends QueueName>(name: N): Promise<JobWithMetadata<JobPayloads[N]>[]> {
    const jobs = await this.boss.findJobs<JobPayloads[N]>(name);
    return jobs.filter((j) => j.state === 'active');
  }

  /**
   * Cancels a job only while it is still waiting. pg-boss' own cancel also cancels an active job,
   * which would free a singleton slot while the job is still running.
   */
  async cancelQueued(name: QueueName, id: string): Promise<boolean> {
    const queue = await this.boss.getQueue(name);
    if (!queue) return false;
    const schema = this.#schema;
    const result = (await this.boss.getDb().executeSql(
      `UPDATE ${schema}.${queue.table} SET state = 'cancelled', completed_on = now()
       WHERE name = $1 AND id = $2 AND state < 'active'`,
      [name, id],
    )) as { rowCount?: number } | undefined;
    return (result?.rowCount ?? 0) > 0;
  }
}
