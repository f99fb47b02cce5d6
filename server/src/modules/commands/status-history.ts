import type { Db } from '../../lib/db.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { v7 as uuidv7 } from 'uuid';
import { bulkInsert, type BulkColumns } from '../../lib/bulk-sql.ts';

/**
 * Connector status history (issue #17): every status change the sync sees becomes a
 * ConnectorStatusEvent. It feeds the operator's 7-day timeline, uptime per connector, recent
 * faults, and the fault alerts with their one-click fix.
 */

export interface StatusChange {
  chargerId: string;
  connectorId: number;
  status: string;
  errorCode: string | null;
  errorInfo: string | null;
  /** Station clock of the status; null = the station sent none (the sync's time is used). */
  at: Date | null;
}

export const FAULT_ALERT_KIND = 'charger.connectorFaulted';

type Tx = Pick<Db, 'connectorStatusEvent' | 'alert' | '$executeRaw'>;

export function faultAlertKey(chargerId: string, connectorId: number): string {
  return `${FAULT_ALERT_KIND}:${chargerId}:${connectorId}`;
}

/**
 * Records status changes (call it inside the sync's transaction, with only the connectors whose
 * status or error code changed). Returns whether any fault alert was raised or resolved.
 */
export async function recordStatusChanges(tx: Tx, changes: StatusChange[], now: Date): Promise<boolean> {
  if (changes.length === 0) return false;
  // One multi-row insert (Prisma's createMany costs about as much again in query building).
  await bulkInsert(
    tx,
    'ConnectorStatusEvent',
    STATUS_EVENT_COLUMNS,
    changes.map((c) => ({
      id: uuidv7(),
      chargerId: c.chargerId,
      connectorId: c.connectorId,
      status: c.status,
      errorCode: c.errorCode,
      errorInfo: c.errorInfo,
      at: c.at ?? now,
      recordedAt: now,
    })),
  );
  let alerts = false;
  // Faults are rare: one upsert each. Every other change resolves its connector's open fault alert,
  // all in one statement.
  for (const c of changes) {
    if (c.status !== 'Faulted') continue;
    const dedupeKey = faultAlertKey(c.chargerId, c.connectorId);
    const code = c.errorCode && c.errorCode !== 'NoError' ? c.errorCode : 'an unspecified error';
    const message = `Connector ${c.connectorId} faulted with ${code}${c.errorInfo ? ` (${c.errorInfo})` : ''}.`;
    // The connector, the code and the usual fix travel as data: the alert offers the command without
    // anyone reading its text.
    const fault = {
      message,
      connectorNumber: c.connectorId,
      errorCode: c.errorCode,
      fixCommand: suggestedFixFor(c.errorCode),
    };
    await tx.alert.upsert({
      where: { dedupeKey },
      create: {
        severity: 'WARNING',
        kind: FAULT_ALERT_KIND,
        subjectType: 'Charger',
        subjectId: c.chargerId,
        dedupeKey,
        ...fault,
      },
      // A new fault on the same connector reopens the alert.
      update: { ...fault, readAt: null, resolvedAt: null, createdAt: now },
    });
    alerts = true;
  }
  const recovered = changes
    .filter((c) => c.status !== 'Faulted')
    .map((c) => faultAlertKey(c.chargerId, c.connectorId));
  if (recovered.length > 0) {
    const { count } = await tx.alert.updateMany({
      where: { dedupeKey: { in: recovered }, resolvedAt: null },
      data: { resolvedAt: now },
    });
    alerts ||= count > 0;
  }
  return alerts;
}

export type FixCommandKind = 'UNLOCK_CONNECTOR' | 'RESET' | 'TRIGGER_MESSAGE';

const STATUS_EVENT_COLUMNS: BulkColumns = [
  ['id', 'text'],
  ['chargerId', 'text'],
  ['connectorId', 'int4'],
  ['status', 'text'],
  ['errorCode', 'text'],
  ['errorInfo', 'text'],
  ['at', 'timestamp(3)'],
  ['recordedAt', 'timestamp(3)'],
];

