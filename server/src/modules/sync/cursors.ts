import type { Prisma, SyncSegmentKind } from '../../generated/prisma/client.ts';
import { compareTimeCursor, SYNC_OVERLAP, type TimeCursor } from '../../integrations/steve/port.ts';
import type { Db } from '../../lib/db.ts';

type CursorJson = { at: string; pk: number };

export function cursorJson(c: TimeCursor): CursorJson {
  return { at: c.at.toISOString(), pk: c.pk };
}

function parseCursor(value: unknown): TimeCursor | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<CursorJson>;
  if (typeof v.at !== 'string' || typeof v.pk !== 'number') return null;
  const at = new Date(v.at);
  return Number.isNaN(at.getTime()) ? null : { at, pk: v.pk };
}

/** Where a re-read starts: a little before the saved cursor (rows committed out of order). */
export function overlapCursor(c: TimeCursor): TimeCursor {
  return { at: new Date(c.at.getTime() - SYNC_OVERLAP.timestampMs), pk: 0 };
}

export function maxCursor(a: TimeCursor | null, b: TimeCursor | null): TimeCursor | null {
  if (!a) return b;
  if (!b) return a;
  return compareTimeCursor(a, b) >= 0 ? a : b;
}

export async function readTimeCursor(db: Db, kind: SyncSegmentKind): Promise<TimeCursor | null> {
  const row = await db.syncCursor.findUnique({ where: { kind } });
  return row ? parseCursor(row.value) : null;
}

/** Where the TRANSACTIONS segment stands: new starts by pk, stops in the recent window, stops in all history. */
export interface TransactionCursor {
  lastPk: number;
  stop: TimeCursor | null;
  deepStop: TimeCursor | null;
  /** When the last pass over all stop history finished. */
  deepAt: Date | null;
}

export async function readTransactionCursor(db: Db): Promise<TransactionCursor> {
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

export function transactionCursorJson(c: TransactionCursor): Prisma.InputJsonValue {
  return {
    lastPk: c.lastPk,
    stop: c.stop ? cursorJson(c.stop) : null,
    deepStop: c.deepStop ? cursorJson(c.deepStop) : null,
    deepAt: c.deepAt ? c.deepAt.toISOString() : null,
  };
}

export async function writeCursor(
  tx: Pick<Prisma.TransactionClient, 'syncCursor'>,
  kind: SyncSegmentKind,
  value: Prisma.InputJsonValue,
): Promise<void> {
  await tx.syncCursor.upsert({ where: { kind }, create: { kind, value }, update: { value } });
}
