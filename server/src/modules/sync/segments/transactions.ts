import { steveKey } from '../../../integrations/steve/key.ts';
import {
  MAX_PAGE_SIZE,
  SYNC_OVERLAP,
  type SteveTransaction,
  type TimeCursor,
} from '../../../integrations/steve/port.ts';
import { v7 as uuidv7 } from 'uuid';
import { bulkInsert, bulkUpdate, type BulkColumns, type BulkRow } from '../../../lib/bulk-sql.ts';
import { energyKwh } from '../../../lib/energy.ts';
import { recordAlerts } from '../../alerts/alerts.service.ts';
import {
  recordCompletedSessions,
  recordReplacedStop,
  type CompletedSession,
} from '../../billing/session-usage.ts';
import { linkStartRequests } from '../../charging/start-request-link.ts';
import {
  maxCursor,
  overlapCursor,
  readTransactionCursor,
  transactionCursorJson,
  writeCursor,
  type TransactionCursor,
} from '../cursors.ts';
import { readAhead } from '../read-ahead.ts';
import {
  commitChanges,
  commitPage,
  type Segment,
  type SegmentContext,
  type SegmentDeps,
  type Tx,
  type WriteScope,
} from '../segment.ts';
import { sessionCompleted, sessionStarted } from '../../events/emit.ts';
import { findCardsByIdTag, findChargerIds, type CardRef } from './lookups.ts';

/** Stops of transactions started this recently are read every run (a key range in SteVe). */
export const STOP_WINDOW_MS = 7 * 24 * 3600_000;
/** How often the whole stop history is read, for late stops of older transactions. */
export const DEEP_STOP_SCAN_MS = 60 * 60_000;

/**
 * TRANSACTIONS: SteVe's transactions (`transaction_start` / `transaction_stop`) → ChargingSession:
 * new starts by pk, then stops by stop-event time, then every session still ACTIVE asked for directly.
 */