/** Which command usually clears a fault with this OCPP error code. */
export function suggestedFixFor(errorCode: string | null): FixCommandKind {
  if (errorCode === 'ConnectorLockFailure') return 'UNLOCK_CONNECTOR';
  if (errorCode === null || errorCode === 'NoError') return 'TRIGGER_MESSAGE';
  return 'RESET';
}

export interface StatusSegment {
  connectorId: number;
  status: string;
  errorCode: string | null;
  from: Date;
  to: Date;
}

/**
 * Status segments per connector in [from, to): the last status before `from` opens the window, each
 * change starts a new segment. Time before the first known status is left out.
 */
export async function statusSegments(
  db: Db,
  chargerId: string,
  from: Date,
  to: Date,
): Promise<StatusSegment[]> {
  const [inside, before] = await Promise.all([
    db.connectorStatusEvent.findMany({
      where: { chargerId, at: { gte: from, lt: to } },
      orderBy: [{ at: 'asc' }, { recordedAt: 'asc' }],
      select: { connectorId: true, status: true, errorCode: true, at: true },
    }),
    db.$queryRaw<Array<{ connectorId: number; status: string; errorCode: string | null }>>`
      SELECT DISTINCT ON ("connectorId") "connectorId", status, "errorCode"
        FROM "ConnectorStatusEvent"
       WHERE "chargerId" = ${chargerId} AND at < ${from}
       ORDER BY "connectorId", at DESC, "recordedAt" DESC`,
  ]);
  const open = new Map<number, { status: string; errorCode: string | null; from: Date }>();
  for (const b of before) open.set(b.connectorId, { status: b.status, errorCode: b.errorCode, from });
  const segments: StatusSegment[] = [];
  for (const e of inside) {
    const current = open.get(e.connectorId);
    if (current && current.status === e.status && current.errorCode === e.errorCode) continue;
    if (current && e.at > current.from) segments.push({ connectorId: e.connectorId, ...current, to: e.at });
    open.set(e.connectorId, { status: e.status, errorCode: e.errorCode, from: e.at });
  }
  for (const [connectorId, current] of open) segments.push({ connectorId, ...current, to });
  return segments.sort((a, b) => a.connectorId - b.connectorId || a.from.getTime() - b.from.getTime());
}

const DOWN: ReadonlySet<string> = new Set(['Faulted', 'Unavailable']);

/**
 * Share of the known time in [from, to) a connector was usable (any status but Faulted and
 * Unavailable), per connector; null when nothing is known for the window.
 */
export function uptimeOf(segments: StatusSegment[], connectorId: number): number | null {
  let known = 0;
  let up = 0;
  for (const s of segments) {
    if (s.connectorId !== connectorId) continue;
    const ms = s.to.getTime() - s.from.getTime();
    known += ms;
    if (!DOWN.has(s.status)) up += ms;
  }
  return known > 0 ? up / known : null;
}

/** The latest faults of a charger, newest first. */
export function recentFaults(db: Db, chargerId: string, take = 10) {
  return db.connectorStatusEvent.findMany({
    where: { chargerId, status: 'Faulted' },
    orderBy: { at: 'desc' },
    take,
  });
}

export type StatusEventRow = Prisma.ConnectorStatusEventGetPayload<object>;

/** A charger whose reset was accepted stays OFFLINE until SteVe records its boot (at most this long). */
export const REBOOT_WINDOW_MS = 10 * 60_000;

/**
 * Chargers whose reset was accepted and whose boot SteVe has not recorded yet (no heartbeat since):
 * the sync keeps them OFFLINE, as SteVe keeps no connection state a reader could see.
 */
export async function rebootingChargerIds(db: Pick<Db, 'chargerCommand'>, now: Date): Promise<Set<string>> {
  const rows = await db.chargerCommand.findMany({
    where: {
      kind: 'RESET',
      status: 'ACCEPTED',
      decidedAt: { gte: new Date(now.getTime() - REBOOT_WINDOW_MS) },
    },
    select: { chargerId: true, decidedAt: true, charger: { select: { lastHeartbeatAt: true } } },
  });
  return new Set(
    rows
      .filter((r) => r.decidedAt && (!r.charger.lastHeartbeatAt || r.charger.lastHeartbeatAt <= r.decidedAt))
      .map((r) => r.chargerId),
  );
}
