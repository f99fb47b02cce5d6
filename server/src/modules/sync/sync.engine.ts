import type { SyncSchedule } from '../../generated/prisma/client.ts';
import { DEFAULT_PAGE_SIZE, type StevePort } from '../../integrations/steve/port.ts';
import type { Db } from '../../lib/db.ts';
import type { Logger } from '../../lib/logger.ts';
import type { PubSub } from '../../lib/pubsub.ts';
import { DEFAULT_CADENCE, type ActivityFacts, type CadenceIntervals } from './cadence.ts';
import { runSync, type RunOptions, type SyncRunResult } from './runner.ts';
import { activityFacts, getSchedule } from './schedule.ts';

export { SEGMENT_ORDER, type RunOptions, type SyncRunResult } from './runner.ts';
export { energyKwh } from '../../lib/energy.ts';
export { generatePublicId } from '../cards/public-id.ts';
export { START_REQUEST_LINK_WINDOW_MS } from '../charging/start-request-link.ts';
export { LAST_SEEN_REFRESH_MS } from './segments/chargers.ts';
export { DEEP_STOP_SCAN_MS, STOP_WINDOW_MS } from './segments/transactions.ts';

export interface SyncEngineOptions {
  db: Db;
  steve: StevePort;
  pubsub: PubSub;
  logger: Logger;
  /** Defaults to the wall clock; tests and the simulator share a controllable one. */
  clock?: () => Date;
  cadence?: Partial<CadenceIntervals>;
  pageSize?: number;
  /** Heartbeat age after which a charger counts as offline (see docs/charger-states.md). */
  offlineAfterMs?: number;
}

/**
 * Pulls SteVe's state into Polaris in ordered, idempotent segments (`runner.ts`, `segments/`).
 * Every page of data is written in one short DB transaction together with its keyset cursor and
 * the segment's progress; SteVe is never awaited while a transaction is open. This class holds the
 * configuration and makes sure one process runs one sync at a time.
 */
export class SyncEngine {
  readonly db: Db;
  readonly steve: StevePort;
  readonly cadence: CadenceIntervals;
  readonly #pubsub: PubSub;
  readonly #logger: Logger;
  readonly #clock: () => Date;
  readonly #pageSize: number;
  readonly #offlineAfterMs: number | undefined;
  #inFlight: Promise<SyncRunResult> | null = null;

  constructor(options: SyncEngineOptions) {
    this.db = options.db;
    this.steve = options.steve;
    this.#pubsub = options.pubsub;
    this.#logger = options.logger;
    this.#clock = options.clock ?? (() => new Date());
    this.cadence = { ...DEFAULT_CADENCE, ...options.cadence };
    this.#pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.#offlineAfterMs = options.offlineAfterMs;
  }

  now(): Date {
    return this.#clock();
  }

  get running(): boolean {
    return this.#inFlight !== null;
  }

  /**
   * Runs one sync. Within one process a second call while a run is in flight joins that run; across
   * processes the job queue makes sure only one instance calls this at a time.
   */
  run(options: RunOptions): Promise<SyncRunResult> {
    this.#inFlight ??= runSync(
      {
        db: this.db,
        steve: this.steve,
        pubsub: this.#pubsub,
        logger: this.#logger,
        now: () => this.now(),
        cadence: this.cadence,
        pageSize: this.#pageSize,
        offlineAfterMs: this.#offlineAfterMs,
      },
      options,
    ).finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  /** The single SyncSchedule row, created on first use. */
  getSchedule(): Promise<SyncSchedule> {
    return getSchedule(this.db, this.cadence, this.now());
  }

  /** Moves the next run forward to now (an immediate run has been requested). */
  async markImmediate(): Promise<SyncSchedule> {
    await this.getSchedule();
    return this.db.syncSchedule.update({ where: { id: 1 }, data: { nextRunAt: this.now() } });
  }

  /** What the cadence looks at: live sessions, pending starts and the latest activity. */
  activityFacts(now = this.now()): Promise<ActivityFacts> {
    return activityFacts(this.db, this.cadence, now);
  }
}
