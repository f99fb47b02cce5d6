import { Prisma } from '../../generated/prisma/client.ts';
import { bulkUpdate } from '../../lib/bulk-sql.ts';
import type { Db } from '../../lib/db.ts';
import type { Logger } from '../../lib/logger.ts';
import type { PubSub } from '../../lib/pubsub.ts';
import { recordAlerts } from '../alerts/alerts.service.ts';
import { webhookHeaders } from './signing.ts';
import type { Send, SendResult } from './sender.ts';

/**
 * Delivers the webhook outbox (`WebhookDelivery` rows written with their events, see
 * events/domain-events.ts).
 *
 * - **Ordered per stream**: only the oldest undelivered delivery of an endpoint's stream (one
 *   session, one charger, …) can be claimed, so a partner sees `session.started` before
 *   `session.updated` before `session.completed`, even across retries. Different streams go out in
 *   parallel.
 * - **Claims are leases**: one statement picks due deliveries with `FOR UPDATE SKIP LOCKED` and
 *   pushes their next attempt out by the lease, so instances never send the same delivery at the
 *   same time and a crashed instance's claims come back after the lease. Delivery is at least once;
 *   receivers de-duplicate by `webhook-id` (the event id), as Standard Webhooks intends.
 * - **Retries**: exponential backoff with full jitter (5 s doubling, at most 1 h) for up to 3 days
 *   after the event, then FAILED (it can still be resent or replayed). An endpoint failing without
 *   a single success for `disableAfterMs` is DISABLED with an alert.
 * - Outcomes of a batch are written in a fixed number of statements.
 *
 * The table is the queue rather than pg-boss jobs because the ordering rule ("the head of each
 * stream only") is a query over the pending rows, which a job queue cannot express.
 */

export interface DispatcherOptions {
  batchSize?: number;
  leaseMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Stop retrying a delivery this long after it was queued. */
  giveUpAfterMs?: number;
  /** Disable an endpoint that has failed this long without a success. */
  disableAfterMs?: number;
  /** Idle loop interval; `events:recorded` wakes the loop at once. */
  intervalMs?: number;
  now?: () => Date;
  random?: () => number;
}

export interface DispatcherDeps {
  db: Db;
  logger: Logger;
  pubsub?: PubSub;
  send: Send;
}

interface Claimed {
  id: string;
  endpointId: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  attempts: number;
  eventNumber: bigint;
  eventId: string;
  type: string;
  stream: string;
  sequence: number;
  version: number;
  payload: unknown;
  occurredAt: Date;
}

export interface DispatchReport {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
  disabledEndpoints: number;
}

export const WEBHOOK_DEFAULTS = {
  batchSize: 100,
  leaseMs: 60_000,
  baseBackoffMs: 5_000,
  maxBackoffMs: 60 * 60_000,
  giveUpAfterMs: 3 * 24 * 60 * 60_000,
  disableAfterMs: 3 * 24 * 60 * 60_000,
  intervalMs: 2_000,
} as const;

/** The JSON body of an event's deliveries (the same bytes for every endpoint and every attempt). */
export function eventBody(e: {
  eventId: string;
  eventNumber: bigint;
  type: string;
  version: number;
  stream: string;
  sequence: number;
  occurredAt: Date;
  payload: unknown;
}): string {
  return JSON.stringify({
    id: e.eventId,
    number: e.eventNumber.toString(),
    type: e.type,
    version: e.version,
    stream: e.stream,
    sequence: e.sequence,
    occurredAt: e.occurredAt.toISOString(),
    data: e.payload,
  });
}

export class WebhookDispatcher {
  readonly #deps: DispatcherDeps;
  readonly #opts: Required<DispatcherOptions>;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #kicked = false;
  #stopping = false;
  #unsubscribe: (() => void) | null = null;

