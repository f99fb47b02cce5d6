import type { Prisma } from '../../generated/prisma/client.ts';
import type { CurrentUsage, LagoPort, UsageEvent } from '../../integrations/lago/port.ts';
import { sessionTransactionId, subscriptionIdFor } from '../../integrations/lago/port.ts';
import type { Db } from '../../lib/db.ts';
import { v7 as uuidv7 } from 'uuid';
import { bulkInsert, type BulkColumns } from '../../lib/bulk-sql.ts';
import type { PubSub } from '../../lib/pubsub.ts';
import { callLago } from '../../integrations/lago/call.ts';
import { formatDuration } from '../../../../shared/duration.ts';
import { plural, pluralWord } from '../../../../shared/plural.ts';

/**
 * The outbox row's payload for one finished session, written by the sync engine. Stored once and
 * resent unchanged on every retry (the event is derived from it only).
 */
export interface SessionUsagePayload {
  /** Energy of the session in kWh (number or decimal string). For a correction row: the delta. */
  kwh: number | string;
  startedAt: string;
  /** The session's stop time (ISO): the event timestamp unless `billedAt` is set. */
  stoppedAt: string;
  /**
   * Set when a session that waited for its card's customer is released into a subscription (or a
   * billing period) that starts after the session ended: the event timestamp Lago gets instead of
   * `stoppedAt`, the first moment Lago still bills (see `billableFrom`). Written once at release.
   */
  billedAt?: string;
  chargeBoxId: string;
  idTag: string;
  /** Only on correction rows: the transaction id of the session's first event. */
  correctionOf?: string;
  /** Only on correction rows: the revision number (1, 2, …) in the transaction id. */
  revision?: number;
}

/** Defaults of the billing worker and health (overridable per deployment through config). */
export const BILLING_DEFAULTS = {
  /** A PENDING or WAITING event older than this is "stuck": alert + health warning. */
  stuckAfterMs: 15 * 60_000,
};

export type AlertSeverity = 'INFO' | 'WARNING' | 'CRITICAL';

export interface HealthWarning {
  /** Stable machine-readable kind, e.g. `billing.backlog`. */
  kind: string;
  severity: AlertSeverity;
  /** For people. */
  message: string;
  count: number;
}

export interface BillingHealth {
  /** Events waiting to be sent to Lago (including those backing off after a failure). */
  pending: number;
  /** Age of the oldest pending event, in ms (null when there is none). */
  oldestPendingAgeMs: number | null;
  /** Finished sessions whose card has no Lago customer yet. */
  waitingForCustomer: number;
  oldestWaitingAgeMs: number | null;
  /** Events Lago rejected; they need an operator. */
  failed: number;
  delivered: number;
  warnings: HealthWarning[];
}

// ---------------------------------------------------------------------------------------------
// Payload → Lago event

/** The Lago event an outbox row stands for (a pure function of the stored row). */
export function usageEventFor(row: {
  transactionId: string;
  externalSubscriptionId: string;
  payload: unknown;
}): UsageEvent {
  const payload = (row.payload ?? {}) as Partial<SessionUsagePayload>;
  return {
    transactionId: row.transactionId,
    externalSubscriptionId: row.externalSubscriptionId,
    // An unparsable stop time becomes an Invalid Date, which the port reports as an invalid event.
    timestamp: new Date(eventTimeOf(payload) ?? Number.NaN),
    properties: { kwh: payload.kwh ?? Number.NaN },
  };
}

function eventTimeOf(payload: Partial<SessionUsagePayload>): string | undefined {
  if (typeof payload.billedAt === 'string') return payload.billedAt;
  return typeof payload.stoppedAt === 'string' ? payload.stoppedAt : undefined;
}

/**
 * A corrected payload for a session whose event was moved into the billable window at release
 * (`billedAt`): the correction stays there unless its own stop is already billable.
 */
