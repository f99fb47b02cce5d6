import pg from 'pg';
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
  /** Sends one operator command to its charger (modules/commands/commands.jobs.ts). */
  'commands.run': { commandId: string };
}

export type QueueName = keyof JobPayloads;

/** One connection of the queue's own pool: for session advisory locks and short transactions. */
export interface JobConnection {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  /** The same connection for pg-boss' `db` option (send, findJobs inside a transaction). */
  db: NonNullable<SendOptions['db']>;
}

export interface JobQueueOptions {
  /** PostgreSQL connection string (the one from openDatabase: PGlite socket or a real server). */
  url: string;
  logger: Logger;
  /** Connection pool of pg-boss itself. */
  max?: number;
  /** Database schema pg-boss owns. */
  schema?: string;
  /**
   * `pglite`: every connection shares PGlite's one backend (one session), so session advisory locks
   * exclude nothing; as PGlite serves one process only, locks are then kept in this process.
   */
  engine?: 'pglite' | 'postgres';
  /**
   * How long stop() lets running jobs finish before failing them (default 15 s). Test apps use 0:
   * nothing they stop has work worth waiting for, and the wait would add up over every suite.
   */
  stopGraceMs?: number;
}

/** Locks of queues on PGlite (see JobQueueOptions.engine), by connection string and name. */
const processLocks = new Set<string>();

/**
 * The PostgreSQL-backed job queue (pg-boss). Work is stored in the database, so it survives restarts
 * and is shared by every instance; queue policies enforce "only one at a time" across instances.
 */
