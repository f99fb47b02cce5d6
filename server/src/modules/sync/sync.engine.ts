import { randomInt } from 'node:crypto';
import type {
  Prisma,
  ReservationStatus,
  SyncSchedule,
  SyncSegmentKind,
  SyncTrigger,
} from '../../generated/prisma/client.ts';
import { isSteveError } from '../../integrations/steve/errors.ts';
import {
  compareTimeCursor,
  DEFAULT_PAGE_SIZE,
  SYNC_OVERLAP,
  type StevePort,
  type SteveReservation,
  type SteveTransaction,
  type TimeCursor,
} from '../../integrations/steve/port.ts';
import { deriveChargerState, effectiveReservationStatus } from '../../integrations/steve/state.ts';
import type { Db } from '../../lib/db.ts';
import { recordSessionUsage, type SessionUsagePayload } from '../billing/billing.service.ts';
import type { Logger } from '../../lib/logger.ts';
import type { PubSub } from '../../lib/pubsub.ts';
import { DEFAULT_CADENCE, decideCadence, type ActivityFacts, type CadenceIntervals } from './cadence.ts';

type Tx = Prisma.TransactionClient;

/** The order segments run in: later ones rely on rows the earlier ones wrote. */
export const SEGMENT_ORDER: readonly SyncSegmentKind[] = [
  'CHARGERS',
  'CONNECTOR_STATUS',
  'TAGS',
  'TRANSACTIONS',
  'METER_VALUES',
  'RESERVATIONS',
];

/** A start request this recent, for the same charger and card, is what caused a new session. */
export const START_REQUEST_LINK_WINDOW_MS = 10 * 60_000;

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

export interface SyncRunResult {
  runId: string;
  status: 'SUCCEEDED' | 'FAILED';
  error: string | null;
  durationMs: number;
  schedule: SyncSchedule;
}

export interface RunOptions {
  trigger: SyncTrigger;
  requestedById?: string | null;
}

/** Thrown inside a segment to fail it with a message that names the SteVe error code. */
class SegmentError extends Error {
  constructor(
    readonly kind: SyncSegmentKind,
    readonly code: string | null,
    message: string,
  ) {
    super(`${kind}: ${code ? `[${code}] ` : ''}${message}`);
  }
}

interface SegmentContext {
  runId: string;
  segmentId: string;
  kind: SyncSegmentKind;
  processed: number;
  total: number | null;
  /** Things skipped (not fatal) to report on the segment. */
  notes: string[];
}

interface RunState {
  /** Sessions that completed in this run: METER_VALUES reads their last samples once more. */
  completedSessionIds: Set<string>;
  /** Sessions whose data changed: published once at the end of their segment. */
  changedSessions: Map<string, string | null>;
  changedStartRequests: Set<string>;
}