function keepBilledAt(previous: unknown, next: SessionUsagePayload): SessionUsagePayload {
  const billedAt = (previous as Partial<SessionUsagePayload> | null)?.billedAt;
  if (typeof billedAt !== 'string' || !(next.stoppedAt < billedAt)) return next;
  return { ...next, billedAt };
}

function kwhOf(payload: unknown): number {
  const value = Number((payload as Partial<SessionUsagePayload> | null)?.kwh);
  return Number.isFinite(value) ? value : 0;
}

/** kWh rounded to the Wh, so float noise never produces a correction event. */
function roundKwh(kwh: number): number {
  return Math.round(kwh * 1000) / 1000;
}

// ---------------------------------------------------------------------------------------------
// Writing the outbox (called by the sync engine inside its own transaction)

/** What recordSessionUsage needs from a transaction client. */
export type BillingTx = Pick<Db, 'billingEvent' | 'alert' | '$queryRaw' | '$executeRaw'>;

export interface SessionUsageInput {
  sessionId: string;
  steveTransactionPk: number;
  payload: SessionUsagePayload;
  /** The external id of the card's current Lago customer; null → WAITING_FOR_CUSTOMER. */
  customerExternalId: string | null;
}

export type SessionUsageOutcome =
  /** The session's first event was queued. */
  | { action: 'created'; transactionId: string }
  /** Not sent yet: its payload was replaced in place (the event Lago gets is the corrected one). */
  | { action: 'updated'; transactionId: string }
  /** Already (possibly) sent: a correction event for the positive kWh delta was queued. */
  | { action: 'correction'; transactionId: string; deltaKwh: number }
  /** Nothing to do (same kWh as already billed). */
  | { action: 'unchanged'; transactionId: string }
  /** Already billed more than the corrected value: Lago events cannot be deleted, an alert was raised. */
  | { action: 'negative'; transactionId: string; deltaKwh: number };

/**
 * Queues a finished session's usage, or applies a later correction of it (SteVe replacing a manual
 * stop with the station's real stop). Call it in the transaction that records the completion.
 *
 * - No row yet → the session's event `polaris-session-<pk>` (PENDING, or WAITING_FOR_CUSTOMER).
 * - The first row was never handed to Lago (attempts = 0) or Lago rejected it (FAILED) → its payload
 *   is replaced in place.
 * - Otherwise Lago may have it: the difference to everything queued so far is sent as
 *   `polaris-session-<pk>-r<n>` when positive; a negative difference raises a CRITICAL alert.
 *
 * The first row is locked (FOR UPDATE), so the outbox worker cannot claim it between the check and
 * the update; the worker's claim bumps `attempts` atomically, which is what "maybe sent" means here.
 */
