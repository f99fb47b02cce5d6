import { randomInt } from 'node:crypto';
import type {
  Prisma,
  ReservationStatus,
  SyncSchedule,
  SyncSegmentKind,
  SyncTrigger,
} from '../../generated/prisma/client.ts';
import { isSteveError } from '../../integrations/steve/errors.ts';
import { steveKey } from '../../integrations/steve/key.ts';
import {
  compareTimeCursor,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type MeterSampleCursor,
  type Page,
  type SteveMeterSample,
  SYNC_OVERLAP,
  type StevePort,
  type SteveReservation,
  type SteveTransaction,
  type TimeCursor,
} from '../../integrations/steve/port.ts';
import { deriveChargerState, effectiveReservationStatus } from '../../integrations/steve/state.ts';
import { v7 as uuidv7 } from 'uuid';
import { bulkInsert, bulkUpdate, type BulkColumns, type BulkRow } from '../../lib/bulk-sql.ts';
import type { Db } from '../../lib/db.ts';
import {
  recordSessionUsage,
  recordSessionUsages,
  type SessionUsageInput,
  type SessionUsagePayload,
} from '../billing/billing.service.ts';
import type { Logger } from '../../lib/logger.ts';
import type { PubSub } from '../../lib/pubsub.ts';
import { chargerIdsBySteveKey } from './steve-ids.ts';
import { recordSteveSiteData } from '../chargers/charger-profile.ts';
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
  /** An alert was written since the last publish: `alerts:changed` goes out with the session events. */
  #alertsRaised = false;
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
    if (this.#alertsRaised) {
      this.#alertsRaised = false;
      this.#pubsub.publish('alerts:changed', { at: new Date().toISOString() });
    }
  }

  // ───────────────────────────────────────── CHARGERS ─────────────────────────────────────────

  async #syncChargers(ctx: SegmentContext): Promise<void> {
    const now = this.now();
    const seenBefore = new Date(now.getTime() - LAST_SEEN_REFRESH_MS);
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
        const stale: string[] = [];
        const changedRows: BulkRow[] = [];
        const creates: BulkRow[] = [];
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
            creates.push({
              ...data,
              id: uuidv7(),
              chargeBoxId: cp.chargeBoxId,
              firstSeenAt: now,
              lastSeenAt: now,
              stateChangedAt: now,
              createdAt: now,
              updatedAt: now,
            });
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
            changedRows.push({ id: row.id, ...data, lastSeenAt: now, goneAt: null });
          } else if (row.lastSeenAt < seenBefore) {
            // Unchanged rows are not rewritten every run: lastSeenAt is refreshed at most every few minutes.
            stale.push(row.id);
          }
        }
        await bulkInsert(tx, 'Charger', CHARGER_INSERT_COLUMNS, creates);
        for (const c of creates) chargerIds.set(c.chargeBoxId as string, c.id);
        await bulkUpdate(tx, 'Charger', CHARGER_COLUMNS, changedRows);
        if (stale.length) {
          await tx.charger.updateMany({ where: { id: { in: stale } }, data: { lastSeenAt: now } });
        }

        const connectors = await tx.connector.findMany({
          where: { chargerId: { in: [...chargerIds.values()] } },
          select: { id: true, chargerId: true, connectorId: true, maxPowerKw: true },
        });
        const byKey = new Map(connectors.map((c) => [`${c.chargerId}:${c.connectorId}`, c]));
        const toCreate: BulkRow[] = [];
        const powerChanges: BulkRow[] = [];
        for (const cp of page.items) {
          const chargerId = chargerIds.get(cp.chargeBoxId)!;
          for (const conn of cp.connectors) {
            if (conn.connectorId < 1) continue;
            const maxPowerKw = conn.maxPowerW === null ? null : conn.maxPowerW / 1000;
            const row = byKey.get(`${chargerId}:${conn.connectorId}`);
            if (!row)
              toCreate.push({
                id: uuidv7(),
                chargerId,
                connectorId: conn.connectorId,
                maxPowerKw,
                updatedAt: now,
              });
            else if (row.maxPowerKw !== maxPowerKw) powerChanges.push({ id: row.id, maxPowerKw });
          }
        }
        await bulkInsert(tx, 'Connector', CONNECTOR_INSERT_COLUMNS, toCreate, {
          onConflictDoNothing: ['chargerId', 'connectorId'],
        });
        await bulkUpdate(tx, 'Connector', [['maxPowerKw', 'float8']], powerChanges);
        await recordSteveSiteData(tx, page.items, chargerIds);
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
        const list = statuses.get(steveKey(st.chargeBoxId)) ?? [];
        list.push({ connectorId: st.connectorId, status: st.status });
        statuses.set(steveKey(st.chargeBoxId), list);
      }
      await this.db.$transaction(async (tx) => {
        const chargerIds = await chargerIdsBySteveKey(
          tx,
          page.items.map((s) => s.chargeBoxId),
        );
        const connectors = await tx.connector.findMany({
          where: { chargerId: { in: [...chargerIds.values()] } },
        });
        const byKey = new Map(connectors.map((c) => [`${c.chargerId}:${c.connectorId}`, c]));
        const creates = new Map<string, BulkRow>();
        const updates: BulkRow[] = [];
        for (const st of page.items) {
          if (st.connectorId < 1 || st.status === null) continue;
          const chargerId = chargerIds.get(steveKey(st.chargeBoxId));
          if (!chargerId) continue;
          const data = {
            status: st.status,
            errorCode: st.errorCode,
            errorInfo: st.errorInfo,
            statusAt: st.statusAt,
          };
          const key = `${chargerId}:${st.connectorId}`;
          const row = byKey.get(key);
          if (!row) {
            creates.set(key, {
              ...data,
              id: uuidv7(),
              chargerId,
              connectorId: st.connectorId,
              updatedAt: now,
            });
          } else if (
            row.status !== data.status ||
            row.errorCode !== data.errorCode ||
            row.errorInfo !== data.errorInfo ||
            row.statusAt?.getTime() !== data.statusAt?.getTime()
          ) {
            // Only differences are written, all of a page in one statement.
            updates.push({ id: row.id, ...data });
          }
        }
        await bulkInsert(tx, 'Connector', CONNECTOR_STATUS_INSERT_COLUMNS, [...creates.values()], {
          onConflictDoNothing: ['chargerId', 'connectorId'],
        });
        await bulkUpdate(tx, 'Connector', CONNECTOR_STATUS_COLUMNS, updates);
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
              connectors: statuses.get(steveKey(c.chargeBoxId)) ?? [],
              registrationStatus: c.registrationStatus,
              now,
              ...(this.#offlineAfterMs !== undefined ? { offlineAfterMs: this.#offlineAfterMs } : {}),
            });
        return { id: c.id, state, previous: c.state };
      })
      .filter((c) => c.state !== c.previous);
    if (changes.length) {
      await this.db.$transaction((tx) =>
        bulkUpdate(
          tx,
          'Charger',
          [
            ['state', '"ChargerState"'],
            ['stateChangedAt', 'timestamp(3)'],
          ],
          changes.map((c) => ({ id: c.id, state: c.state, stateChangedAt: now })),
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
        // One card per idTag (SteVe compares case-insensitively, so a page never holds two).
        const newTags = [
          ...new Map(
            page.items.filter((t) => !cards.has(steveKey(t.idTag))).map((t) => [steveKey(t.idTag), t]),
          ).values(),
        ];
        if (newTags.length) {
          // Unknown to Polaris (created in SteVe or auto-inserted by a station): import for review.
          const publicIds = await allocatePublicIds(tx, newTags.length);
          await tx.evCard.updateMany({
            where: { steveTagPk: { in: newTags.map((t) => t.pk) } },
            data: { steveTagPk: null },
          });
          await tx.evCard.createMany({
            data: newTags.map((tag, i) => ({
              idTag: tag.idTag,
              publicId: publicIds[i]!,
              origin: 'STEVE' as const,
              status: 'PENDING' as const,
              steveTagPk: tag.pk,
            })),
          });
        }
        for (const tag of page.items) {
          const card = cards.get(steveKey(tag.idTag));
          if (!card) continue;
          if (card.steveTagPk !== tag.pk || card.steveTagGoneAt !== null) {
            // A new pk, or a tag SteVe has again after it was deleted there (rare: one row at a time).
            await tx.evCard.updateMany({
              where: { steveTagPk: tag.pk, NOT: { id: card.id } },
              data: { steveTagPk: null },
            });
            await tx.evCard.update({
              where: { id: card.id },
              data: { steveTagPk: tag.pk, steveTagGoneAt: null },
            });
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
        if (alerts.length) {
          const { count } = await tx.alert.createMany({ data: alerts, skipDuplicates: true });
          if (count > 0) this.#alertsRaised = true;
        }
        if (pageCursor) await writeCursor(tx, 'TAGS', cursorJson(pageCursor));
        ctx.processed += page.items.length;
        await this.#progress(tx, ctx);
      });
      this.#publishProgress(ctx.runId);
      if (!page.hasMore) break;
      after = page.cursor;
    }
    ctx.total = ctx.processed;
    await this.#detectDeletedTags(ctx, now);
  }

  /**
   * SteVe hard-deletes tags (with their transactions) and leaves no trace in the incremental read:
   * diff the full key set. A card whose tag is gone keeps everything (sessions, billing) and gets
   * `steveTagGoneAt`; an active one raises an alert, since the card can no longer start a session.
   */
  async #detectDeletedTags(ctx: SegmentContext, now: Date): Promise<void> {
    const present = new Set<number>();
    let afterPk = 0;
    for (;;) {
      const page = await this.steve.listTagPks({ afterPk, limit: MAX_PAGE_SIZE });
      for (const pk of page.items) present.add(pk);
      if (!page.hasMore) break;
      afterPk = page.cursor;
    }
    const linked = await this.db.evCard.findMany({
      where: { steveTagPk: { not: null }, steveTagGoneAt: null },
      select: { id: true, publicId: true, idTag: true, status: true, steveTagPk: true },
    });
    const gone = linked.filter((c) => !present.has(c.steveTagPk!));
    if (gone.length === 0) return;
    await this.db.$transaction([
      this.db.evCard.updateMany({
        where: { id: { in: gone.map((c) => c.id) } },
        data: { steveTagGoneAt: now },
      }),
      this.db.alert.createMany({
        data: gone
          .filter((c) => c.status === 'ACTIVE')
          .map((c) => ({
            severity: 'WARNING' as const,
            kind: 'card.steveTagDeleted',
            message: `EV card ${c.publicId} is active in Polaris but its tag ${c.idTag} was deleted in SteVe; it cannot start sessions until the tag exists again.`,
            subjectType: 'EvCard',
            subjectId: c.publicId,
            dedupeKey: `steve-tag-deleted:${c.id}:${c.steveTagPk}`,
          })),
        skipDuplicates: true,
      }),
    ]);
    if (gone.some((c) => c.status === 'ACTIVE')) this.#alertsRaised = true;
    ctx.notes.push(`${gone.length} tag(s) deleted in SteVe, card(s) marked`);
  }

  // ─────────────────────────────────────── TRANSACTIONS ───────────────────────────────────────

  async #syncTransactions(ctx: SegmentContext, state: RunState): Promise<void> {
    const saved = await readTransactionCursor(this.db);
    let lastPk = saved.lastPk;
    let stop = saved.stop;
    let deepStop = saved.deepStop;
    let deepAt = saved.deepAt;
    const cursor = (): TransactionCursor => ({ lastPk, stop, deepStop, deepAt });
    const now = this.now();

    // What this run already wrote, by pk: the stop pass skips transactions it would only re-check
    // (on a first sync, every finished transaction comes back there with the same stop).
    const applied = new Map<number, string>();

    // New starts by pk; re-read a window below the last pk once per run (out-of-order commits).
    // Each next page is read from SteVe while the current one is written (readAhead).
    const starts = readAhead(
      (afterPk: number) => this.steve.listTransactions({ afterPk, limit: this.#pageSize }),
      Math.max(0, lastPk - SYNC_OVERLAP.transactionPks),
    );
    for await (const page of starts) {
      lastPk = Math.max(lastPk, page.items.length ? page.cursor : 0);
      await this.#applyTransactions(ctx, state, page.items, cursor());
      for (const t of page.items) applied.set(t.pk, stopKey(t));
    }

    // Stops (and superseded stops) by stop-event time, in larger pages. SteVe has no index on the
    // stop time, so a read over all history scans every stop row: each run reads only transactions
    // started within STOP_WINDOW_MS (a primary-key range), and the whole history from its own
    // cursor once every DEEP_STOP_SCAN_MS, for the rare late stop of an older transaction.
    const stopLimit = Math.min(MAX_PAGE_SIZE, this.#pageSize * 10);
    const passes: Array<{ minTransactionPk: number | undefined; deep: boolean }> = [
      { minTransactionPk: await this.#stopWindowMinPk(now, lastPk), deep: false },
    ];
    if (deepAt === null || now.getTime() - deepAt.getTime() >= DEEP_STOP_SCAN_MS) {
      passes.push({ minTransactionPk: undefined, deep: true });
    }
    for (const pass of passes) {
      const from = pass.deep ? deepStop : stop;
      const stops = readAhead(
        (after: TimeCursor | null) =>
          this.steve.listStoppedTransactions({
            after,
            limit: stopLimit,
            ...(pass.minTransactionPk !== undefined ? { minTransactionPk: pass.minTransactionPk } : {}),
          }),
        from ? overlapCursor(from) : null,
      );
      for await (const page of stops) {
        const reached = page.items.length ? page.cursor : null;
        if (pass.deep) deepStop = maxCursor(deepStop, reached);
        else stop = maxCursor(stop, reached);
        const fresh = page.items.filter((t) => applied.get(t.pk) !== stopKey(t));
        ctx.processed += page.items.length - fresh.length;
        // A page with nothing new is not written; its cursor is saved with a later page (or the last).
        if (fresh.length || !page.hasMore) await this.#applyTransactions(ctx, state, fresh, cursor());
        for (const t of fresh) applied.set(t.pk, stopKey(t));
      }
      if (pass.deep) {
        deepAt = now;
        await writeCursor(this.db, 'TRANSACTIONS', transactionCursorJson(cursor()));
      }
    }

    // Sessions still ACTIVE here: ask SteVe directly, which also catches transactions it deleted.
    const active = await this.db.chargingSession.findMany({
      where: { status: 'ACTIVE' },
      select: { id: true, steveTransactionPk: true, latestMeterWh: true, meterStartWh: true, driverId: true },
    });
    for (let i = 0; i < active.length; i += this.#pageSize) {
      const chunk = active.slice(i, i + this.#pageSize);
      const found = await this.steve.getTransactions(chunk.map((s) => s.steveTransactionPk));
      await this.#applyTransactions(ctx, state, found, cursor());
      const known = new Set(found.map((t) => t.pk));
      const vanished = chunk.filter((s) => !known.has(s.steveTransactionPk));
      if (vanished.length) await this.#closeVanished(vanished, state);
    }
    ctx.total = ctx.processed;
  }

  /**
   * Lowest SteVe transaction pk of the sessions started within STOP_WINDOW_MS; none: past the newest
   * known pk (new transactions come with their stop from the start pass). Sessions still ACTIVE are
   * asked for one by one after the stop pass, whatever their age, so the window only decides how
   * quickly a replaced stop of a completed session is seen: each run, or at the next deep pass.
   */
  async #stopWindowMinPk(now: Date, lastPk: number): Promise<number> {
    const { _min } = await this.db.chargingSession.aggregate({
      _min: { steveTransactionPk: true },
      where: {
        status: { in: ['ACTIVE', 'COMPLETED'] },
        startedAt: { gte: new Date(now.getTime() - STOP_WINDOW_MS) },
      },
    });
    return _min.steveTransactionPk ?? lastPk + 1;
  }

  async #applyTransactions(
    ctx: SegmentContext,
    state: RunState,
    items: SteveTransaction[],
    cursor: TransactionCursor,
  ): Promise<void> {
    const now = this.now();
    const changed = new Map<string, string | null>();
    const startRequests: string[] = [];
    const completed: string[] = [];
    // A fixed number of statements per page, whatever its size: reads by key set, one multi-row
    // insert, one multi-row update, one outbox write for the sessions that completed.
    await this.db.$transaction(async (tx) => {
      if (items.length === 0) {
        await writeCursor(tx, 'TRANSACTIONS', transactionCursorJson(cursor));
        await this.#progress(tx, ctx);
        return;
      }
      const chargerIds = await chargerIdsBySteveKey(
        tx,
        items.map((t) => t.chargeBoxId),
      );
      const connectors = await tx.connector.findMany({
        where: { chargerId: { in: [...chargerIds.values()] } },
        select: { id: true, chargerId: true, connectorId: true },
      });
      const connectorIds = new Map(connectors.map((c) => [`${c.chargerId}:${c.connectorId}`, c.id]));
      const cards = await findCardsByIdTag(
        tx,
        items.map((t) => t.idTag),
      );
      const sessions = await tx.chargingSession.findMany({
        where: { steveTransactionPk: { in: items.map((t) => t.pk) } },
        select: {
          id: true,
          steveTransactionPk: true,
          status: true,
          stoppedAt: true,
          stopReason: true,
          stopActor: true,
          meterStopWh: true,
          energyKwh: true,
          powerKw: true,
          cardId: true,
          driverId: true,
        },
      });
      const byPk = new Map(sessions.map((s) => [s.steveTransactionPk, s]));

      const creates = new Map<number, SessionInsert>();
      const toCreate = new Map<number, { t: SteveTransaction; card: CardRef | null }>();
      const updates: BulkRow[] = [];
      const usages: { sessionId: string; t: SteveTransaction; card: CardRef | null }[] = [];
      const corrections: { sessionId: string; t: SteveTransaction; card: CardRef | null }[] = [];

      for (const t of items) {
        const chargerId = chargerIds.get(steveKey(t.chargeBoxId));
        if (!chargerId) {
          ctx.notes.push(`transaction ${t.pk}: unknown charge point ${t.chargeBoxId}`);
          continue;
        }
        const card = cards.get(steveKey(t.idTag)) ?? null;
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
          creates.set(t.pk, {
            id: uuidv7(),
            steveTransactionPk: t.pk,
            chargerId,
            connectorId: connectorIds.get(`${chargerId}:${t.connectorId}`) ?? null,
            connectorNumber: t.connectorId,
            idTag: t.idTag,
            cardId: card?.id ?? null,
            driverId: card?.ownerId ?? null,
            startedAt: t.startedAt,
            meterStartWh: t.meterStartWh,
            ...(stopData ?? { status: 'ACTIVE' as const, energyKwh: 0 }),
            createdAt: now,
            updatedAt: now,
          });
          toCreate.set(t.pk, { t, card });
          continue;
        }

        const ownership =
          existing.cardId === null && card
            ? { cardId: card.id, driverId: existing.driverId ?? card.ownerId }
            : {};
        const current = {
          status: existing.status,
          stoppedAt: existing.stoppedAt,
          stopReason: existing.stopReason,
          stopActor: existing.stopActor,
          meterStopWh: existing.meterStopWh,
          energyKwh: existing.energyKwh,
          powerKw: existing.powerKw,
          cardId: existing.cardId,
          driverId: existing.driverId,
        };
        if (existing.status === 'ACTIVE' && stopData) {
          const row = { ...current, ...stopData, ...ownership };
          updates.push({ id: existing.id, ...row });
          // The outbox row commits with the completion: exactly one per session, re-runs skip it.
          usages.push({ sessionId: existing.id, t, card });
          completed.push(existing.id);
          changed.set(existing.id, row.driverId);
        } else if (
          existing.status === 'COMPLETED' &&
          stopData &&
          (existing.meterStopWh !== stopData.meterStopWh ||
            existing.stoppedAt?.getTime() !== stopData.stoppedAt!.getTime() ||
            existing.stopActor !== stopData.stopActor)
        ) {
          // SteVe replaced the stop (e.g. a manual stop superseded by the station's real one).
          const row = { ...current, ...stopData, ...ownership };
          updates.push({ id: existing.id, ...row });
          corrections.push({ sessionId: existing.id, t, card });
          changed.set(existing.id, row.driverId);
        } else if (ownership.cardId) {
          const row = { ...current, ...ownership };
          updates.push({ id: existing.id, ...row });
          changed.set(existing.id, row.driverId);
        }
      }

      if (creates.size) {
        const created = [...creates.values()].sort((a, b) => a.steveTransactionPk - b.steveTransactionPk);
        await bulkInsert(tx, 'ChargingSession', SESSION_INSERT_COLUMNS, created);
        for (const session of created) {
          changed.set(session.id, session.driverId);
          const { t, card } = toCreate.get(session.steveTransactionPk)!;
          if (t.stoppedAt !== null && t.meterStopWh !== null) {
            usages.push({ sessionId: session.id, t, card });
            completed.push(session.id);
          }
        }
        // New session ⇒ the newest open start request for the same charger and card caused it.
        const withCard = created.filter((s) => s.cardId !== null);
        if (withCard.length) {
          const requests = await tx.startRequest.findMany({
            where: {
              chargerId: { in: [...new Set(withCard.map((s) => s.chargerId))] },
              cardId: { in: [...new Set(withCard.map((s) => s.cardId!))] },
              outcome: { in: ['PENDING', 'ACCEPTED'] },
              sessionId: null,
              createdAt: { gte: new Date(now.getTime() - START_REQUEST_LINK_WINDOW_MS) },
            },
            orderBy: { createdAt: 'desc' },
            select: { id: true, chargerId: true, cardId: true, decidedAt: true },
          });
          const open = new Set(requests.map((r) => r.id));
          for (const session of withCard) {
            const request = requests.find(
              (r) => open.has(r.id) && r.chargerId === session.chargerId && r.cardId === session.cardId,
            );
            if (!request) continue;
            open.delete(request.id);
            // Start requests are rare (a driver pressing start): one statement each is fine.
            await tx.startRequest.update({
              where: { id: request.id },
              data: { sessionId: session.id, outcome: 'ACCEPTED', decidedAt: request.decidedAt ?? now },
            });
            startRequests.push(request.id);
          }
        }
      }
      await bulkUpdate(tx, 'ChargingSession', SESSION_STOP_COLUMNS, updates);
      if (usages.length) {
        await recordSessionUsages(
          tx,
          usages.map((u) => usageInput(u.sessionId, u.t, u.card)),
        );
      }
      // SteVe replaced a stop: billing decides between in-place update, correction and alert.
      for (const c of corrections) {
        const outcome = await recordSessionUsage(tx, usageInput(c.sessionId, c.t, c.card));
        if (outcome.action === 'negative') this.#alertsRaised = true;
      }

      await writeCursor(tx, 'TRANSACTIONS', transactionCursorJson(cursor));
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
    this.#alertsRaised = true;
    for (const s of sessions) state.changedSessions.set(s.id, s.driverId);
  }

  // ─────────────────────────────────────── METER_VALUES ───────────────────────────────────────

  async #syncMeterValues(ctx: SegmentContext, state: RunState): Promise<void> {
    const select = {
      id: true,
      steveTransactionPk: true,
      status: true,
      meterStartWh: true,
      latestMeterAt: true,
      firstMeterAt: true,
      driverId: true,
    } as const;
    const active = await this.db.chargingSession.findMany({
      where: { status: 'ACTIVE' },
      select,
      orderBy: { steveTransactionPk: 'asc' },
    });
    const completed = [...state.completedSessionIds];
    ctx.total = active.length + completed.length;
    // Sessions without samples yet are read from their start; the others after their newest sample:
    // each batch asks only for samples newer than its oldest `latestMeterAt`, so a live session's
    // history is not re-read on every run.
    const batches: MeterBatch[] = [];
    const addBatches = (sessions: Omit<MeterSession, 'since'>[]) => {
      const fresh = sessions.filter((s) => s.latestMeterAt === null);
      const known = sessions
        .filter((s) => s.latestMeterAt !== null)
        .sort((a, b) => a.latestMeterAt!.getTime() - b.latestMeterAt!.getTime());
      for (const group of [fresh, known]) {
        for (let i = 0; i < group.length; i += METER_BATCH) {
          const list = group
            .slice(i, i + METER_BATCH)
            .map((s) => ({ ...s, since: s.latestMeterAt }))
            .sort((a, b) => a.steveTransactionPk - b.steveTransactionPk);
          batches.push({
            sessions: list,
            byPk: new Map(list.map((s) => [s.steveTransactionPk, s])),
            since: list.reduce<Date | null>(
              (min, s) => (s.since === null ? null : min === null || s.since < min ? s.since : min),
              list[0]!.since,
            ),
            counted: 0,
          });
        }
      }
    };
    addBatches(active);
    // Sessions completed in this run (every finished transaction on a first sync): read their last
    // samples once more. Their rows are read a key list at a time, never all ids in one query.
    for (let i = 0; i < completed.length; i += METER_BATCH) {
      addBatches(
        await this.db.chargingSession.findMany({
          where: { id: { in: completed.slice(i, i + METER_BATCH) } },
          select,
          orderBy: { steveTransactionPk: 'asc' },
        }),
      );
    }

    // Read ahead: the next page comes from SteVe while this one is written to the database (never
    // inside its transaction: the read was started before and is awaited after it).
    const pages = this.#meterPages(batches);
    let pending = pages.next();
    try {
      for (;;) {
        const next = await pending;
        if (next.done) break;
        pending = pages.next();
        await this.#writeMeterPage(ctx, state, next.value.batch, next.value.page);
      }
    } catch (error) {
      pending.catch(() => undefined);
      throw error;
    }
    this.#publishProgress(ctx.runId);
  }

  /** Every page of samples of every batch (≤ METER_BATCH sessions, one `listMeterValues` per page). */
  async *#meterPages(
    batches: MeterBatch[],
  ): AsyncGenerator<{ batch: MeterBatch; page: Page<SteveMeterSample, MeterSampleCursor | null> }> {
    const limit = Math.min(MAX_PAGE_SIZE, this.#pageSize * 10);
    for (const batch of batches) {
      let after: MeterSampleCursor | null = null;
      for (;;) {
        const page = await this.steve.listMeterValues({
          transactionPks: batch.sessions.map((s) => s.steveTransactionPk),
          after,
          since: batch.since,
          limit,
        });
        yield { batch, page };
        if (!page.hasMore) break;
        after = page.cursor;
      }
    }
  }

  /** One page of samples: one multi-row insert, one multi-row session update, the progress. */
  async #writeMeterPage(
    ctx: SegmentContext,
    state: RunState,
    batch: MeterBatch,
    page: Page<SteveMeterSample, MeterSampleCursor | null>,
  ): Promise<void> {
    const { byPk, sessions } = batch;
    const counted = batch.counted;
    const isLast = !page.hasMore;
    // Samples after each session's own newest one (the batch's lower bound is the oldest of them).
    const samples = page.items.filter((m) => {
      const s = byPk.get(m.transactionPk);
      return s !== undefined && (s.since === null || m.at > s.since);
    });
    // Sessions before the page's end position are complete (all of the batch on the last page).
    let done = counted;
    while (
      done < sessions.length &&
      (isLast || (page.cursor !== null && sessions[done]!.steveTransactionPk < page.cursor.transactionPk))
    ) {
      done += 1;
    }
    if (samples.length === 0 && done === counted) return;
    const touched = new Map<string, MeterSession>();
    const rows: Record<string, unknown>[] = [];
    for (const m of samples) {
      const s = byPk.get(m.transactionPk)!;
      if (!s.firstMeterAt || m.at < s.firstMeterAt) s.firstMeterAt = m.at;
      if (!s.latestMeterAt || m.at > s.latestMeterAt) s.latestMeterAt = m.at;
      // Samples arrive in time order: the last one with a value wins, as before.
      if (m.energyWh !== null) s.pageEnergyWh = m.energyWh;
      if (m.powerW !== null) s.pagePowerW = m.powerW;
      touched.set(s.id, s);
    }
    for (const s of touched.values()) {
      const active = s.status === 'ACTIVE';
      rows.push({
        id: s.id,
        firstMeterAt: s.firstMeterAt,
        latestMeterAt: s.latestMeterAt,
        latestMeterWh: s.pageEnergyWh ?? null,
        // A completed session's energy is its stop reading; samples only fill the series.
        energyKwh: active && s.pageEnergyWh != null ? energyKwh(s.meterStartWh, s.pageEnergyWh) : null,
        powerKw: active && s.pagePowerW != null ? s.pagePowerW / 1000 : null,
      });
      s.pageEnergyWh = undefined;
      s.pagePowerW = undefined;
    }
    await this.db.$transaction(async (tx) => {
      if (samples.length) {
        await bulkInsert(
          tx,
          'MeterSample',
          METER_SAMPLE_COLUMNS,
          samples.map((m) => ({
            sessionId: byPk.get(m.transactionPk)!.id,
            sampledAt: m.at,
            energyWh: m.energyWh,
            powerW: m.powerW,
          })),
          { onConflictDoNothing: ['sessionId', 'sampledAt'] },
        );
      }
      if (rows.length) {
        await tx.$executeRaw`
          UPDATE "ChargingSession" AS s SET
            "firstMeterAt" = u."firstMeterAt",
            "latestMeterAt" = u."latestMeterAt",
            "latestMeterWh" = COALESCE(u."latestMeterWh", s."latestMeterWh"),
            "energyKwh" = COALESCE(u."energyKwh", s."energyKwh"),
            "powerKw" = COALESCE(u."powerKw", s."powerKw"),
            "updatedAt" = ${new Date().toISOString()}::timestamp(3)
          FROM json_to_recordset(${JSON.stringify(rows)}::json) AS u(
            id text, "firstMeterAt" timestamp(3), "latestMeterAt" timestamp(3),
            "latestMeterWh" float8, "energyKwh" float8, "powerKw" float8)
          WHERE s.id = u.id`;
      }
      ctx.processed += done - counted;
      await this.#progress(tx, ctx);
    });
    batch.counted = done;
    if (touched.size) {
      for (const s of touched.values()) state.changedSessions.set(s.id, s.driverId);
      this.#publishSessions(state);
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
        const chargerIds = await chargerIdsBySteveKey(
          tx,
          page.items.map((r) => r.chargeBoxId),
        );
        const cards = await findCardsByIdTag(
          tx,
          page.items.map((r) => r.idTag),
        );
        const existing = await tx.reservation.findMany({
          where: { steveReservationPk: { in: page.items.map((r) => r.pk) } },
        });
        const byPk = new Map(existing.map((r) => [r.steveReservationPk, r]));
        for (const r of page.items) {
          const chargerId = chargerIds.get(steveKey(r.chargeBoxId));
          if (!chargerId) {
            ctx.notes.push(`reservation ${r.pk}: unknown charge point ${r.chargeBoxId}`);
            continue;
          }
          const status = reservationStatus(r, now);
          const data = {
            chargerId,
            connectorNumber: r.connectorId,
            idTag: r.idTag,
            cardId: cards.get(steveKey(r.idTag))?.id ?? null,
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
            row.connectorNumber !== data.connectorNumber ||
            row.goneAt !== null
          ) {
            // Listed again (e.g. a restored SteVe database): no longer gone.
            await tx.reservation.update({
              where: { id: row.id },
              data: { ...data, ...(row.goneAt ? { goneAt: null, statusReason: null } : {}) },
            });
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
    await this.#detectDeletedReservations(ctx, now);
    ctx.total = ctx.processed;
  }

  /**
   * SteVe hard-deletes reservations (a refused or late-answered ReserveNow, or with their tag or
   * charge point) without a trace in the incremental read. Reservations still open here (WAITING,
   * ACCEPTED) are looked up by key; the ones SteVe no longer has are CANCELLED with the reason
   * `DeletedInSteve` and `goneAt` (kept, never deleted). Only open reservations are asked about, so
   * the cost does not grow with history.
   */
  async #detectDeletedReservations(ctx: SegmentContext, now: Date): Promise<void> {
    const open = await this.db.reservation.findMany({
      where: { status: { in: ['WAITING', 'ACCEPTED'] }, goneAt: null },
      select: { id: true, steveReservationPk: true },
    });
    const gone: string[] = [];
    for (let i = 0; i < open.length; i += MAX_PAGE_SIZE) {
      const chunk = open.slice(i, i + MAX_PAGE_SIZE);
      const found = new Set(
        (await this.steve.getReservations(chunk.map((r) => r.steveReservationPk))).map((r) => r.pk),
      );
      for (const r of chunk) if (!found.has(r.steveReservationPk)) gone.push(r.id);
    }
    if (gone.length === 0) return;
    await this.db.reservation.updateMany({
      where: { id: { in: gone }, status: { in: ['WAITING', 'ACCEPTED'] } },
      data: { status: 'CANCELLED', statusReason: 'DeletedInSteve', statusAt: now, goneAt: now },
    });
    ctx.notes.push(`${gone.length} reservation(s) deleted in SteVe, marked cancelled`);
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

/** Where the TRANSACTIONS segment stands: new starts by pk, stops in the recent window, stops in all history. */
interface TransactionCursor {
  lastPk: number;
  stop: TimeCursor | null;
  deepStop: TimeCursor | null;
  /** When the last pass over all stop history finished. */
  deepAt: Date | null;
}

async function readTransactionCursor(db: Db): Promise<TransactionCursor> {
  const row = await db.syncCursor.findUnique({ where: { kind: 'TRANSACTIONS' } });
  const value = (row?.value ?? {}) as {
    lastPk?: unknown;
    stop?: unknown;
    deepStop?: unknown;
    deepAt?: unknown;
  };
  const deepAt = typeof value.deepAt === 'string' ? new Date(value.deepAt) : null;
  return {
    lastPk: typeof value.lastPk === 'number' ? value.lastPk : 0,
    stop: parseCursor(value.stop),
    deepStop: parseCursor(value.deepStop),
    deepAt: deepAt && !Number.isNaN(deepAt.getTime()) ? deepAt : null,
  };
}

function transactionCursorJson(c: TransactionCursor): Prisma.InputJsonValue {
  return {
    lastPk: c.lastPk,
    stop: c.stop ? cursorJson(c.stop) : null,
    deepStop: c.deepStop ? cursorJson(c.deepStop) : null,
    deepAt: c.deepAt ? c.deepAt.toISOString() : null,
  };
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
  steveTagGoneAt: Date | null;
}

/** Cards by `steveKey(idTag)`: SteVe compares idTags by its collation (case-insensitively). */
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
      steveTagGoneAt: true,
    },
  });
  return new Map(cards.map((c) => [steveKey(c.idTag), c]));
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

/** Transactions whose meter values one `listMeterValues` call asks for (the port's maximum). */
const METER_BATCH = 1000;

/** An unchanged charger's `lastSeenAt` is rewritten only when it is older than this. */
export const LAST_SEEN_REFRESH_MS = 10 * 60_000;
/** Stops of transactions started this recently are read every run (a key range in SteVe). */
export const STOP_WINDOW_MS = 7 * 24 * 3600_000;
/** How often the whole stop history is read, for late stops of older transactions. */
export const DEEP_STOP_SCAN_MS = 60 * 60_000;

interface MeterBatch {
  /** Sorted by transaction pk, the order samples come in. */
  sessions: MeterSession[];
  byPk: Map<number, MeterSession>;
  /** Lower bound of the read: the oldest newest-sample of the batch (null: from the start). */
  since: Date | null;
  /** Sessions of the batch already counted as processed. */
  counted: number;
}

interface MeterSession {
  id: string;
  steveTransactionPk: number;
  status: 'ACTIVE' | 'COMPLETED';
  meterStartWh: number;
  latestMeterAt: Date | null;
  firstMeterAt: Date | null;
  driverId: string | null;
  /** The newest sample stored before this run (null: none yet). */
  since: Date | null;
  pageEnergyWh?: number | undefined;
  pagePowerW?: number | undefined;
}

const CHARGER_COLUMNS: BulkColumns = [
  ['stevePk', 'int4'],
  ['description', 'text'],
  ['vendor', 'text'],
  ['model', 'text'],
  ['registrationStatus', 'text'],
  ['lastHeartbeatAt', 'timestamp(3)'],
  ['lastSeenAt', 'timestamp(3)'],
  ['goneAt', 'timestamp(3)'],
];

const CHARGER_INSERT_COLUMNS: BulkColumns = [
  ['id', 'text'],
  ['chargeBoxId', 'text'],
  ...CHARGER_COLUMNS.filter(([n]) => n !== 'goneAt'),
  ['firstSeenAt', 'timestamp(3)'],
  ['stateChangedAt', 'timestamp(3)'],
  ['createdAt', 'timestamp(3)'],
  ['updatedAt', 'timestamp(3)'],
];

const CONNECTOR_INSERT_COLUMNS: BulkColumns = [
  ['id', 'text'],
  ['chargerId', 'text'],
  ['connectorId', 'int4'],
  ['maxPowerKw', 'float8'],
  ['updatedAt', 'timestamp(3)'],
];

const CONNECTOR_STATUS_COLUMNS: BulkColumns = [
  ['status', 'text'],
  ['errorCode', 'text'],
  ['errorInfo', 'text'],
  ['statusAt', 'timestamp(3)'],
];

const METER_SAMPLE_COLUMNS: BulkColumns = [
  ['sessionId', 'text'],
  ['sampledAt', 'timestamp(3)'],
  ['energyWh', 'float8'],
  ['powerW', 'float8'],
];

interface SessionInsert {
  id: string;
  steveTransactionPk: number;
  chargerId: string;
  connectorId: string | null;
  connectorNumber: number;
  idTag: string;
  cardId: string | null;
  driverId: string | null;
  startedAt: Date;
  meterStartWh: number;
  status: 'ACTIVE' | 'COMPLETED';
  stoppedAt?: Date | null;
  stopReason?: string | null;
  stopActor?: string | null;
  meterStopWh?: number | null;
  energyKwh: number;
  powerKw?: number | null;
  createdAt: Date;
  updatedAt: Date;
}

const SESSION_INSERT_COLUMNS: BulkColumns = [
  ['id', 'text'],
  ['steveTransactionPk', 'int4'],
  ['chargerId', 'text'],
  ['connectorId', 'text'],
  ['connectorNumber', 'int4'],
  ['idTag', 'text'],
  ['cardId', 'text'],
  ['driverId', 'text'],
  ['status', '"SessionStatus"'],
  ['startedAt', 'timestamp(3)'],
  ['stoppedAt', 'timestamp(3)'],
  ['stopReason', 'text'],
  ['stopActor', 'text'],
  ['meterStartWh', 'float8'],
  ['meterStopWh', 'float8'],
  ['energyKwh', 'float8'],
  ['powerKw', 'float8'],
  ['createdAt', 'timestamp(3)'],
  ['updatedAt', 'timestamp(3)'],
];

const CONNECTOR_STATUS_INSERT_COLUMNS: BulkColumns = [
  ['id', 'text'],
  ['chargerId', 'text'],
  ['connectorId', 'int4'],
  ...CONNECTOR_STATUS_COLUMNS,
  ['updatedAt', 'timestamp(3)'],
];

const SESSION_STOP_COLUMNS: BulkColumns = [
  ['status', '"SessionStatus"'],
  ['stoppedAt', 'timestamp(3)'],
  ['stopReason', 'text'],
  ['stopActor', 'text'],
  ['meterStopWh', 'float8'],
  ['energyKwh', 'float8'],
  ['powerKw', 'float8'],
  ['cardId', 'text'],
  ['driverId', 'text'],
];

/**
 * The pages of a keyset read, each next page requested from SteVe as soon as the current one
 * arrives, so it is read while the caller writes the current one (never inside the caller's
 * transaction: the request starts before and is awaited after it). Stops after the last page.
 */
async function* readAhead<T, C>(
  read: (cursor: C) => Promise<Page<T, C>>,
  start: C,
): AsyncGenerator<Page<T, C>> {
  let pending = read(start);
  try {
    for (;;) {
      const page = await pending;
      if (!page.hasMore) {
        yield page;
        return;
      }
      pending = read(page.cursor);
      yield page;
    }
  } finally {
    // The caller stopped early (an error): a read still under way must not become unhandled.
    pending.catch(() => undefined);
  }
}

/** What identifies a transaction's stop as read from SteVe (a superseded stop changes it). */
function stopKey(t: SteveTransaction): string {
  return `${t.stopEventAt?.getTime() ?? ''}|${t.stoppedAt?.getTime() ?? ''}|${t.meterStopWh ?? ''}|${t.stopActor ?? ''}`;
}

function usageInput(sessionId: string, t: SteveTransaction, card: CardRef | null): SessionUsageInput {
  return {
    sessionId,
    steveTransactionPk: t.pk,
    payload: billingPayload(t),
    customerExternalId: card?.customer?.externalId ?? null,
  };
}
