import type { Job } from 'pg-boss';
import type { JobPayloads } from '../../lib/jobs.ts';
import type { Services } from '../../types.ts';
import {
  expireStartRequests,
  scheduleStartTimeout,
  START_TIMEOUT_MS,
  START_TIMEOUT_QUEUE,
} from './charging.service.ts';

export type StartTimeoutDeps = Pick<Services, 'db' | 'steve' | 'pubsub' | 'logger' | 'sync' | 'jobs'>;

export interface StartTimeoutWorkerOptions {
  /** How often each instance sweeps for overdue requests as a safety net (default 60 s). */
  sweepIntervalMs?: number;
  /** How often idle workers look for due jobs (pg-boss minimum 0.5 s). */
  pollingIntervalSeconds?: number;
}

/**
 * Turns ACCEPTED start requests without a session into NOT_STARTED once their timeout has passed:
 * per request through the `charging.start-timeout` queue, and as a safety net by a sweep at start-up
 * and every `sweepIntervalMs` (requests whose job was lost, or accepted before an upgrade). The change
 * is a conditional update, so however many instances and jobs look at a request, it is changed and
 * published once.
 */
export class StartTimeoutWorker {
  readonly #deps: StartTimeoutDeps;
  readonly #sweepIntervalMs: number;
  readonly #pollingIntervalSeconds: number;
  #timer: NodeJS.Timeout | null = null;
  #started = false;

  constructor(deps: StartTimeoutDeps, options: StartTimeoutWorkerOptions = {}) {
    this.#deps = deps;
    this.#sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
    this.#pollingIntervalSeconds = options.pollingIntervalSeconds ?? 5;
  }

  get started(): boolean {
    return this.#started;
  }

  async start(): Promise<void> {
    if (this.#started) return;
    const { jobs } = this.#deps;
    await jobs.start();
    await jobs.createQueue(START_TIMEOUT_QUEUE, {
      // One waiting and one running check per request (a check that comes too early re-queues itself).
      policy: 'stately',
      retryLimit: 3,
      expireInSeconds: 60,
      deleteAfterSeconds: 24 * 60 * 60,
    });
    await jobs.work(START_TIMEOUT_QUEUE, { pollingIntervalSeconds: this.#pollingIntervalSeconds }, (job) =>
      this.#handle(job),
    );
    this.#started = true;
    await this.sweep();
    this.#timer = setInterval(() => void this.sweep(), this.#sweepIntervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#deps.jobs.offWork(START_TIMEOUT_QUEUE);
  }

  /** Expires every overdue request; returns the ids changed by this call. Never throws. */
  async sweep(): Promise<string[]> {
    try {
      return await expireStartRequests(this.#deps);
    } catch (error) {
      this.#deps.logger.warn({ err: (error as Error).message }, 'start request sweep failed');
      return [];
    }
  }

  async #handle(job: Job<JobPayloads[typeof START_TIMEOUT_QUEUE]>): Promise<void> {
    const { startRequestId } = job.data;
    const changed = await expireStartRequests(this.#deps, { ids: [startRequestId] });
    if (changed.length > 0) return;
    // Not changed: linked to a session, already decided otherwise — or not due yet by the app's clock
    // (which can differ from the database's): then look again when it is.
    const request = await this.#deps.db.startRequest.findUnique({
      where: { id: startRequestId },
      select: { outcome: true, sessionId: true, decidedAt: true },
    });
    if (!request || request.outcome !== 'ACCEPTED' || request.sessionId || !request.decidedAt) return;
    const dueInMs = request.decidedAt.getTime() + START_TIMEOUT_MS - this.#deps.sync.engine.now().getTime();
    if (dueInMs > 0) await scheduleStartTimeout(this.#deps, startRequestId, dueInMs);
  }
}