export async function recordSessionUsage(
  tx: BillingTx,
  input: SessionUsageInput,
): Promise<SessionUsageOutcome> {
  const baseId = sessionTransactionId(input.steveTransactionPk);
  const externalSubscriptionId = input.customerExternalId
    ? subscriptionIdFor(input.customerExternalId)
    : null;
  const initialStatus = externalSubscriptionId ? 'PENDING' : 'WAITING_FOR_CUSTOMER';

  await tx.$queryRaw`SELECT "id" FROM "BillingEvent" WHERE "transactionId" = ${baseId} FOR UPDATE`;
  const base = await tx.billingEvent.findUnique({ where: { transactionId: baseId } });
  if (!base) {
    await tx.billingEvent.create({
      data: {
        sessionId: input.sessionId,
        transactionId: baseId,
        externalSubscriptionId,
        payload: input.payload as unknown as Prisma.InputJsonValue,
        status: initialStatus,
      },
    });
    return { action: 'created', transactionId: baseId };
  }

  const neverSent =
    base.attempts === 0 && (base.status === 'PENDING' || base.status === 'WAITING_FOR_CUSTOMER');
  if (neverSent || base.status === 'FAILED') {
    await tx.billingEvent.update({
      where: { id: base.id },
      data: {
        payload: keepBilledAt(base.payload, input.payload) as unknown as Prisma.InputJsonValue,
        // A rejected event gets another chance with the corrected payload.
        ...(base.status === 'FAILED'
          ? {
              status: base.externalSubscriptionId ? 'PENDING' : 'WAITING_FOR_CUSTOMER',
              nextAttemptAt: new Date(),
              lastError: null,
            }
          : {}),
      },
    });
    return { action: 'updated', transactionId: baseId };
  }

  // Everything queued for this session so far: the first event plus earlier corrections.
  const rows = await tx.billingEvent.findMany({
    where: { sessionId: input.sessionId, transactionId: { startsWith: baseId } },
    select: { transactionId: true, payload: true, status: true },
  });
  const queuedKwh = rows.filter((r) => r.status !== 'FAILED').reduce((sum, r) => sum + kwhOf(r.payload), 0);
  const delta = roundKwh(kwhOf(input.payload) - queuedKwh);
  if (delta === 0) return { action: 'unchanged', transactionId: baseId };
  if (delta < 0) {
    await upsertAlert(tx, {
      severity: 'CRITICAL',
      kind: 'billing.negative_correction',
      dedupeKey: `billing.negative_correction:${baseId}`,
      subjectType: 'BillingEvent',
      subjectId: baseId,
      message: `Session ${input.steveTransactionPk} was corrected to ${kwhOf(input.payload)} kWh after ${roundKwh(queuedKwh)} kWh were billed in Lago. Lago events cannot be deleted: credit ${-delta} kWh to the customer by hand.`,
    });
    return { action: 'negative', transactionId: baseId, deltaKwh: delta };
  }
  const revision = rows.length;
  const transactionId = sessionTransactionId(input.steveTransactionPk, revision);
  await tx.billingEvent.create({
    data: {
      sessionId: input.sessionId,
      transactionId,
      // A correction bills the same subscription as the first event.
      externalSubscriptionId: base.externalSubscriptionId,
      payload: {
        ...keepBilledAt(base.payload, input.payload),
        kwh: delta,
        correctionOf: baseId,
        revision,
      } as unknown as Prisma.InputJsonValue,
      status: base.externalSubscriptionId ? 'PENDING' : 'WAITING_FOR_CUSTOMER',
    },
  });
  return { action: 'correction', transactionId, deltaKwh: delta };
}

const BILLING_EVENT_INSERT_COLUMNS: BulkColumns = [
  ['id', 'text'],
  ['sessionId', 'text'],
  ['transactionId', 'text'],
  ['externalSubscriptionId', 'text'],
  ['payload', 'jsonb'],
  ['status', '"BillingEventStatus"'],
  ['nextAttemptAt', 'timestamp(3)'],
  ['createdAt', 'timestamp(3)'],
  ['updatedAt', 'timestamp(3)'],
];

/**
 * `recordSessionUsage` for many sessions at once (a sync page of completed sessions): one read and
 * one multi-row insert for every session without an event yet — the usual case — so the statement
 * count does not grow with the page. A session that already has its first event goes through
 * `recordSessionUsage` one by one (same rules: in-place update, correction or alert).
 */
export async function recordSessionUsages(
  tx: BillingTx,
  inputs: SessionUsageInput[],
): Promise<SessionUsageOutcome[]> {
  if (inputs.length === 0) return [];
  const baseIds = inputs.map((input) => sessionTransactionId(input.steveTransactionPk));
  const existing = await tx.billingEvent.findMany({
    where: { transactionId: { in: baseIds } },
    select: { transactionId: true },
  });
  const taken = new Set(existing.map((e) => e.transactionId));
  const fresh = inputs.filter((_, i) => !taken.has(baseIds[i]!) && baseIds.indexOf(baseIds[i]!) === i);
  if (fresh.length) {
    // One multi-row INSERT (no ON CONFLICT: a row appearing meanwhile fails the caller's
    // transaction instead of being lost). Same columns and values as recordSessionUsage's create.
    const now = new Date();
    await bulkInsert(
      tx,
      'BillingEvent',
      BILLING_EVENT_INSERT_COLUMNS,
      fresh.map((input) => {
        const externalSubscriptionId = input.customerExternalId
          ? subscriptionIdFor(input.customerExternalId)
          : null;
        return {
          id: uuidv7({ msecs: now.getTime() }),
          sessionId: input.sessionId,
          transactionId: sessionTransactionId(input.steveTransactionPk),
          externalSubscriptionId,
          payload: input.payload,
          status: externalSubscriptionId ? 'PENDING' : 'WAITING_FOR_CUSTOMER',
          nextAttemptAt: now,
          createdAt: now,
          updatedAt: now,
        };
      }),
    );
  }
  const outcomes: SessionUsageOutcome[] = [];
  const created = new Set(fresh);
  for (const input of inputs) {
    if (created.has(input)) {
      outcomes.push({ action: 'created', transactionId: sessionTransactionId(input.steveTransactionPk) });
    } else {
      outcomes.push(await recordSessionUsage(tx, input));
    }
  }
  return outcomes;
}

