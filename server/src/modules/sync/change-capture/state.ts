import type { ChangeCaptureStatus, ChangeStream } from '../../../generated/prisma/client.ts';
import type { SteveChangePosition } from '../../../integrations/steve/port.ts';
import type { Db } from '../../../lib/db.ts';
import type { Tx } from '../segment.ts';

/**
 * The ChangeStream row (id 1): where change capture stands, and the lease of the one instance
 * that streams. Every write of the stream's progress is fenced by the lease holder, so an instance
 * that lost its lease (paused, partitioned) can no longer move the position.
 */

/** A lease not renewed for this long is free: another instance takes over (≤ 15 s with the poll). */
export const LEASE_MS = 10_000;
/** How often the holder renews, and how often the others try to take over. */
export const LEASE_RENEW_MS = 3_000;

/** Thrown inside an apply transaction when this instance no longer holds the lease. */
export class LeaseLostError extends Error {
  constructor() {
    super('change capture lease lost to another instance');
  }
}

export async function readChangeStream(db: Pick<Db, 'changeStream'>): Promise<ChangeStream> {
  const row = await db.changeStream.findUnique({ where: { id: 1 } });
  if (row) return row;
  await db.changeStream.createMany({ data: [{ id: 1 }], skipDuplicates: true });
  return db.changeStream.findUniqueOrThrow({ where: { id: 1 } });
}

/** Takes (or renews) the lease; false when another instance holds a live one. */
export async function acquireLease(db: Db, holder: string, now: Date, leaseMs = LEASE_MS): Promise<boolean> {
  await readChangeStream(db);
  const { count } = await db.changeStream.updateMany({
    where: { id: 1, OR: [{ holder }, { holder: null }, { leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { holder, leaseUntil: new Date(now.getTime() + leaseMs) },
  });
  return count === 1;
}

/** Renews a lease this instance holds; false when it was lost. */
export async function renewLease(db: Db, holder: string, now: Date, leaseMs = LEASE_MS): Promise<boolean> {
  const { count } = await db.changeStream.updateMany({
    where: { id: 1, holder },
    data: { leaseUntil: new Date(now.getTime() + leaseMs) },
  });
  return count === 1;
}

export async function releaseLease(db: Db, holder: string): Promise<void> {
  await db.changeStream.updateMany({ where: { id: 1, holder }, data: { holder: null, leaseUntil: null } });
}

export function positionOf(row: ChangeStream): SteveChangePosition | null {
  if (!row.gtid && !row.binlogFile) return null;
  return { gtid: row.gtid, file: row.binlogFile, offset: row.binlogOffset };
}

/** Status change by the holder (fenced). */
export async function setStatus(
  db: Pick<Db, 'changeStream'>,
  holder: string,
  status: ChangeCaptureStatus,
  data: { problem?: string | null; streamingSince?: Date | null; position?: SteveChangePosition | null } = {},
): Promise<boolean> {
  const { count } = await db.changeStream.updateMany({
    where: { id: 1, holder },
    data: {
      status,
      ...(data.problem !== undefined ? { problem: data.problem } : {}),
      ...(data.streamingSince !== undefined ? { streamingSince: data.streamingSince } : {}),
      ...(data.position !== undefined ? positionData(data.position) : {}),
    },
  });
  return count === 1;
}

function positionData(position: SteveChangePosition | null) {
  return {
    gtid: position?.gtid ?? null,
    binlogFile: position?.file ?? null,
    binlogOffset: position?.offset ?? null,
  };
}

/**
 * Inside the transaction that applied a batch: the position after it, SteVe's commit time and the
 * lag. Throws LeaseLostError (rolling the batch back) when this instance no longer holds the lease.
 */
export async function savePosition(
  tx: Tx,
  holder: string,
  position: SteveChangePosition,
  committedAt: Date,
  appliedAt: Date,
): Promise<void> {
  const { count } = await tx.changeStream.updateMany({
    where: { id: 1, holder },
    data: {
      ...positionData(position),
      lastCommitAt: committedAt,
      lastAppliedAt: appliedAt,
      lagMs: Math.max(0, appliedAt.getTime() - committedAt.getTime()),
    },
  });
  if (count !== 1) throw new LeaseLostError();
}

/** Whether changes stream right now: the cadence then only reconciles (tier STREAMING). */
export async function isStreaming(db: Pick<Db, 'changeStream'>, now: Date): Promise<boolean> {
  const row = await db.changeStream.findUnique({
    where: { id: 1 },
    select: { status: true, leaseUntil: true },
  });
  return row?.status === 'STREAMING' && row.leaseUntil !== null && row.leaseUntil > now;
}