  constructor(deps: DispatcherDeps, options: DispatcherOptions = {}) {
    this.#deps = deps;
    this.#log = deps.logger.child({ component: 'webhooks' });
    this.#opts = {
      ...WEBHOOK_DEFAULTS,
      now: () => new Date(),
      random: Math.random,
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    } as Required<DispatcherOptions>;
  }

  /** Claims due deliveries: the head of each endpoint's stream, oldest events first. One statement. */
  async claim(limit = this.#opts.batchSize): Promise<Claimed[]> {
    const now = ts(this.#opts.now());
    const leaseUntil = ts(new Date(this.#opts.now().getTime() + this.#opts.leaseMs));
    return this.#deps.db.$queryRaw<Claimed[]>(Prisma.sql`
      WITH due AS (
        SELECT d."id"
        FROM "WebhookDelivery" d
        JOIN "WebhookEndpoint" w ON w."id" = d."endpointId" AND w."status" = 'ACTIVE'
        WHERE d."status" = 'PENDING'
          AND d."nextAttemptAt" <= ${now}::timestamp(3)
          AND NOT EXISTS (
            SELECT 1 FROM "WebhookDelivery" p
            WHERE p."endpointId" = d."endpointId" AND p."stream" = d."stream"
              AND p."eventId" < d."eventId" AND p."status" = 'PENDING'
          )
        ORDER BY d."eventId"
        LIMIT ${limit}
        FOR UPDATE OF d SKIP LOCKED
      ), claimed AS (
        UPDATE "WebhookDelivery" d
        SET "nextAttemptAt" = ${leaseUntil}::timestamp(3), "attempts" = d."attempts" + 1,
            "lastAttemptAt" = ${now}::timestamp(3), "updatedAt" = ${now}::timestamp(3)
        FROM due WHERE d."id" = due."id"
        RETURNING d."id", d."endpointId", d."eventId", d."attempts", d."createdAt"
      )
      SELECT c."id", c."endpointId", c."attempts", c."createdAt",
             w."url", w."secret", w."previousSecret", w."previousSecretExpiresAt",
             e."id" AS "eventNumber", e."eventId", e."type", e."stream", e."sequence", e."version",
             e."payload", e."occurredAt"
      FROM claimed c
      JOIN "WebhookEndpoint" w ON w."id" = c."endpointId"
      JOIN "DomainEvent" e ON e."id" = c."eventId"
      ORDER BY e."id"`);
  }

  /** One round: claim a batch, send it (streams in parallel), record the outcomes. */
  async dispatchOnce(): Promise<DispatchReport> {
    const claimed = await this.claim();
    const report: DispatchReport = {
      claimed: claimed.length,
      delivered: 0,
      retried: 0,
      failed: 0,
      disabledEndpoints: 0,
    };
    if (claimed.length === 0) return report;
    const sentAt = this.#opts.now();
    const results = await Promise.all(
      claimed.map(async (d) => {
        const body = eventBody(d);
        const secrets = [d.secret];
        if (d.previousSecret && d.previousSecretExpiresAt && d.previousSecretExpiresAt > sentAt)
          secrets.push(d.previousSecret);
        const headers = webhookHeaders(secrets, d.eventId, sentAt, body);
        let result: SendResult;
        try {
          result = await this.#deps.send(d.url, body, headers);
        } catch (error) {
          result = { ok: false, status: null, latencyMs: 0, error: (error as Error).message };
        }
        return { d, result };
      }),
    );
    report.disabledEndpoints = await this.#record(results, report);
    return report;
  }

  async #record(results: { d: Claimed; result: SendResult }[], report: DispatchReport): Promise<number> {
    const { db } = this.#deps;
    const now = this.#opts.now();
    const rows = results.map(({ d, result }) => {
      if (result.ok) {
        report.delivered++;
        return {
          id: d.id,
          status: 'DELIVERED',
          nextAttemptAt: now,
          responseStatus: result.status,
          latencyMs: result.latencyMs,
          lastError: null,
          deliveredAt: now,
        };
      }
      const giveUp = now.getTime() - d.createdAt.getTime() >= this.#opts.giveUpAfterMs;
      if (giveUp) report.failed++;
      else report.retried++;
      return {
        id: d.id,
        status: giveUp ? 'FAILED' : 'PENDING',
        nextAttemptAt: giveUp ? now : new Date(now.getTime() + this.backoffMs(d.attempts)),
        responseStatus: result.status,
        latencyMs: result.latencyMs,
        lastError: (result.error ?? 'failed').slice(0, 1000),
        deliveredAt: null,
      };
    });
    const succeeded = [...new Set(results.filter((r) => r.result.ok).map((r) => r.d.endpointId))];
    const failing = [...new Set(results.filter((r) => !r.result.ok).map((r) => r.d.endpointId))].filter(
      (id) => !succeeded.includes(id),
    );
    let disabled: { id: string; url: string }[] = [];
    await db.$transaction(async (tx) => {
      await bulkUpdate(
        tx,
        'WebhookDelivery',
        [
          ['status', '"WebhookDeliveryStatus"'],
          ['nextAttemptAt', 'timestamp(3)'],
          ['responseStatus', 'int4'],
          ['latencyMs', 'int4'],
          ['lastError', 'text'],
          ['deliveredAt', 'timestamp(3)'],
        ],
        rows,
      );
      if (succeeded.length)
        await tx.webhookEndpoint.updateMany({
          where: { id: { in: succeeded }, failingSince: { not: null } },
          data: { failingSince: null },
        });
      if (failing.length) {
        await tx.webhookEndpoint.updateMany({
          where: { id: { in: failing }, failingSince: null },
          data: { failingSince: now },
        });
        const cutoff = new Date(now.getTime() - this.#opts.disableAfterMs);
        disabled = await tx.$queryRaw<{ id: string; url: string }[]>(Prisma.sql`
          UPDATE "WebhookEndpoint"
          SET "status" = 'DISABLED', "updatedAt" = ${ts(now)}::timestamp(3),
              "disabledReason" = 'Every delivery failed since ' || to_char("failingSince", 'YYYY-MM-DD HH24:MI') || ' UTC'
          WHERE "id" IN (${Prisma.join(failing)}) AND "status" = 'ACTIVE' AND "failingSince" <= ${ts(cutoff)}::timestamp(3)
          RETURNING "id", "url"`);
        if (disabled.length)
          await recordAlerts(
            tx,
            disabled.map((e) => ({
              severity: 'CRITICAL' as const,
              kind: 'webhook.endpoint_disabled',
              dedupeKey: `webhook.endpoint_disabled:${e.id}:${now.toISOString().slice(0, 10)}`,
              subjectType: 'WebhookEndpoint',
              subjectId: e.id,
              message: `Webhook endpoint ${e.url} was disabled: every delivery failed for days. Fix the receiver, then resume the endpoint and replay what it missed.`,
            })),
          );
      }
    });
    if (disabled.length) {
      this.#log.warn(
        { endpoints: disabled.map((e) => e.id) },
        'webhook endpoints disabled after failing for days',
      );
      this.#deps.pubsub?.publish('alerts:changed', { at: now.toISOString() });
    }
    return disabled.length;
  }

  /** Full-jitter exponential backoff after `attempts` failed attempts. */
  backoffMs(attempts: number): number {
    const cap = Math.min(this.#opts.maxBackoffMs, this.#opts.baseBackoffMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(cap / 2 + (this.#opts.random() * cap) / 2);
  }

  /** Asks the loop to look now (events were recorded). */
  kick(): void {
    this.#kicked = true;
    this.#wake?.();
  }

  start(): void {
    if (this.#running) return;
    this.#stopping = false;
    const sub = this.#deps.pubsub?.subscribe('events:recorded')[Symbol.asyncIterator]();
    if (sub) {
      void (async () => {
        for (;;) {
          const next = await sub.next();
          if (next.done) return;
          this.kick();
        }
      })();
      this.#unsubscribe = () => void sub.return?.();
    }
    this.#running = this.#loop();
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      let report: DispatchReport | null = null;
      try {
        report = await this.dispatchOnce();
      } catch (error) {
        this.#log.warn({ err: (error as Error).message }, 'webhook dispatch failed');
      }
      if (this.#stopping) break;
      // A full batch: go on at once; otherwise wait for a kick or the interval.
      if (report && report.claimed >= this.#opts.batchSize) continue;
      if (this.#kicked) {
        this.#kicked = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, this.#opts.intervalMs);
      });
      this.#wake = null;
      if (this.#timer) clearTimeout(this.#timer);
      this.#kicked = false;
    }
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#wake?.();
    await this.#running;
    this.#running = null;
  }
}

/** A Date as a `timestamp(3)` literal in UTC (how Prisma stores DateTime). */
function ts(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