// ---------------------------------------------------------------------------------------------
// Waiting for a customer

/**
 * A card got a customer: its sessions' WAITING_FOR_CUSTOMER events become PENDING, billed to that
 * customer's subscription. Call it inside the mapping transaction. Returns how many were released.
 *
 * `billableFrom`: the first moment the subscription still bills (its start or the start of its open
 * billing period, whichever is later; see the port's `billableFrom`). Events of sessions that ended
 * earlier get it as their timestamp (`billedAt`), so Lago bills them in the open period instead of
 * storing them where nothing is invoiced any more. Default: `now`.
 */
export async function releaseWaitingEventsForCard(
  tx: Pick<Db, 'billingEvent' | '$executeRaw'>,
  card: { id: string; idTag: string },
  customerExternalId: string,
  now: Date = new Date(),
  billableFrom: Date = now,
): Promise<number> {
  const from = billableFrom.toISOString();
  // Stop times are stored as toISOString() text, which sorts like the instants it names.
  await tx.$executeRaw`
    UPDATE "BillingEvent" AS b
       SET "payload" = b."payload" || jsonb_build_object('billedAt', ${from}::text)
      FROM "ChargingSession" AS s
     WHERE s."id" = b."sessionId"
       AND b."status" = 'WAITING_FOR_CUSTOMER'
       AND (s."cardId" = ${card.id} OR (s."cardId" IS NULL AND s."idTag" = ${card.idTag}))
       AND b."payload"->>'stoppedAt' < ${from}`;
  const { count } = await tx.billingEvent.updateMany({
    where: {
      status: 'WAITING_FOR_CUSTOMER',
      session: { OR: [{ cardId: card.id }, { cardId: null, idTag: card.idTag }] },
    },
    data: {
      status: 'PENDING',
      externalSubscriptionId: subscriptionIdFor(customerExternalId),
      nextAttemptAt: now,
    },
  });
  return count;
}

/**
 * Safety net for a race the mapping transaction cannot see: an event written as WAITING by a sync
 * run that read the card just before it was mapped. Releases every waiting event whose card has a
 * customer now. Run periodically by the worker.
 */