export class JobQueue {
  readonly boss: PgBoss;
  readonly #logger: Logger;
  readonly #schema: string;
  readonly #url: string;
  readonly #inProcessLocks: boolean;
  readonly #tables = new Map<QueueName, string>();
  #pool: pg.Pool | null = null;
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
      monitorIntervalSeconds: 2,
      // Workers of a singleton queue skip keys their cached queue row lists as active; with the default
      // 60 s cache a worker went on skipping the sync's key for up to a minute after the run it saw
      // active had ended (the schedule was lost under concurrent triggers). Refresh it every second.
      queueCacheIntervalSeconds: 1,
    });
    this.#url = options.url;
    this.#inProcessLocks = options.engine === 'pglite';
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
    const pool = this.#pool;
    this.#pool = null;
    await pool?.end().catch(() => undefined);
    if (!this.#started) return;
    this.#started = false;
    this.#starting = null;
    const graceful = this.#stopGraceMs > 0;
    await this.boss.stop({ graceful, ...(graceful ? { timeout: this.#stopGraceMs } : {}), close: true });
  }

  /**
   * Runs `fn` on one connection of the queue's own pool, released afterwards. A connection whose
   * process dies is closed by the kernel, so PostgreSQL releases its session locks at once.
   */
  async withConnection<T>(fn: (conn: JobConnection) => Promise<T>): Promise<T> {
    if (!this.#pool) {
      // Separate from pg-boss' pool: a connection here is held for a whole sync run (its run lock).
      this.#pool = new pg.Pool({ connectionString: this.#url, max: 3, keepAlive: true });
      this.#pool.on('error', (error: Error) =>
        this.#logger.warn({ err: error.message }, 'job queue connection error'),
      );
    }
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      const conn: JobConnection = {
        query: (text, values) => client.query(text, values),
        db: { executeSql: (text, values) => client.query(text, values) },
      };
      return await fn(conn);
    } catch (error) {
      broken = error as Error;
      throw error;
    } finally {
      // A failed statement may leave a lock or a transaction behind: drop that connection.
      client.release(broken);
    }
  }

  /**
   * Takes the named lock without waiting: a PostgreSQL session advisory lock on `conn`, shared by
   * every instance, released by unlock() or when the connection closes (its process died).
   */
  async tryLock(conn: JobConnection, name: string): Promise<boolean> {
    if (this.#inProcessLocks) {
      const key = `${this.#url}\u0000${name}`;
      if (processLocks.has(key)) return false;
      processLocks.add(key);
      return true;
    }
    const result = await conn.query(`SELECT pg_try_advisory_lock(hashtext('polaris'), hashtext($1)) AS ok`, [
      name,
    ]);
    return (result.rows[0] as { ok: boolean }).ok;
  }

  async unlock(conn: JobConnection, name: string): Promise<void> {
    if (this.#inProcessLocks) {
      processLocks.delete(`${this.#url}\u0000${name}`);
      return;
    }
    await conn.query(`SELECT pg_advisory_unlock(hashtext('polaris'), hashtext($1))`, [name]);
  }

  /** Runs `fn` in a transaction on one own connection (pass `conn.db` to pg-boss calls). */
  transaction<T>(fn: (conn: JobConnection) => Promise<T>): Promise<T> {
    return this.withConnection(async (conn) => {
      await conn.query('BEGIN');
      try {
        const result = await fn(conn);
        await conn.query('COMMIT');
        return result;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
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

  send<N extends QueueName>(
    name: N,
    data: JobPayloads[N],
    options?: SendOptions,
    conn?: JobConnection,
  ): Promise<string | null> {
    return this.boss.send(name, data, { ...options, ...(conn ? { db: conn.db } : {}) });
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
  async queued<N extends QueueName>(
    name: N,
    key?: string,
    conn?: JobConnection,
  ): Promise<JobWithMetadata<JobPayloads[N]>[]> {
    const jobs = await this.boss.findJobs<JobPayloads[N]>(name, {
      queued: true,
      ...(key ? { key } : {}),
      ...(conn ? { db: conn.db } : {}),
    });
    return jobs.sort((a, b) => new Date(a.startAfter).getTime() - new Date(b.startAfter).getTime());
  }

  /**
   * Jobs waiting or running, read in one statement: two separate reads can both miss a job that
   * moves from one state to the other between them (or a run that queues its successor and ends).
   */
  async pending<N extends QueueName>(name: N): Promise<JobWithMetadata<JobPayloads[N]>[]> {
    const jobs = await this.boss.findJobs<JobPayloads[N]>(name);
    return jobs.filter((j) => j.state === 'created' || j.state === 'retry' || j.state === 'active');
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
  async cancelQueued(name: QueueName, id: string, conn?: JobConnection): Promise<boolean> {
    const table = await this.#table(name);
    if (!table) return false;
    const result = (await (conn?.db ?? this.boss.getDb()).executeSql(
      `UPDATE ${table} SET state = 'cancelled', completed_on = now()
       WHERE name = $1 AND id = $2 AND state < 'active'`,
      [name, id],
    )) as { rowCount?: number } | undefined;
    return (result?.rowCount ?? 0) > 0;
  }

  /**
   * Fails every active job of the queue at once, with `message` as its output; returns them. Only for a
   * caller that knows no live worker runs them (see SyncScheduler: its run lock is free).
   */
  async failActive<N extends QueueName>(
    name: N,
    message: string,
    conn: JobConnection,
  ): Promise<Array<{ id: string; data: JobPayloads[N] }>> {
    const table = await this.#table(name);
    if (!table) return [];
    const result = await conn.query(
      `UPDATE ${table} SET state = 'failed', completed_on = now(), output = $2::jsonb
       WHERE name = $1 AND state = 'active' RETURNING id, data`,
      [name, JSON.stringify({ message })],
    );
    return result.rows as Array<{ id: string; data: JobPayloads[N] }>;
  }

  /** The state of one job ('created', 'active', 'failed', …), null when it is gone. */
  async stateOf(name: QueueName, id: string, conn?: JobConnection): Promise<string | null> {
    const table = await this.#table(name);
    if (!table) return null;
    const result = await (conn?.db ?? this.boss.getDb()).executeSql(
      `SELECT state FROM ${table} WHERE name = $1 AND id = $2`,
      [name, id],
    );
    return (result.rows[0] as { state?: string } | undefined)?.state ?? null;
  }

  /**
   * Loads what queries inside a transaction of withConnection() need (pg-boss' queue cache, the
   * table name): on PGlite a transaction keeps its connection exclusive, so a query on another
   * connection from inside it would wait forever.
   */
  async prepare(name: QueueName): Promise<void> {
    await this.#table(name);
    await this.boss.findJobs(name, { id: '00000000-0000-0000-0000-000000000000' });
  }

  async #table(name: QueueName): Promise<string | null> {
    const known = this.#tables.get(name);
    if (known) return known;
    const queue = await this.boss.getQueue(name);
    if (!queue) return null;
    const table = `${this.#schema}.${queue.table}`;
    this.#tables.set(name, table);
    return table;
  }
}
