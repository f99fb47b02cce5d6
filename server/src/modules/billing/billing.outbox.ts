import { recordDomainEvents } from '../events/domain-events.ts';
import { billingEventRefused } from '../events/emit.ts';
import { LagoError } from '../../integrations/lago/errors.ts';
import {
  MAX_BATCH_SIZE,
  subscriptionIdFor,
  type BatchResult,
  type LagoPort,
} from '../../integrations/lago/port.ts';
import type { Db } from '../../lib/db.ts';
import type { Logger } from '../../lib/logger.ts';
import type { PubSub } from '../../lib/pubsub.ts';
import {
  BILLING_DEFAULTS,
  billingHealth,
  raiseAlert,
  releaseWaitingEvents,
  resolveAlert,
  usageEventFor,
} from './billing.service.ts';

/**
 * The usage-event outbox worker: claims due PENDING BillingEvent rows, sends them to Lago in
 * batches and records the outcome.
 *
 * Exactly once, end to end:
 * - rows are claimed with `FOR UPDATE SKIP LOCKED` in one short statement that also leases them
 *   (nextAttemptAt = now + lease, attempts + 1), so two instances never send the same row at the
 *   same time and no transaction is open while Lago is called;
 * - a row is only marked DELIVERED after Lago answered delivered or duplicate; a crash in between
 *   leaves the lease to expire and the row is resent with the same transaction_id and timestamp,
 *   which Lago reports as a duplicate (= delivered);
 * - retryable failures (timeouts, network, 429, 5xx) back off exponentially (429: at least Lago's
 *   retry-after); events Lago rejects are FAILED with an alert; nothing is dropped.
 */

export interface BillingOutboxOptions {
  /** Events per Lago batch (≤ 100). */
  batchSize?: number;
  /** How long a claim is exclusive; must exceed the Lago call's timeout. */
  leaseMs?: number;
  /** First retry delay; doubles per attempt up to maxBackoffMs (±20 % jitter). */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** PENDING/WAITING events older than this raise an alert. */
  stuckAfterMs?: number;
  /** Loop interval of start(). */
  intervalMs?: number;
  /** How often start() runs housekeeping (stuck alerts, waiting events whose card got a customer). */
  housekeepingMs?: number;
  /** Parallel drain loops in this instance (claims never overlap, see above). */
  concurrency?: number;
  /** Clock (tests move it instead of sleeping). */
  now?: () => Date;
  /** Test hook, called after Lago answered and before the outcome is stored (simulates a crash window). */
  afterSend?: (transactionIds: string[]) => Promise<void>;
}

export interface BillingOutboxDeps {
  db: Db;
  lago: LagoPort;
  logger: Logger;
  pubsub?: PubSub;
}

export interface DrainReport {
  claimed: number;
  delivered: number;
  duplicates: number;
  failed: number;
  /** Events put back for a later retry because the call failed as a whole. */
  retried: number;
  /** HTTP requests the port made. */
  requests: number;
  /** The call failed as a whole (the loop should wait before claiming more). */
  error: LagoError | null;
}

interface ClaimedRow {
  id: string;
  transactionId: string;
  externalSubscriptionId: string | null;
  payload: unknown;
  attempts: number;
}

const EMPTY: DrainReport = {
  claimed: 0,
  delivered: 0,
  duplicates: 0,
  failed: 0,
  retried: 0,
  requests: 0,
  error: null,
};

export class BillingOutbox {
  readonly #deps: BillingOutboxDeps;
  readonly #opts: Required<Omit<BillingOutboxOptions, 'afterSend'>> & Pick<BillingOutboxOptions, 'afterSend'>;
  readonly #log: Logger;
  #stopping = false;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #kicked = false;
  #lastHousekeeping = 0;
  #lastAnalyze = Number.NEGATIVE_INFINITY;
  #analyzing = false;
  readonly #inflight = new Set<AbortController>();