export async function releaseWaitingEvents(
  db: Pick<Db, 'billingEvent' | 'evCard' | '$executeRaw'>,
  now: Date = new Date(),
): Promise<number> {
  const waiting = await db.billingEvent.findMany({
    where: { status: 'WAITING_FOR_CUSTOMER' },
    select: {
      id: true,
      session: { select: { idTag: true, card: { select: { customer: { select: { externalId: true } } } } } },
    },
    orderBy: { createdAt: 'asc' },
    take: 1000,
  });
  if (waiting.length === 0) return 0;
  const byTag = new Map<string, string>();
  const unknownTags = [...new Set(waiting.filter((w) => !w.session.card).map((w) => w.session.idTag))];
  if (unknownTags.length > 0) {
    const cards = await db.evCard.findMany({
      where: { idTag: { in: unknownTags }, customerId: { not: null } },
      select: { idTag: true, customer: { select: { externalId: true } } },
    });
    for (const c of cards) if (c.customer) byTag.set(c.idTag, c.customer.externalId);
  }
  const idsByCustomer = new Map<string, string[]>();
  for (const w of waiting) {
    const externalId =
      w.session.card?.customer?.externalId ?? (w.session.card ? undefined : byTag.get(w.session.idTag));
    if (!externalId) continue;
    const ids = idsByCustomer.get(externalId) ?? [];
    ids.push(w.id);
    idsByCustomer.set(externalId, ids);
  }
  let released = 0;
  // Without Lago's answer at hand, the release time is the bound (inside the subscription the
  // mapping ensured, and in its open billing period).
  const from = new Date(Math.ceil(now.getTime() / 1000) * 1000).toISOString();
  for (const [externalId, ids] of idsByCustomer) {
    await db.$executeRaw`
      UPDATE "BillingEvent"
         SET "payload" = "payload" || jsonb_build_object('billedAt', ${from}::text)
       WHERE "id" = ANY(${ids}) AND "status" = 'WAITING_FOR_CUSTOMER' AND "payload"->>'stoppedAt' < ${from}`;
    const { count } = await db.billingEvent.updateMany({
      where: { id: { in: ids }, status: 'WAITING_FOR_CUSTOMER' },
      data: { status: 'PENDING', externalSubscriptionId: subscriptionIdFor(externalId), nextAttemptAt: now },
    });
    released += count;
  }
  return released;
}

/** Puts FAILED events back in the queue (after the cause was fixed in Lago). Returns how many. */
export async function retryFailedBillingEvents(
  db: Pick<Db, 'billingEvent'>,
  ids?: string[],
): Promise<number> {
  const { count } = await db.billingEvent.updateMany({
    where: { status: 'FAILED', externalSubscriptionId: { not: null }, ...(ids ? { id: { in: ids } } : {}) },
    data: { status: 'PENDING', nextAttemptAt: new Date(), lastError: null },
  });
  return count;
}

// ---------------------------------------------------------------------------------------------
// Alerts

export interface AlertInput {
  severity: AlertSeverity;
  kind: string;
  message: string;
  dedupeKey: string;
  subjectType?: string;
  subjectId?: string;
}

/**
 * Raises an alert once per dedupeKey: an open alert only gets its message refreshed; a resolved one
 * is reopened (unread again). Returns true when people should be told (new or reopened).
 */
export async function upsertAlert(db: Pick<Db, 'alert'>, input: AlertInput): Promise<boolean> {
  const existing = await db.alert.findUnique({ where: { dedupeKey: input.dedupeKey } });
  if (existing && existing.resolvedAt === null) {
    if (existing.message !== input.message || existing.severity !== input.severity) {
      await db.alert.update({
        where: { id: existing.id },
        data: { message: input.message, severity: input.severity },
      });
    }
    return false;
  }
  const data = {
    severity: input.severity,
    kind: input.kind,
    message: input.message,
    subjectType: input.subjectType ?? null,
    subjectId: input.subjectId ?? null,
  };
  await db.alert.upsert({
    where: { dedupeKey: input.dedupeKey },
    create: { ...data, dedupeKey: input.dedupeKey },
    update: { ...data, createdAt: new Date(), readAt: null, resolvedAt: null },
  });
  return true;
}

/** Marks the open alert with this dedupeKey resolved (no-op when there is none). */
export async function resolveAlert(db: Pick<Db, 'alert'>, dedupeKey: string): Promise<boolean> {
  const { count } = await db.alert.updateMany({
    where: { dedupeKey, resolvedAt: null },
    data: { resolvedAt: new Date() },
  });
  return count > 0;
}

export async function raiseAlert(
  deps: { db: Pick<Db, 'alert'>; pubsub?: PubSub | undefined },
  input: AlertInput,
): Promise<void> {
  if ((await upsertAlert(deps.db, input)) && deps.pubsub) {
    deps.pubsub.publish('alerts:changed', { at: new Date().toISOString() });
  }
}