export const syncTransactions: Segment = async (deps, ctx) => {
  const saved = await readTransactionCursor(deps.db);
  let lastPk = saved.lastPk;
  let stop = saved.stop;
  let deepStop = saved.deepStop;
  let deepAt = saved.deepAt;
  const cursor = (): TransactionCursor => ({ lastPk, stop, deepStop, deepAt });
  const now = deps.now();
  const apply = (items: SteveTransaction[]) =>
    commitPage(deps, ctx, async (tx, scope) => {
      await writeTransactions(tx, items, scope);
      await writeCursor(tx, 'TRANSACTIONS', transactionCursorJson(cursor()));
      ctx.processed += items.length;
    });

  // What this run already wrote, by pk: the stop pass skips transactions it would only re-check
  // (on a first sync, every finished transaction comes back there with the same stop).
  const applied = new Map<number, string>();

  // New starts by pk; re-read a window below the last pk once per run (out-of-order commits).
  // Each next page is read from SteVe while the current one is written (readAhead).
  const starts = readAhead(
    (afterPk: number) => deps.steve.listTransactions({ afterPk, limit: deps.pageSize }),
    Math.max(0, lastPk - SYNC_OVERLAP.transactionPks),
  );
  for await (const page of starts) {
    lastPk = Math.max(lastPk, page.items.length ? page.cursor : 0);
    await apply(page.items);
    for (const t of page.items) applied.set(t.pk, stopKey(t));
  }

  // Stops (and superseded stops) by stop-event time, in larger pages. SteVe has no index on the
  // stop time, so a read over all history scans every stop row: each run reads only transactions
  // started within STOP_WINDOW_MS (a primary-key range), and the whole history from its own
  // cursor once every DEEP_STOP_SCAN_MS, for the rare late stop of an older transaction.
  const stopLimit = Math.min(MAX_PAGE_SIZE, deps.pageSize * 10);
  const passes: Array<{ minTransactionPk: number | undefined; deep: boolean }> = [
    { minTransactionPk: await stopWindowMinPk(deps, now, lastPk), deep: false },
  ];
  if (deepAt === null || now.getTime() - deepAt.getTime() >= DEEP_STOP_SCAN_MS) {
    passes.push({ minTransactionPk: undefined, deep: true });
  }
  for (const pass of passes) {
    const from = pass.deep ? deepStop : stop;
    const stops = readAhead(
      (after: TimeCursor | null) =>
        deps.steve.listStoppedTransactions({
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
      if (fresh.length || !page.hasMore) await apply(fresh);
      for (const t of fresh) applied.set(t.pk, stopKey(t));
    }
    if (pass.deep) {
      deepAt = now;
      await writeCursor(deps.db, 'TRANSACTIONS', transactionCursorJson(cursor()));
    }
  }

  // Sessions still ACTIVE here: ask SteVe directly, which also catches transactions it deleted.
  const active = await deps.db.chargingSession.findMany({
    where: { status: 'ACTIVE' },
    select: { id: true, steveTransactionPk: true },
  });
  for (let i = 0; i < active.length; i += deps.pageSize) {
    const chunk = active.slice(i, i + deps.pageSize);
    const found = await deps.steve.getTransactions(chunk.map((s) => s.steveTransactionPk));
    await apply(found);
    const known = new Set(found.map((t) => t.pk));
    const vanished = chunk.filter((s) => !known.has(s.steveTransactionPk));
    if (vanished.length) await closeVanished(deps, ctx, vanished);
  }
  ctx.total = ctx.processed;
};

/**
 * Lowest SteVe transaction pk of the sessions started within STOP_WINDOW_MS; none: past the newest
 * known pk (new transactions come with their stop from the start pass). Sessions still ACTIVE are
 * asked for one by one after the stop pass, whatever their age, so the window only decides how
 * quickly a replaced stop of a completed session is seen: each run, or at the next deep pass.
 */
async function stopWindowMinPk(deps: SegmentDeps, now: Date, lastPk: number): Promise<number> {
  const { _min } = await deps.db.chargingSession.aggregate({
    _min: { steveTransactionPk: true },
    where: {
      status: { in: ['ACTIVE', 'COMPLETED'] },
      startedAt: { gte: new Date(now.getTime() - STOP_WINDOW_MS) },
    },
  });
  return _min.steveTransactionPk ?? lastPk + 1;
}

/**
 * Writes SteVe transactions (a page, or the one a change touched) as sessions: creates new ones
 * (and links the start request that caused each), completes the ones SteVe stopped (with their
 * billing usage in the same transaction), applies replaced stops, attaches a card imported later.
 * A fixed number of statements per page, whatever its size; the same rows twice change nothing.
 */
export async function writeTransactions(tx: Tx, items: SteveTransaction[], scope: WriteScope): Promise<void> {
  if (items.length === 0) return;
  const { now, changes } = scope;
  const chargerIds = await findChargerIds(
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
      chargerId: true,
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
  const usages: CompletedSession[] = [];
  const corrections: CompletedSession[] = [];
  const completed = (sessionId: string, t: SteveTransaction, card: CardRef | null): CompletedSession => ({
    sessionId,
    transaction: t,
    customerExternalId: card?.customer?.externalId ?? null,
  });

  for (const t of items) {
    const chargerId = chargerIds.get(steveKey(t.chargeBoxId));
    if (!chargerId) {
      scope.notes.push(`transaction ${t.pk}: unknown charge point ${t.chargeBoxId}`);
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
      usages.push(completed(existing.id, t, card));
      changes.completedSessions.add(existing.id);
      changes.session(existing.id, row.driverId);
      changes.emit(sessionCompleted({ id: existing.id, chargerId: existing.chargerId, ...stopData }, now));
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
      corrections.push(completed(existing.id, t, card));
      changes.session(existing.id, row.driverId);
    } else if (ownership.cardId) {
      const row = { ...current, ...ownership };
      updates.push({ id: existing.id, ...row });
      changes.session(existing.id, row.driverId);
    }
  }

  if (creates.size) {
    const created = [...creates.values()].sort((a, b) => a.steveTransactionPk - b.steveTransactionPk);
    await bulkInsert(tx, 'ChargingSession', SESSION_INSERT_COLUMNS, created);
    for (const session of created) {
      changes.session(session.id, session.driverId);
      changes.emit(sessionStarted(session, now));
      const { t, card } = toCreate.get(session.steveTransactionPk)!;
      if (t.stoppedAt !== null && t.meterStopWh !== null) {
        usages.push(completed(session.id, t, card));
        changes.completedSessions.add(session.id);
        changes.emit(sessionCompleted({ ...session, stoppedAt: t.stoppedAt, stopReason: t.stopReason }, now));
      }
    }
    // New session ⇒ the newest open start request for the same charger and card caused it.
    for (const id of await linkStartRequests(tx, created, now)) changes.startRequests.add(id);
  }
  await bulkUpdate(tx, 'ChargingSession', SESSION_STOP_COLUMNS, updates);
  await recordCompletedSessions(tx, usages);
  for (const c of corrections) {
    if (await recordReplacedStop(tx, c)) changes.alerts = true;
  }
}

/** Transactions SteVe no longer has (its charge point or tag was deleted): close them, bill nothing. */
async function closeVanished(
  deps: SegmentDeps,
  ctx: SegmentContext,
  sessions: { id: string; steveTransactionPk: number }[],
): Promise<void> {
  await commitChanges(deps, ctx, (tx, scope) =>
    closeDeletedTransactions(
      tx,
      sessions.map((s) => s.steveTransactionPk),
      scope,
    ),
  );
}

/**
 * SteVe deleted these transactions (found by asking for the active ones, or a delete change capture
 * saw): their ACTIVE sessions are closed at the last meter reading without billing, with an alert.
 * Applying it twice changes nothing.
 */
export async function closeDeletedTransactions(
  tx: Tx,
  steveTransactionPks: number[],
  scope: WriteScope,
): Promise<void> {
  const sessions = await tx.chargingSession.findMany({
    where: { steveTransactionPk: { in: steveTransactionPks }, status: 'ACTIVE' },
    select: { id: true, steveTransactionPk: true, latestMeterWh: true, meterStartWh: true, driverId: true },
  });
  if (sessions.length === 0) return;
  for (const s of sessions) {
    await tx.chargingSession.update({
      where: { id: s.id },
      data: {
        status: 'COMPLETED',
        stoppedAt: scope.now,
        stopReason: 'DeletedInSteve',
        meterStopWh: s.latestMeterWh,
        powerKw: null,
        ...(s.latestMeterWh !== null ? { energyKwh: energyKwh(s.meterStartWh, s.latestMeterWh) } : {}),
      },
    });
  }
  await recordAlerts(
    tx,
    sessions.map((s) => ({
      severity: 'WARNING' as const,
      kind: 'session.vanished',
      message: `SteVe no longer has transaction ${s.steveTransactionPk}; the session was closed without billing.`,
      subjectType: 'ChargingSession',
      subjectId: s.id,
      dedupeKey: `session-vanished:${s.steveTransactionPk}`,
    })),
  );
  changesFor(scope, sessions);
}

function changesFor(scope: WriteScope, sessions: { id: string; driverId: string | null }[]): void {
  scope.changes.alerts = true;
  for (const s of sessions) scope.changes.session(s.id, s.driverId);
}

/** What identifies a transaction's stop as read from SteVe (a superseded stop changes it). */
function stopKey(t: SteveTransaction): string {
  return `${t.stopEventAt?.getTime() ?? ''}|${t.stoppedAt?.getTime() ?? ''}|${t.meterStopWh ?? ''}|${t.stopActor ?? ''}`;
}

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