/**
 * Pulls SteVe's state into Polaris in ordered, idempotent segments. Every page of data is written in
 * one short DB transaction together with its keyset cursor and the segment's progress; SteVe is
 * never awaited while a transaction is open.
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
    this.#inFlight ??= this.#run(options).finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  /** The single SyncSchedule row, created on first use. */
  async getSchedule(): Promise<SyncSchedule> {
    const existing = await this.db.syncSchedule.findUnique({ where: { id: 1 } });
    if (existing) return existing;
    // ON CONFLICT DO NOTHING: several instances may create it at the same moment.
    await this.db.syncSchedule.createMany({
      data: [{ id: 1, tier: 'IDLE', intervalMs: this.cadence.idleMs, nextRunAt: this.now() }],
      skipDuplicates: true,
    });
    return this.db.syncSchedule.findUniqueOrThrow({ where: { id: 1 } });
  }

  /** Moves the next run forward to now (an immediate run has been requested). */
  async markImmediate(): Promise<SyncSchedule> {
    await this.getSchedule();
    return this.db.syncSchedule.update({ where: { id: 1 }, data: { nextRunAt: this.now() } });
  }

  /** What the cadence looks at: live sessions, pending starts and the latest activity. */
  async activityFacts(now = this.now()): Promise<ActivityFacts> {
    const since = new Date(now.getTime() - this.cadence.pendingStartWindowMs);
    const [activeSessions, pendingStartRequests, started, stopped, requested, changed, reserved] =
      await Promise.all([
        this.db.chargingSession.count({ where: { status: 'ACTIVE' } }),
        this.db.startRequest.count({ where: { outcome: 'PENDING', createdAt: { gte: since } } }),
        this.db.chargingSession.aggregate({ _max: { startedAt: true } }),
        this.db.chargingSession.aggregate({ _max: { stoppedAt: true } }),
        this.db.startRequest.aggregate({ _max: { createdAt: true } }),
        this.db.charger.aggregate({ _max: { stateChangedAt: true } }),
        this.db.reservation.aggregate({ _max: { statusAt: true } }),
      ]);
    const candidates = [
      started._max.startedAt,
      stopped._max.stoppedAt,
      requested._max.createdAt,
      changed._max.stateChangedAt,
      reserved._max.statusAt,
    ].filter((d): d is Date => d instanceof Date);
    const lastActivityAt = candidates.length
      ? new Date(Math.max(...candidates.map((d) => d.getTime())))
      : null;
    return { activeSessions, pendingStartRequests, lastActivityAt };
  }

  // ─────────────────────────────────────────── run ───────────────────────────────────────────

  async #run(options: RunOptions): Promise<SyncRunResult> {
    const startedAt = this.now();
    const t0 = performance.now();
    const schedule = await this.getSchedule();
    await this.#closeInterruptedRuns(startedAt);

    const run = await this.db.syncRun.create({
      data: {
        trigger: options.trigger,
        tier: schedule.tier,
        requestedById: options.requestedById ?? null,
        startedAt,
        segments: { create: SEGMENT_ORDER.map((kind, position) => ({ kind, position })) },
      },
      include: { segments: true },
    });
    const segmentIds = new Map(run.segments.map((s) => [s.kind, s.id]));
    this.#publishProgress(run.id);

    const state: RunState = {
      completedSessionIds: new Set(),
      changedSessions: new Map(),
      changedStartRequests: new Set(),
    };
    let failure: SegmentError | null = null;

    for (const kind of SEGMENT_ORDER) {
      const segmentId = segmentIds.get(kind)!;
      if (failure) {
        await this.db.syncSegment.update({ where: { id: segmentId }, data: { status: 'SKIPPED' } });
        continue;
      }
      const ctx: SegmentContext = { runId: run.id, segmentId, kind, processed: 0, total: null, notes: [] };
      await this.db.syncSegment.update({
        where: { id: segmentId },
        data: { status: 'RUNNING', startedAt: this.now() },
      });
      this.#publishProgress(run.id);
      try {
        await this.#segment(kind, ctx, state);
        await this.db.syncSegment.update({
          where: { id: segmentId },
          data: {
            status: 'SUCCEEDED',
            processed: ctx.processed,
            total: ctx.total ?? ctx.processed,
            error: ctx.notes.length ? ctx.notes.slice(0, 20).join('; ') : null,
            finishedAt: this.now(),
          },
        });
      } catch (error) {
        failure = toSegmentError(kind, error);
        this.#logger.warn({ runId: run.id, segment: kind, err: failure.message }, 'sync segment failed');
        await this.db.syncSegment.update({
          where: { id: segmentId },
          data: {
            status: 'FAILED',
            processed: ctx.processed,
            error: failure.message,
            finishedAt: this.now(),
          },
        });
      } finally {
        this.#publishSessions(state);
      }
      this.#publishProgress(run.id);
    }

    const finishedAt = this.now();
    await this.db.syncRun.update({
      where: { id: run.id },
      data: { status: failure ? 'FAILED' : 'SUCCEEDED', error: failure?.message ?? null, finishedAt },
    });
    const next = await this.#updateSchedule(failure, finishedAt);
    this.#publishProgress(run.id);
    const durationMs = Math.round(performance.now() - t0);
    this.#logger.info(
      {
        runId: run.id,
        trigger: options.trigger,
        status: failure ? 'FAILED' : 'SUCCEEDED',
        durationMs,
        nextTier: next.tier,
      },
      'sync run finished',
    );
    return {
      runId: run.id,
      status: failure ? 'FAILED' : 'SUCCEEDED',
      error: failure?.message ?? null,
      durationMs,
      schedule: next,
    };
  }

  /** Under the queue's one-at-a-time policy a RUNNING run we did not start was cut off by a crash. */
  async #closeInterruptedRuns(now: Date): Promise<void> {
    const stale = await this.db.syncRun.findMany({ where: { status: 'RUNNING' }, select: { id: true } });
    if (stale.length === 0) return;
    const ids = stale.map((r) => r.id);
    await this.db.$transaction([
      this.db.syncSegment.updateMany({
        where: { runId: { in: ids }, status: 'RUNNING' },
        data: { status: 'FAILED', error: 'Interrupted', finishedAt: now },
      }),
      this.db.syncSegment.updateMany({
        where: { runId: { in: ids }, status: 'PENDING' },
        data: { status: 'SKIPPED' },
      }),
      this.db.syncRun.updateMany({
        where: { id: { in: ids } },
        data: { status: 'FAILED', error: 'Interrupted: the instance running it stopped', finishedAt: now },
      }),
    ]);
  }

  async #updateSchedule(failure: SegmentError | null, now: Date): Promise<SyncSchedule> {
    const current = await this.getSchedule();
    if (failure) {
      const consecutiveFailures = current.consecutiveFailures + 1;
      const decision = decideCadence({ consecutiveFailures, facts: null, now }, this.cadence);
      return this.db.syncSchedule.update({
        where: { id: 1 },
        data: {
          tier: decision.tier,
          intervalMs: decision.intervalMs,
          nextRunAt: decision.nextRunAt,
          consecutiveFailures,
          lastFailureAt: now,
          lastError: failure.message,
        },
      });
    }
    const facts = await this.activityFacts(now);
    const decision = decideCadence({ consecutiveFailures: 0, facts, now }, this.cadence);
    return this.db.syncSchedule.update({
      where: { id: 1 },
      data: {
        tier: decision.tier,
        intervalMs: decision.intervalMs,
        nextRunAt: decision.nextRunAt,
        consecutiveFailures: 0,
        lastSuccessAt: now,
      },
    });
  }

  #segment(kind: SyncSegmentKind, ctx: SegmentContext, state: RunState): Promise<void> {
    switch (kind) {
      case 'CHARGERS':
        return this.#syncChargers(ctx);
      case 'CONNECTOR_STATUS':
        return this.#syncConnectorStatus(ctx);
      case 'TAGS':
        return this.#syncTags(ctx);
      case 'TRANSACTIONS':
        return this.#syncTransactions(ctx, state);
      case 'METER_VALUES':
        return this.#syncMeterValues(ctx, state);
      case 'RESERVATIONS':
        return this.#syncReservations(ctx);
    }
  }

  /** Writes the segment's progress inside the page's transaction, so progress never runs ahead of data. */
  async #progress(tx: Tx, ctx: SegmentContext): Promise<void> {
    await tx.syncSegment.update({
      where: { id: ctx.segmentId },
      data: { processed: ctx.processed, ...(ctx.total !== null ? { total: ctx.total } : {}) },
    });
  }

  #publishProgress(runId: string): void {
    this.#pubsub.publish('sync:progress', { runId });
  }

  #publishSessions(state: RunState): void {
    for (const [sessionId, driverId] of state.changedSessions) {
      this.#pubsub.publish('session:updated', { sessionId });
      if (driverId) this.#pubsub.publish('driver:session', driverId, { sessionId });
    }
    state.changedSessions.clear();
    for (const startRequestId of state.changedStartRequests) {
      this.#pubsub.publish('startRequest:updated', startRequestId, { startRequestId });
    }
    state.changedStartRequests.clear();
  }

  // ───────────────────────────────────────── CHARGERS ─────────────────────────────────────────

  async #syncChargers(ctx: SegmentContext): Promise<void> {
    const now = this.now();
    const seen = new Set<string>();
    let afterPk = 0;
    for (;;) {
      const page = await this.steve.listChargePoints({ afterPk, limit: this.#pageSize });
      await this.db.$transaction(async (tx) => {
        const ids = page.items.map((cp) => cp.chargeBoxId);
        // A SteVe key belongs to whichever charge point holds it now (a restored SteVe database, a
        // restarted simulator): release it from any other charger before upserting.
        await tx.charger.updateMany({
          where: { stevePk: { in: page.items.map((cp) => cp.pk) }, chargeBoxId: { notIn: ids } },
          data: { stevePk: null },
        });
        const existing = await tx.charger.findMany({ where: { chargeBoxId: { in: ids } } });
        const byBox = new Map(existing.map((c) => [c.chargeBoxId, c]));
        const unchanged: string[] = [];
        const chargerIds = new Map<string, string>();
        for (const cp of page.items) {
          seen.add(cp.chargeBoxId);
          const data = {
            stevePk: cp.pk,
            description: cp.description,
            vendor: cp.vendor,
            model: cp.model,
            registrationStatus: cp.registrationStatus,
            lastHeartbeatAt: cp.lastHeartbeatAt,
          };
          const row = byBox.get(cp.chargeBoxId);
          if (!row) {
            const created = await tx.charger.create({
              data: {
                ...data,
                chargeBoxId: cp.chargeBoxId,
                firstSeenAt: now,
                lastSeenAt: now,
                stateChangedAt: now,
              },
              select: { id: true },
            });
            chargerIds.set(cp.chargeBoxId, created.id);
            continue;
          }
          chargerIds.set(cp.chargeBoxId, row.id);
          const changed =
            row.stevePk !== data.stevePk ||
            row.description !== data.description ||
            row.vendor !== data.vendor ||
            row.model !== data.model ||
            row.registrationStatus !== data.registrationStatus ||
            row.lastHeartbeatAt?.getTime() !== data.lastHeartbeatAt?.getTime() ||
            row.goneAt !== null;
          if (changed) {
            // goneAt: null revives a charge point that came back.
            await tx.charger.update({
              where: { id: row.id },
              data: { ...data, lastSeenAt: now, goneAt: null },
            });
          } else {
            unchanged.push(row.id);
          }
        }
        if (unchanged.length) {
          await tx.charger.updateMany({ where: { id: { in: unchanged } }, data: { lastSeenAt: now } });
        }

        const connectors = await tx.connector.findMany({
          where: { chargerId: { in: [...chargerIds.values()] } },
          select: { id: true, chargerId: true, connectorId: true, maxPowerKw: true },
        });
        const byKey = new Map(connectors.map((c) => [`${c.chargerId}:${c.connectorId}`, c]));
        const toCreate: Prisma.ConnectorCreateManyInput[] = [];
        for (const cp of page.items) {
          const chargerId = chargerIds.get(cp.chargeBoxId)!;
          for (const conn of cp.connectors) {
            if (conn.connectorId < 1) continue;
            const maxPowerKw = conn.maxPowerW === null ? null : conn.maxPowerW / 1000;
            const row = byKey.get(`${chargerId}:${conn.connectorId}`);
            if (!row) toCreate.push({ chargerId, connectorId: conn.connectorId, maxPowerKw });
            else if (row.maxPowerKw !== maxPowerKw) {
              await tx.connector.update({ where: { id: row.id }, data: { maxPowerKw } });
            }
          }
        }
        if (toCreate.length) await tx.connector.createMany({ data: toCreate, skipDuplicates: true });
        ctx.processed += page.items.length;
        await this.#progress(tx, ctx);
      });
      this.#publishProgress(ctx.runId);
      if (!page.hasMore) break;
      afterPk = page.cursor;
    }

    // SteVe hard-deletes charge points: whatever it no longer lists is gone (kept, never deleted).
    const present = await this.db.charger.findMany({
      where: { goneAt: null },
      select: { id: true, chargeBoxId: true },
    });
    const gone = present.filter((c) => !seen.has(c.chargeBoxId)).map((c) => c.id);
    if (gone.length) {
      await this.db.charger.updateMany({ where: { id: { in: gone } }, data: { goneAt: now } });
      ctx.notes.push(`${gone.length} charge point(s) no longer in SteVe, marked gone`);
    }
    ctx.total = ctx.processed;
  }

  // ───────────────────────────────────── CONNECTOR_STATUS ─────────────────────────────────────

  async #syncConnectorStatus(ctx: SegmentContext): Promise<void> {
    const now = this.now();
    const statuses = new Map<string, { connectorId: number; status: string | null }[]>();
    let afterPk = 0;
    for (;;) {
      const page = await this.steve.listConnectorStatuses({ afterPk, limit: this.#pageSize });
      for (const st of page.items) {
        const list = statuses.get(st.chargeBoxId) ?? [];
        list.push({ connectorId: st.connectorId, status: st.status });
        statuses.set(st.chargeBoxId, list);
      }
      await this.db.$transaction(async (tx) => {
        const boxes = [...new Set(page.items.map((s) => s.chargeBoxId))];
        const chargers = await tx.charger.findMany({
          where: { chargeBoxId: { in: boxes } },
          select: { id: true, chargeBoxId: true },
        });
        const chargerIds = new Map(chargers.map((c) => [c.chargeBoxId, c.id]));
        const connectors = await tx.connector.findMany({
          where: { chargerId: { in: chargers.map((c) => c.id) } },
        });
        const byKey = new Map(connectors.map((c) => [`${c.chargerId}:${c.connectorId}`, c]));
        for (const st of page.items) {
          if (st.connectorId < 1 || st.status === null) continue;
          const chargerId = chargerIds.get(st.chargeBoxId);
          if (!chargerId) continue;
          const data = {
            status: st.status,
            errorCode: st.errorCode,
            errorInfo: st.errorInfo,
            statusAt: st.statusAt,
          };
          const row = byKey.get(`${chargerId}:${st.connectorId}`);
          if (!row) {
            await tx.connector.create({ data: { ...data, chargerId, connectorId: st.connectorId } });
          } else if (
            row.status !== data.status ||
            row.errorCode !== data.errorCode ||
            row.errorInfo !== data.errorInfo ||
            row.statusAt?.getTime() !== data.statusAt?.getTime()
          ) {
            await tx.connector.update({ where: { id: row.id }, data });
          }
        }
        ctx.processed += page.items.length;
        await this.#progress(tx, ctx);
      });
      this.#publishProgress(ctx.runId);
      if (!page.hasMore) break;
      afterPk = page.cursor;
    }

    // Derive the product state of every charger; a gone one is OFFLINE whatever it last said.
    const chargers = await this.db.charger.findMany({
      select: {
        id: true,
        chargeBoxId: true,
        lastHeartbeatAt: true,
        registrationStatus: true,
        goneAt: true,
        state: true,
      },
    });
    const changes = chargers
      .map((c) => {
        const state = c.goneAt
          ? 'OFFLINE'
          : deriveChargerState({
              lastHeartbeatAt: c.lastHeartbeatAt,
              connectors: statuses.get(c.chargeBoxId) ?? [],
              registrationStatus: c.registrationStatus,
              now,
              ...(this.#offlineAfterMs !== undefined ? { offlineAfterMs: this.#offlineAfterMs } : {}),
            });
        return { id: c.id, state, previous: c.state };
      })
      .filter((c) => c.state !== c.previous);
    if (changes.length) {
      await this.db.$transaction(
        changes.map((c) =>
          this.db.charger.update({ where: { id: c.id }, data: { state: c.state, stateChangedAt: now } }),
        ),
      );
      for (const c of changes) this.#pubsub.publish('charger:stateChanged', { chargerId: c.id });
    }
    ctx.total = ctx.processed;
  }

  // ─────────────────────────────────────────── TAGS ───────────────────────────────────────────

  async #syncTags(ctx: SegmentContext): Promise<void> {
    const now = this.now();
    const saved = await readTimeCursor(this.db, 'TAGS');
    let cursor = saved;
    let after: TimeCursor | null = saved ? overlapCursor(saved) : null;
    for (;;) {
      const page = await this.steve.listTags({ after, limit: this.#pageSize });
      cursor = maxCursor(cursor, page.items.length ? page.cursor : null);
      const pageCursor = cursor;
      await this.db.$transaction(async (tx) => {
        const cards = await findCardsByIdTag(
          tx,
          page.items.map((t) => t.idTag),
        );
        const alerts: Prisma.AlertCreateManyInput[] = [];
        const newTags = page.items.filter((t) => !cards.has(t.idTag.toLowerCase()));
        const publicIds = await allocatePublicIds(tx, newTags.length);
        for (const tag of page.items) {
          const card = cards.get(tag.idTag.toLowerCase());
          if (!card) {
            // Unknown to Polaris (created in SteVe or auto-inserted by a station): import for review.
            await tx.evCard.updateMany({ where: { steveTagPk: tag.pk }, data: { steveTagPk: null } });
            await tx.evCard.create({
              data: {
                idTag: tag.idTag,
                publicId: publicIds.pop()!,
                origin: 'STEVE',
                status: 'PENDING',
                steveTagPk: tag.pk,
              },
            });
            continue;
          }
          if (card.steveTagPk !== tag.pk) {
            await tx.evCard.updateMany({
              where: { steveTagPk: tag.pk, NOT: { id: card.id } },
              data: { steveTagPk: null },
            });
            await tx.evCard.update({ where: { id: card.id }, data: { steveTagPk: tag.pk } });
          }
          const expired = tag.expiryDate !== null && tag.expiryDate.getTime() <= now.getTime();
          if (card.status === 'ACTIVE' && (tag.blocked || expired)) {
            // Only recorded: SteVe refuses the tag anyway, an operator decides what the card becomes.
            const what = tag.blocked ? 'blocked' : 'expired';
            alerts.push({
              severity: 'WARNING',
              kind: 'card.steveTagRefused',
              message: `EV card ${card.publicId} is active in Polaris but its tag is ${what} in SteVe.`,
              subjectType: 'EvCard',
              subjectId: card.publicId,
              dedupeKey: `steve-tag-${what}:${card.id}:${tag.updatedAt?.toISOString() ?? tag.expiryDate?.toISOString() ?? ''}`,
            });
          }
        }
        if (alerts.length) await tx.alert.createMany({ data: alerts, skipDuplicates: true });
        if (pageCursor) await writeCursor(tx, 'TAGS', cursorJson(pageCursor));
        ctx.processed += page.items.length;
        await this.#progress(tx, ctx);
      });
      this.#publishProgress(ctx.runId);
      if (!page.hasMore) break;
      after = page.cursor;
    }
    ctx.total = ctx.processed;
  }

  // ─────────────────────────────────────── TRANSACTIONS ───────────────────────────────────────

  async #syncTransactions(ctx: SegmentContext, state: RunState): Promise<void> {
    const saved = await readTransactionCursor(this.db);
    let lastPk = saved.lastPk;
    let stop = saved.stop;

    // New starts by pk; re-read a window below the last pk once per run (out-of-order commits).
    let afterPk = Math.max(0, lastPk - SYNC_OVERLAP.transactionPks);
    for (;;) {
      const page = await this.steve.listTransactions({ afterPk, limit: this.#pageSize });
      lastPk = Math.max(lastPk, page.items.length ? page.cursor : 0);
      await this.#applyTransactions(ctx, state, page.items, { lastPk, stop });
      if (!page.hasMore) break;
      afterPk = page.cursor;
    }

    // Stops (and superseded stops) by stop-event time.
    let after: TimeCursor | null = stop ? overlapCursor(stop) : null;
    for (;;) {
      const page = await this.steve.listStoppedTransactions({ after, limit: this.#pageSize });
      stop = maxCursor(stop, page.items.length ? page.cursor : null);
      await this.#applyTransactions(ctx, state, page.items, { lastPk, stop });
      if (!page.hasMore) break;
      after = page.cursor;
    }

    // Sessions still ACTIVE here: ask SteVe directly, which also catches transactions it deleted.
    const active = await this.db.chargingSession.findMany({
      where: { status: 'ACTIVE' },
      select: { id: true, steveTransactionPk: true, latestMeterWh: true, meterStartWh: true, driverId: true },
    });
    for (let i = 0; i < active.length; i += this.#pageSize) {
      const chunk = active.slice(i, i + this.#pageSize);
      const found = await this.steve.getTransactions(chunk.map((s) => s.steveTransactionPk));
      await this.#applyTransactions(ctx, state, found, { lastPk, stop });
      const known = new Set(found.map((t) => t.pk));
      const vanished = chunk.filter((s) => !known.has(s.steveTransactionPk));
      if (vanished.length) await this.#closeVanished(vanished, state);
    }
    ctx.total = ctx.processed;
  }

  async #applyTransactions(
    ctx: SegmentContext,
    state: RunState,
    items: SteveTransaction[],
    cursor: { lastPk: number; stop: TimeCursor | null },
  ): Promise<void> {
    const now = this.now();
    const changed = new Map<string, string | null>();
    const startRequests: string[] = [];
    const completed: string[] = [];
    await this.db.$transaction(async (tx) => {
      const boxes = [...new Set(items.map((t) => t.chargeBoxId))];
      const chargers = await tx.charger.findMany({
        where: { chargeBoxId: { in: boxes } },
        select: { id: true, chargeBoxId: true },
      });
      const chargerIds = new Map(chargers.map((c) => [c.chargeBoxId, c.id]));
      const connectors = await tx.connector.findMany({
        where: { chargerId: { in: chargers.map((c) => c.id) } },
        select: { id: true, chargerId: true, connectorId: true },
      });
      const connectorIds = new Map(connectors.map((c) => [`${c.chargerId}:${c.connectorId}`, c.id]));
      const cards = await findCardsByIdTag(
        tx,
        items.map((t) => t.idTag),
      );
      const sessions = await tx.chargingSession.findMany({
        where: { steveTransactionPk: { in: items.map((t) => t.pk) } },
      });
      const byPk = new Map(sessions.map((s) => [s.steveTransactionPk, s]));

      for (const t of items) {
        const chargerId = chargerIds.get(t.chargeBoxId);
        if (!chargerId) {
          ctx.notes.push(`transaction ${t.pk}: unknown charge point ${t.chargeBoxId}`);
          continue;
        }
        const card = cards.get(t.idTag.toLowerCase()) ?? null;
        const stopped = t.stoppedAt !== null && t.meterStopWh !== null;
        const stopData = stopped
          ? {
              status: 'COMPLETED' as const,
              stoppedAt: t.stoppedAt,
              stopReason: t.stopReason,
              stopActor: t.stopActor,
              meterStopWh: t.meterStopWh,
              energyKwh: energyKwh(t.meterStartWh, t.meterStopWh!),
              powerKw: null,
            }
          : null;
        const existing = byPk.get(t.pk);

        if (!existing) {
          const session = await tx.chargingSession.create({
            data: {
              steveTransactionPk: t.pk,
              chargerId,
              connectorId: connectorIds.get(`${chargerId}:${t.connectorId}`) ?? null,
              connectorNumber: t.connectorId,
              idTag: t.idTag,
              cardId: card?.id ?? null,
              driverId: card?.ownerId ?? null,
              startedAt: t.startedAt,
              meterStartWh: t.meterStartWh,
              ...(stopData ?? { status: 'ACTIVE' as const }),
            },
            select: { id: true, driverId: true },
          });
          changed.set(session.id, session.driverId);
          if (card) {
            const request = await tx.startRequest.findFirst({
              where: {
                chargerId,
                cardId: card.id,
                outcome: { in: ['PENDING', 'ACCEPTED'] },
                sessionId: null,
                createdAt: { gte: new Date(now.getTime() - START_REQUEST_LINK_WINDOW_MS) },
              },
              orderBy: { createdAt: 'desc' },
              select: { id: true, decidedAt: true },
            });
            if (request) {
              await tx.startRequest.update({
                where: { id: request.id },
                data: { sessionId: session.id, outcome: 'ACCEPTED', decidedAt: request.decidedAt ?? now },
              });
              startRequests.push(request.id);
            }
          }
          if (stopped) {
            await writeBillingEvent(tx, session.id, t, card);
            completed.push(session.id);
          }
          continue;
        }

        const ownership =
          existing.cardId === null && card
            ? { cardId: card.id, driverId: existing.driverId ?? card.ownerId }
            : {};
        if (existing.status === 'ACTIVE' && stopData) {
          const session = await tx.chargingSession.update({
            where: { id: existing.id },
            data: { ...stopData, ...ownership },
            select: { id: true, driverId: true },
          });
          // The outbox row commits with the completion: exactly one per session, re-runs skip it.
          await writeBillingEvent(tx, existing.id, t, card);
          completed.push(existing.id);
          changed.set(session.id, session.driverId);
        } else if (
          existing.status === 'COMPLETED' &&
          stopData &&
          (existing.meterStopWh !== stopData.meterStopWh ||
            existing.stoppedAt?.getTime() !== stopData.stoppedAt!.getTime() ||
            existing.stopActor !== stopData.stopActor)
        ) {
          // SteVe replaced the stop (e.g. a manual stop superseded by the station's real one).
          const session = await tx.chargingSession.update({
            where: { id: existing.id },
            data: { ...stopData, ...ownership },
            select: { id: true, driverId: true },
          });
          await writeBillingEvent(tx, existing.id, t, card);
          changed.set(session.id, session.driverId);
        } else if (ownership.cardId) {
          const session = await tx.chargingSession.update({
            where: { id: existing.id },
            data: ownership,
            select: { id: true, driverId: true },
          });
          changed.set(session.id, session.driverId);
        }
      }

      await writeCursor(tx, 'TRANSACTIONS', {
        lastPk: cursor.lastPk,
        stop: cursor.stop ? cursorJson(cursor.stop) : null,
      });
      ctx.processed += items.length;
      await this.#progress(tx, ctx);
    });
    for (const [id, driver] of changed) state.changedSessions.set(id, driver);
    for (const id of completed) state.completedSessionIds.add(id);
    for (const id of startRequests) state.changedStartRequests.add(id);
    this.#publishProgress(ctx.runId);
  }

  /** Transactions SteVe no longer has (its charge point or tag was deleted): close them, bill nothing. */
  async #closeVanished(
    sessions: {
      id: string;
      steveTransactionPk: number;
      latestMeterWh: number | null;
      meterStartWh: number;
      driverId: string | null;
    }[],
    state: RunState,
  ): Promise<void> {
    const now = this.now();
    await this.db.$transaction(async (tx) => {
      for (const s of sessions) {
        await tx.chargingSession.update({
          where: { id: s.id },
          data: {
            status: 'COMPLETED',
            stoppedAt: now,
            stopReason: 'DeletedInSteve',
            meterStopWh: s.latestMeterWh,
            powerKw: null,
            ...(s.latestMeterWh !== null ? { energyKwh: energyKwh(s.meterStartWh, s.latestMeterWh) } : {}),
          },
        });
      }
      await tx.alert.createMany({
        data: sessions.map((s) => ({
          severity: 'WARNING' as const,
          kind: 'session.vanished',
          message: `SteVe no longer has transaction ${s.steveTransactionPk}; the session was closed without billing.`,
          subjectType: 'ChargingSession',
          subjectId: s.id,
          dedupeKey: `session-vanished:${s.steveTransactionPk}`,
        })),
        skipDuplicates: true,
      });
    });
    for (const s of sessions) state.changedSessions.set(s.id, s.driverId);
  }

  // ─────────────────────────────────────── METER_VALUES ───────────────────────────────────────

  async #syncMeterValues(ctx: SegmentContext, state: RunState): Promise<void> {
    const sessions = await this.db.chargingSession.findMany({
      where: { OR: [{ status: 'ACTIVE' }, { id: { in: [...state.completedSessionIds] } }] },
      select: {
        id: true,
        steveTransactionPk: true,
        status: true,
        meterStartWh: true,
        latestMeterAt: true,
        firstMeterAt: true,
        driverId: true,
      },
      orderBy: { steveTransactionPk: 'asc' },
    });
    ctx.total = sessions.length;
    for (const s of sessions) {
      let after = s.latestMeterAt ? { transactionPk: s.steveTransactionPk, at: s.latestMeterAt } : null;
      let firstMeterAt = s.firstMeterAt;
      let latestMeterAt = s.latestMeterAt;
      let changed = false;
      for (;;) {
        const page = await this.steve.listMeterValues({
          transactionPks: [s.steveTransactionPk],
          after,
          limit: this.#pageSize,
        });
        const samples = page.items.filter((m) => m.transactionPk === s.steveTransactionPk);
        const isLast = !page.hasMore;
        if (samples.length === 0 && !isLast) {
          after = page.cursor;
          continue;
        }
        await this.db.$transaction(async (tx) => {
          if (samples.length) {
            await tx.meterSample.createMany({
              data: samples.map((m) => ({
                sessionId: s.id,
                sampledAt: m.at,
                energyWh: m.energyWh,
                powerW: m.powerW,
              })),
              skipDuplicates: true,
            });
            const latestEnergy = samples.filter((m) => m.energyWh !== null).at(-1);
            const latestPower = samples.filter((m) => m.powerW !== null).at(-1);
            const newest = samples.reduce(
              (a, b) => (b.at.getTime() > a.getTime() ? b.at : a),
              samples[0]!.at,
            );
            const oldest = samples.reduce(
              (a, b) => (b.at.getTime() < a.getTime() ? b.at : a),
              samples[0]!.at,
            );
            if (!firstMeterAt || oldest < firstMeterAt) firstMeterAt = oldest;
            if (!latestMeterAt || newest > latestMeterAt) latestMeterAt = newest;
            await tx.chargingSession.update({
              where: { id: s.id },
              data: {
                firstMeterAt,
                latestMeterAt,
                ...(latestEnergy
                  ? {
                      latestMeterWh: latestEnergy.energyWh,
                      // A completed session's energy is its stop reading; samples only fill the series.
                      ...(s.status === 'ACTIVE'
                        ? { energyKwh: energyKwh(s.meterStartWh, latestEnergy.energyWh!) }
                        : {}),
                    }
                  : {}),
                ...(latestPower && s.status === 'ACTIVE' ? { powerKw: latestPower.powerW! / 1000 } : {}),
              },
            });
            changed = true;
          }
          if (isLast) ctx.processed += 1;
          await this.#progress(tx, ctx);
        });
        if (isLast) break;
        after = page.cursor;
      }
      if (changed) {
        state.changedSessions.set(s.id, s.driverId);
        this.#publishSessions(state);
        this.#publishProgress(ctx.runId);
      }
    }
    this.#publishProgress(ctx.runId);
  }

  // ─────────────────────────────────────── RESERVATIONS ───────────────────────────────────────

  async #syncReservations(ctx: SegmentContext): Promise<void> {
    const now = this.now();
    const saved = await readTimeCursor(this.db, 'RESERVATIONS');
    let cursor = saved;
    let after: TimeCursor | null = saved ? overlapCursor(saved) : null;
    for (;;) {
      const page = await this.steve.listReservations({ after, limit: this.#pageSize });
      cursor = maxCursor(cursor, page.items.length ? page.cursor : null);
      const pageCursor = cursor;
      await this.db.$transaction(async (tx) => {
        const boxes = [...new Set(page.items.map((r) => r.chargeBoxId))];
        const chargers = await tx.charger.findMany({
          where: { chargeBoxId: { in: boxes } },
          select: { id: true, chargeBoxId: true },
        });
        const chargerIds = new Map(chargers.map((c) => [c.chargeBoxId, c.id]));
        const cards = await findCardsByIdTag(
          tx,
          page.items.map((r) => r.idTag),
        );
        const existing = await tx.reservation.findMany({
          where: { steveReservationPk: { in: page.items.map((r) => r.pk) } },
        });
        const byPk = new Map(existing.map((r) => [r.steveReservationPk, r]));
        for (const r of page.items) {
          const chargerId = chargerIds.get(r.chargeBoxId);
          if (!chargerId) {
            ctx.notes.push(`reservation ${r.pk}: unknown charge point ${r.chargeBoxId}`);
            continue;
          }
          const status = reservationStatus(r, now);
          const data = {
            chargerId,
            connectorNumber: r.connectorId,
            idTag: r.idTag,
            cardId: cards.get(r.idTag.toLowerCase())?.id ?? null,
            startsAt: r.startAt,
            expiresAt: r.expiryAt,
            status,
            // An expiry SteVe never records takes effect at the expiry time.
            statusAt: status === 'EXPIRED' && r.status === 'ACCEPTED' ? r.expiryAt : r.statusAt,
            steveTransactionPk: r.transactionPk,
          };
          const row = byPk.get(r.pk);
          if (!row) {
            await tx.reservation.create({ data: { ...data, steveReservationPk: r.pk } });
          } else if (
            row.status !== data.status ||
            row.statusAt.getTime() !== data.statusAt.getTime() ||
            row.expiresAt.getTime() !== data.expiresAt.getTime() ||
            row.steveTransactionPk !== data.steveTransactionPk ||
            row.cardId !== data.cardId ||
            row.chargerId !== data.chargerId ||
            row.connectorNumber !== data.connectorNumber
          ) {
            await tx.reservation.update({ where: { id: row.id }, data });
          }
        }
        if (pageCursor) await writeCursor(tx, 'RESERVATIONS', cursorJson(pageCursor));
        ctx.processed += page.items.length;
        await this.#progress(tx, ctx);
      });
      this.#publishProgress(ctx.runId);
      if (!page.hasMore) break;
      after = page.cursor;
    }
    // SteVe never writes an expiry: ACCEPTED reservations whose time passed expire here.
    const expired = await this.db.reservation.updateMany({
      where: { status: 'ACCEPTED', expiresAt: { lte: now } },
      data: { status: 'EXPIRED', statusAt: now },
    });
    if (expired.count) ctx.notes.push(`${expired.count} reservation(s) expired`);
    ctx.total = ctx.processed;
  }
}

// ─────────────────────────────────────────── helpers ───────────────────────────────────────────

function toSegmentError(kind: SyncSegmentKind, error: unknown): SegmentError {
  if (error instanceof SegmentError) return error;
  if (isSteveError(error)) return new SegmentError(kind, error.code, error.message);
  return new SegmentError(kind, null, error instanceof Error ? error.message : String(error));
}

export function energyKwh(startWh: number, endWh: number): number {
  return Math.max(0, Math.round(endWh - startWh)) / 1000;
}

function reservationStatus(r: Pick<SteveReservation, 'status' | 'expiryAt'>, now: Date): ReservationStatus {
  const effective = effectiveReservationStatus(r, now);
  switch (effective) {
    case 'USED':
      return 'COMPLETED';
    default:
      return effective;
  }
}

type CursorJson = { at: string; pk: number };

function cursorJson(c: TimeCursor): CursorJson {
  return { at: c.at.toISOString(), pk: c.pk };
}

function parseCursor(value: unknown): TimeCursor | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<CursorJson>;
  if (typeof v.at !== 'string' || typeof v.pk !== 'number') return null;
  const at = new Date(v.at);
  return Number.isNaN(at.getTime()) ? null : { at, pk: v.pk };
}

function overlapCursor(c: TimeCursor): TimeCursor {
  return { at: new Date(c.at.getTime() - SYNC_OVERLAP.timestampMs), pk: 0 };
}

function maxCursor(a: TimeCursor | null, b: TimeCursor | null): TimeCursor | null {
  if (!a) return b;
  if (!b) return a;
  return compareTimeCursor(a, b) >= 0 ? a : b;
}

async function readTimeCursor(db: Db, kind: SyncSegmentKind): Promise<TimeCursor | null> {
  const row = await db.syncCursor.findUnique({ where: { kind } });
  return row ? parseCursor(row.value) : null;
}

async function readTransactionCursor(db: Db): Promise<{ lastPk: number; stop: TimeCursor | null }> {
  const row = await db.syncCursor.findUnique({ where: { kind: 'TRANSACTIONS' } });
  const value = (row?.value ?? {}) as { lastPk?: unknown; stop?: unknown };
  return { lastPk: typeof value.lastPk === 'number' ? value.lastPk : 0, stop: parseCursor(value.stop) };
}

async function writeCursor(tx: Tx, kind: SyncSegmentKind, value: Prisma.InputJsonValue): Promise<void> {
  await tx.syncCursor.upsert({ where: { kind }, create: { kind, value }, update: { value } });
}

interface CardRef {
  id: string;
  publicId: string;
  ownerId: string | null;
  customerId: string | null;
  customer: { externalId: string } | null;
  status: 'PENDING' | 'ACTIVE' | 'DISABLED';
  steveTagPk: number | null;
}

/** Cards by lower-cased idTag: SteVe compares idTags case-insensitively. */
async function findCardsByIdTag(tx: Tx, idTags: string[]): Promise<Map<string, CardRef>> {
  const unique = [...new Set(idTags)];
  if (unique.length === 0) return new Map();
  const cards = await tx.evCard.findMany({
    where: { idTag: { in: unique, mode: 'insensitive' } },
    select: {
      id: true,
      idTag: true,
      publicId: true,
      ownerId: true,
      customerId: true,
      customer: { select: { externalId: true } },
      status: true,
      steveTagPk: true,
    },
  });
  return new Map(cards.map((c) => [c.idTag.toLowerCase(), c]));
}

// No 0/O/1/I: public ids are read aloud and typed from cards.
const PUBLIC_ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function generatePublicId(): string {
  let s = 'EV-';
  for (let i = 0; i < 6; i += 1) s += PUBLIC_ID_ALPHABET[randomInt(PUBLIC_ID_ALPHABET.length)];
  return s;
}

/** `count` fresh public ids not yet used by any card. */
async function allocatePublicIds(tx: Tx, count: number): Promise<string[]> {
  const result = new Set<string>();
  while (result.size < count) {
    const candidates = Array.from({ length: count - result.size }, generatePublicId).filter(
      (c) => !result.has(c),
    );
    const taken = await tx.evCard.findMany({
      where: { publicId: { in: candidates } },
      select: { publicId: true },
    });
    const used = new Set(taken.map((t) => t.publicId));
    for (const c of candidates) if (!used.has(c)) result.add(c);
  }
  return [...result];
}

export function billingTransactionId(steveTransactionPk: number): string {
  return `polaris-session-${steveTransactionPk}`;
}

function billingPayload(t: SteveTransaction): SessionUsagePayload {
  return {
    kwh: energyKwh(t.meterStartWh, t.meterStopWh ?? t.meterStartWh),
    startedAt: t.startedAt.toISOString(),
    stoppedAt: (t.stoppedAt ?? t.startedAt).toISOString(),
    chargeBoxId: t.chargeBoxId,
    idTag: t.idTag,
  };
}

/**
 * Queues the session's usage in the outbox, or its correction when SteVe replaced the stop: billing's
 * recordSessionUsage alone decides between an in-place update, a correction event and an alert.
 */
async function writeBillingEvent(tx: Tx, sessionId: string, t: SteveTransaction, card: CardRef | null) {
  await recordSessionUsage(tx, {
    sessionId,
    steveTransactionPk: t.pk,
    payload: billingPayload(t),
    customerExternalId: card?.customer?.externalId ?? null,
  });
}