// ---------------------------------------------------------------------------------------------
// Health

/** Billing's state for the Health card: backlog, waiting, failed, and the warnings they imply. */
export async function billingHealth(
  deps: { db: Pick<Db, 'billingEvent'> },
  options: { stuckAfterMs?: number; now?: Date } = {},
): Promise<BillingHealth> {
  const now = options.now ?? new Date();
  const stuckAfterMs = options.stuckAfterMs ?? BILLING_DEFAULTS.stuckAfterMs;
  const [groups, retrying] = await Promise.all([
    deps.db.billingEvent.groupBy({
      by: ['status'],
      _count: { _all: true },
      _min: { createdAt: true },
    }),
    // Pending events whose last delivery failed: Lago is not answering (or answering with errors).
    deps.db.billingEvent.count({ where: { status: 'PENDING', lastError: { not: null } } }),
  ]);
  const of = (status: string) => groups.find((g) => g.status === status);
  const age = (status: string) => {
    const oldest = of(status)?._min.createdAt;
    return oldest ? Math.max(0, now.getTime() - oldest.getTime()) : null;
  };
  const health: BillingHealth = {
    pending: of('PENDING')?._count._all ?? 0,
    oldestPendingAgeMs: age('PENDING'),
    waitingForCustomer: of('WAITING_FOR_CUSTOMER')?._count._all ?? 0,
    oldestWaitingAgeMs: age('WAITING_FOR_CUSTOMER'),
    failed: of('FAILED')?._count._all ?? 0,
    delivered: of('DELIVERED')?._count._all ?? 0,
    warnings: [],
  };
  if (health.oldestPendingAgeMs !== null && health.oldestPendingAgeMs > stuckAfterMs) {
    health.warnings.push({
      kind: 'billing.backlog',
      severity: 'WARNING',
      count: health.pending,
      message: `${plural(health.pending, 'usage event')} not yet accepted by Lago; the oldest has waited ${formatDuration(health.oldestPendingAgeMs)}.`,
    });
  } else if (retrying > 0) {
    // Not stuck yet, but the outbox is already retrying: say so, with the same count the outbox has.
    health.warnings.push({
      kind: 'billing.retrying',
      severity: 'INFO',
      count: health.pending,
      message: `Lago did not accept the last delivery: ${plural(health.pending, 'usage event')} waiting, retried automatically.`,
    });
  }
  if (health.waitingForCustomer > 0) {
    health.warnings.push({
      kind: 'billing.waiting_for_customer',
      severity:
        health.oldestWaitingAgeMs !== null && health.oldestWaitingAgeMs > stuckAfterMs ? 'WARNING' : 'INFO',
      count: health.waitingForCustomer,
      message: `${plural(health.waitingForCustomer, 'finished session')} cannot be billed until ${pluralWord(health.waitingForCustomer, { one: 'its EV card is', other: 'their EV cards are' })} mapped to a Lago customer.`,
    });
  }
  if (health.failed > 0) {
    health.warnings.push({
      kind: 'billing.failed',
      severity: 'CRITICAL',
      count: health.failed,
      message: `${plural(health.failed, 'usage event')} rejected by Lago and not billed; see the alerts for details.`,
    });
  }
  return health;
}

/** Just the warnings (what the Health card rolls up). */
export async function billingHealthWarnings(
  deps: { db: Pick<Db, 'billingEvent'> },
  options: { stuckAfterMs?: number; now?: Date } = {},
): Promise<HealthWarning[]> {
  return (await billingHealth(deps, options)).warnings;
}

// ---------------------------------------------------------------------------------------------
// Usage read-back

/**
 * The customer's usage in the open billing period, straight from Lago (null when Lago does not know
 * the customer or its subscription). Throws LagoUnavailableError when Lago cannot be reached.
 */
export async function currentUsageForCustomer(
  services: { lago: LagoPort },
  customerExternalId: string,
): Promise<CurrentUsage | null> {
  return callLago(() => services.lago.getCurrentUsage(customerExternalId));
}