  constructor(deps: BillingOutboxDeps, options: BillingOutboxOptions = {}) {
    this.#deps = deps;
    this.#log = deps.logger.child({ component: 'billing-outbox' });
    this.#opts = {
      batchSize: Math.min(Math.max(1, options.batchSize ?? MAX_BATCH_SIZE), MAX_BATCH_SIZE),
      leaseMs: options.leaseMs ?? 60_000,
      baseBackoffMs: options.baseBackoffMs ?? 2_000,
      maxBackoffMs: options.maxBackoffMs ?? 5 * 60_000,
      stuckAfterMs: options.stuckAfterMs ?? BILLING_DEFAULTS.stuckAfterMs,
      intervalMs: options.intervalMs ?? 5_000,
      housekeepingMs: options.housekeepingMs ?? 30_000,
      concurrency: Math.max(1, options.concurrency ?? 1),
      now: options.now ?? (() => new Date()),
      afterSend: options.afterSend,
    };
  }

  /** Claims up to `limit` due events and leases them to this worker. One short statement. */
  async claim(limit = this.#opts.batchSize): Promise<ClaimedRow[]> {
    const now = this.#opts.now();
    const nowTs = sqlTimestamp(now);
    const leaseTs = sqlTimestamp(new Date(now.getTime() + this.#opts.leaseMs));
    return this.#deps.db.$queryRaw<ClaimedRow[]>`
      WITH picked AS (
        SELECT "id" FROM "BillingEvent"
        WHERE "status" = 'PENDING' AND "nextAttemptAt" <= ${nowTs}::timestamp(3)
        ORDER BY "nextAttemptAt"
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE "BillingEvent" AS b
      SET "nextAttemptAt" = ${leaseTs}::timestamp(3), "attempts" = b."attempts" + 1, "updatedAt" = ${nowTs}::timestamp(3)
      WHERE b."id" = ANY(ARRAY(SELECT "id" FROM picked))
      RETURNING b."id", b."transactionId", b."externalSubscriptionId", b."payload", b."attempts"`;
  }

  /**
   * One round: claims up to `batchSize × concurrency` due events in one statement, sends them in
   * batches of `batchSize` with all batches in flight at once, and stores the outcomes in one
   * statement (a rejected event or a batch that failed as a whole adds its own, rare, statements).
   */
  async drainOnce(): Promise<DrainReport> {
    if (this.#stopping) return { ...EMPTY };
    const rows = await this.claim(this.#opts.batchSize * this.#opts.concurrency);
    if (rows.length === 0) return { ...EMPTY };
    const report: DrainReport = { ...EMPTY, claimed: rows.length };

    // The sync engine may queue PENDING rows without a subscription: bind them to the card's customer
    // now (once, persisted), or send them back to wait for one.
    const orphans = rows.filter((r) => !r.externalSubscriptionId);
    if (orphans.length > 0) await this.#bindSubscriptions(orphans);
    const sendable = rows.filter(
      (r): r is ClaimedRow & { externalSubscriptionId: string } => !!r.externalSubscriptionId,
    );
    if (sendable.length === 0) return report;

    const batches: (typeof sendable)[] = [];
    for (let i = 0; i < sendable.length; i += this.#opts.batchSize) {
      batches.push(sendable.slice(i, i + this.#opts.batchSize));
    }
    const sent = await Promise.all(batches.map((batch) => this.#send(batch)));
    const answered = sent.flatMap((s, index) => (s.ok ? [{ batch: batches[index]!, result: s.result }] : []));
    if (answered.length > 0 && this.#opts.afterSend) {
      await this.#opts.afterSend(answered.flatMap((a) => a.batch.map((r) => r.transactionId)));
    }

    const now = this.#opts.now();
    const deliveredIds: string[] = [];
    const invalid: { row: ClaimedRow; reason: string; details: Record<string, string[]> }[] = [];
    for (const { batch, result } of answered) {
      report.requests += result.requests;
      report.delivered += result.delivered;
      report.duplicates += result.duplicates;
      result.results.forEach((outcome, index) => {
        const row = batch[index]!;
        if (outcome.status === 'invalid')
          invalid.push({ row, reason: outcome.reason, details: outcome.details });
        else deliveredIds.push(row.id);
      });
    }
    report.failed = invalid.length;

    if (deliveredIds.length > 0) await this.#markDelivered(deliveredIds, now);
    for (const { row, reason, details } of invalid) await this.#refuse(row, reason, details, now);

    // Batches whose call failed as a whole: back off (or hand back when stopping), batch by batch.
    for (const [index, s] of sent.entries()) {
      if (s.ok) continue;
      const batch = batches[index]!;
      await this.#afterCallFailure(batch, s.error);
      report.retried += batch.length;
      report.error ??= s.error;
    }
    return report;
  }

  /** One Lago call; a failure is returned (as a LagoError), not thrown. */
  async #send(
    batch: (ClaimedRow & { externalSubscriptionId: string })[],
  ): Promise<{ ok: true; result: BatchResult } | { ok: false; error: LagoError }> {
    const controller = new AbortController();
    this.#inflight.add(controller);
    try {
      const result = await this.#deps.lago.sendEvents(batch.map(usageEventFor), {
        signal: controller.signal,
      });
      return { ok: true, result };
    } catch (error) {
      const lagoError =
        error instanceof LagoError
          ? error
          : new LagoError(
              `Unexpected failure sending events: ${error instanceof Error ? error.message : String(error)}`,
              {
                code: 'unexpected_response',
                retryable: false,
                operation: 'createBatchEvents',
              },
            );
      return { ok: false, error: lagoError };
    } finally {
      this.#inflight.delete(controller);
    }
  }

  /** Delivered or duplicate: one statement for the whole round. */
  async #markDelivered(ids: string[], now: Date): Promise<void> {
    const nowTs = sqlTimestamp(now);
    await this.#deps.db.$executeRaw`
      UPDATE "BillingEvent"
      SET "status" = 'DELIVERED', "deliveredAt" = ${nowTs}::timestamp(3), "lastError" = NULL,
        "updatedAt" = ${nowTs}::timestamp(3)
      WHERE "id" = ANY(${ids}::text[]) AND "status" = 'PENDING'`;
  }

  /** Lago rejected one event: FAILED with its reason, a domain event and a CRITICAL alert. */
  async #refuse(
    row: ClaimedRow,
    reason: string,
    details: Record<string, string[]>,
    now: Date,
  ): Promise<void> {
    const { db } = this.#deps;
    const lastError = `Lago rejected the event: ${reason}${Object.keys(details).length ? ` ${JSON.stringify(details)}` : ''}`;
    await db.$transaction(async (tx) => {
      const refused = await tx.billingEvent.updateMany({
        where: { id: row.id, status: 'PENDING' },
        data: { status: 'FAILED', lastError },
      });
      if (refused.count) await recordDomainEvents(tx, [billingEventRefused(row.transactionId, reason, now)]);
    });
    await raiseAlert(this.#deps, {
      severity: 'CRITICAL',
      kind: 'billing.event_failed',
      dedupeKey: `billing.event_failed:${row.transactionId}`,
      subjectType: 'BillingEvent',
      subjectId: row.transactionId,
      message: `Usage event ${row.transactionId} was rejected by Lago and is not billed (${reason}). Fix the cause, then retry it.`,
    });
    this.#log.warn({ transactionId: row.transactionId, reason, details }, 'usage event rejected by Lago');
  }

  /**
   * Sets externalSubscriptionId on claimed rows from their session's card (the card the session
   * was linked to, else the card with its id tag); rows without a customer wait. Three statements
   * however many rows: one read, one update for the bound rows, one for the waiting ones.
   */
  async #bindSubscriptions(rows: ClaimedRow[]): Promise<void> {
    const { db } = this.#deps;
    const ids = rows.map((r) => r.id);
    const found = await db.$queryRaw<{ id: string; externalId: string | null }[]>`
      SELECT b."id", CASE WHEN s."cardId" IS NOT NULL THEN linked."externalId" ELSE tagged."externalId" END AS "externalId"
      FROM "BillingEvent" b
      JOIN "ChargingSession" s ON s."id" = b."sessionId"
      LEFT JOIN "EvCard" lc ON lc."id" = s."cardId"
      LEFT JOIN "Customer" linked ON linked."id" = lc."customerId"
      LEFT JOIN "EvCard" tc ON s."cardId" IS NULL AND tc."idTag" = s."idTag"
      LEFT JOIN "Customer" tagged ON tagged."id" = tc."customerId"
      WHERE b."id" = ANY(${ids}::text[])`;
    const externalIdOf = new Map(found.map((f) => [f.id, f.externalId]));
    const bindIds: string[] = [];
    const bindSubs: string[] = [];
    const waiting: string[] = [];
    for (const row of rows) {
      const externalId = externalIdOf.get(row.id);
      if (!externalId) waiting.push(row.id);
      else {
        bindIds.push(row.id);
        bindSubs.push(subscriptionIdFor(externalId));
      }
    }
    if (bindIds.length > 0) {
      const nowTs = sqlTimestamp(this.#opts.now());
      const bound = await db.$queryRaw<{ id: string; externalSubscriptionId: string }[]>`
        UPDATE "BillingEvent" AS b
        SET "externalSubscriptionId" = v."sub", "updatedAt" = ${nowTs}::timestamp(3)
        FROM unnest(${bindIds}::text[], ${bindSubs}::text[]) AS v("id", "sub")
        WHERE b."id" = v."id" AND b."status" = 'PENDING' AND b."externalSubscriptionId" IS NULL
        RETURNING b."id", b."externalSubscriptionId"`;
      const subOf = new Map(bound.map((b) => [b.id, b.externalSubscriptionId]));
      for (const row of rows) {
        const sub = subOf.get(row.id);
        if (sub) row.externalSubscriptionId = sub;
      }
    }
    if (waiting.length > 0) {
      await db.billingEvent.updateMany({
        where: { id: { in: waiting }, status: 'PENDING', externalSubscriptionId: null },
        data: { status: 'WAITING_FOR_CUSTOMER', nextAttemptAt: this.#opts.now() },
      });
    }
  }

  /** The whole batch failed: back off (or release at once when we are stopping). */
  async #afterCallFailure(rows: ClaimedRow[], error: LagoError): Promise<void> {
    const { db } = this.#deps;
    const ids = rows.map((r) => r.id);
    const now = this.#opts.now();
    if (error.code === 'aborted') {
      // Stopping: hand the rows back now; if Lago got them, the resend is a duplicate.
      await db.billingEvent.updateMany({
        where: { id: { in: ids }, status: 'PENDING' },
        data: { nextAttemptAt: now },
      });
      return;
    }
    const attempts = Math.max(...rows.map((r) => r.attempts));
    let delay = error.retryable ? this.backoffMs(attempts) : this.#opts.maxBackoffMs;
    if (error.retryAfterMs !== undefined) delay = Math.max(delay, error.retryAfterMs);
    await db.billingEvent.updateMany({
      where: { id: { in: ids }, status: 'PENDING' },
      data: { nextAttemptAt: new Date(now.getTime() + delay), lastError: error.message },
    });
    if (error.retryable) {
      this.#log.info(
        { err: error.toJSON(), events: ids.length, retryInMs: delay },
        'Lago unavailable; usage events will be retried',
      );
    } else {
      // A wrong key or setup is not an outage: tell people now, keep the events.
      await raiseAlert(this.#deps, {
        severity: 'CRITICAL',
        kind: 'billing.lago_rejected',
        dedupeKey: 'billing.lago_rejected',
        message: `Lago refuses usage events (${error.code}${error.status ? `, HTTP ${error.status}` : ''}). Events are kept and retried; check LAGO_URL, LAGO_API_KEY and the Lago setup.`,
      });
      this.#log.error({ err: error.toJSON(), events: ids.length }, 'Lago refused a usage batch');
    }
  }

  /** Delay before retry number `attempts` (1-based): base·2^(n−1), capped, ±20 % jitter. */
  backoffMs(attempts: number): number {
    const raw = Math.min(this.#opts.maxBackoffMs, this.#opts.baseBackoffMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(raw * (0.8 + Math.random() * 0.4));
  }

  /**
   * Drains until nothing is due or a call fails as a whole, with `concurrency` parallel loops.
   * Returns the summed report.
   */
  async drainUntilIdle(): Promise<DrainReport> {
    const total: DrainReport = { ...EMPTY };
    const loop = async (): Promise<void> => {
      while (!this.#stopping) {
        const r = await this.drainOnce();
        total.claimed += r.claimed;
        total.delivered += r.delivered;
        total.duplicates += r.duplicates;
        total.failed += r.failed;
        total.retried += r.retried;
        total.requests += r.requests;
        if (r.error) total.error = r.error;
        if (r.claimed === 0 || r.error) return;
        if (r.claimed === this.#opts.batchSize * this.#opts.concurrency) await this.#refreshStatistics();
      }
    };
    // One round at a time: its batches are already in flight together. A second round claiming and
    // recording meanwhile would, on the embedded PGlite (same thread), hold up the answers of the
    // calls in flight.
    await loop();
    return total;
  }

  /**
   * A full round means a backlog. Without statistics on BillingEvent (embedded PGlite has no
   * autovacuum; PostgreSQL's runs a minute or more after a bulk insert) the planner reads and sorts
   * every pending row for each claim instead of walking the (status, nextAttemptAt) index, which
   * makes draining a backlog quadratic. So a worker that sees one analyzes the table, at most every
   * ten minutes; a failure (e.g. a role that may not) only costs the faster plan.
   */
  async #refreshStatistics(): Promise<void> {
    if (this.#analyzing || Date.now() - this.#lastAnalyze < 10 * 60_000) return;
    this.#analyzing = true;
    try {
      await this.#deps.db.$executeRaw`ANALYZE "BillingEvent"`;
      this.#lastAnalyze = Date.now();
    } catch (error) {
      this.#lastAnalyze = Date.now();
      this.#log.debug({ err: error instanceof Error ? error.message : String(error) }, 'ANALYZE failed');
    } finally {
      this.#analyzing = false;
    }
  }

  /** Stuck-event alerts and the waiting-for-customer safety net. */
  async housekeeping(): Promise<void> {
    const now = this.#opts.now();
    await releaseWaitingEvents(this.#deps.db, now);
    const health = await billingHealth(this.#deps, { stuckAfterMs: this.#opts.stuckAfterMs, now });
    const backlog = health.warnings.find((w) => w.kind === 'billing.backlog');
    if (backlog) {
      await raiseAlert(this.#deps, {
        severity: 'WARNING',
        kind: 'billing.backlog',
        dedupeKey: 'billing.backlog',
        message: backlog.message,
      });
    } else {
      await resolveAlert(this.#deps.db, 'billing.backlog');
    }
    const waiting = health.warnings.find(
      (w) => w.kind === 'billing.waiting_for_customer' && w.severity === 'WARNING',
    );
    if (waiting) {
      await raiseAlert(this.#deps, {
        severity: 'WARNING',
        kind: 'billing.waiting_for_customer',
        dedupeKey: 'billing.waiting_for_customer',
        message: waiting.message,
      });
    } else if (health.waitingForCustomer === 0) {
      await resolveAlert(this.#deps.db, 'billing.waiting_for_customer');
    }
  }

  /** Runs the loop every intervalMs (and at once on kick()) until stop(). */
  start(): void {
    if (this.#running) return;
    this.#stopping = false;
    this.#running = this.#loop();
  }

  /** Asks the loop to drain now (e.g. after a session completed). */
  kick(): void {
    this.#kicked = true;
    this.#wake?.();
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      let failed: boolean;
      try {
        if (Date.now() - this.#lastHousekeeping >= this.#opts.housekeepingMs) {
          this.#lastHousekeeping = Date.now();
          await this.housekeeping();
        }
        failed = (await this.drainUntilIdle()).error !== null;
      } catch (error) {
        failed = true;
        this.#log.error(
          { err: error instanceof Error ? error.message : String(error) },
          'billing outbox tick failed',
        );
      }
      if (this.#stopping) break;
      // After a failed call, don't let kicks hammer Lago: the rows carry their own backoff anyway.
      if (this.#kicked && !failed) {
        this.#kicked = false;
        continue;
      }
      this.#kicked = false;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, this.#opts.intervalMs);
      });
      this.#wake = null;
    }
  }

  /** Stops the loop: in-flight Lago calls are aborted and their events handed back at once. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#wake?.();
    for (const controller of this.#inflight) controller.abort();
    await this.#running;
    this.#running = null;
  }
}

/** A UTC timestamp literal for `timestamp(3)` columns (Prisma stores UTC without a zone). */
function sqlTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
