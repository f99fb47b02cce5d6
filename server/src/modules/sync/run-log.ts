import { encodeGlobalID } from '@pothos/plugin-relay';
import { recordDomainEvents, streamOf } from '../events/domain-events.ts';
import type { CadenceTier, SyncSegmentKind, SyncTrigger } from '../../generated/prisma/client.ts';
import type { Db } from '../../lib/db.ts';
import type { SegmentContext } from './segment.ts';

/** The SyncRun and SyncSegment rows: what a run did, for the console and crash recovery. */

/** Under the queue's one-at-a-time policy a RUNNING run we did not start was cut off by a crash. */
export async function closeInterruptedRuns(db: Db, now: Date): Promise<void> {
  const stale = await db.syncRun.findMany({ where: { status: 'RUNNING' }, select: { id: true } });
  if (stale.length === 0) return;
  const ids = stale.map((r) => r.id);
  await db.$transaction([
    db.syncSegment.updateMany({
      where: { runId: { in: ids }, status: 'RUNNING' },
      data: { status: 'FAILED', error: 'Interrupted', finishedAt: now },
    }),
    db.syncSegment.updateMany({
      where: { runId: { in: ids }, status: 'PENDING' },
      data: { status: 'SKIPPED' },
    }),
    db.syncRun.updateMany({
      where: { id: { in: ids } },
      data: { status: 'FAILED', error: 'Interrupted: the instance running it stopped', finishedAt: now },
    }),
  ]);
}

/** A new RUNNING run with one PENDING segment row per kind, in order; the segment ids by kind. */
export async function startRun(
  db: Db,
  data: { trigger: SyncTrigger; tier: CadenceTier; requestedById: string | null; startedAt: Date },
  order: readonly SyncSegmentKind[],
): Promise<{ runId: string; segmentIds: Map<SyncSegmentKind, string> }> {
  const run = await db.syncRun.create({
    data: { ...data, segments: { create: order.map((kind, position) => ({ kind, position })) } },
    include: { segments: true },
  });
  return { runId: run.id, segmentIds: new Map(run.segments.map((s) => [s.kind, s.id])) };
}

export async function segmentSkipped(db: Db, segmentId: string): Promise<void> {
  await db.syncSegment.update({ where: { id: segmentId }, data: { status: 'SKIPPED' } });
}

export async function segmentStarted(db: Db, segmentId: string, now: Date): Promise<void> {
  await db.syncSegment.update({ where: { id: segmentId }, data: { status: 'RUNNING', startedAt: now } });
}

export async function segmentSucceeded(db: Db, ctx: SegmentContext, now: Date): Promise<void> {
  await db.syncSegment.update({
    where: { id: ctx.segmentId },
    data: {
      status: 'SUCCEEDED',
      processed: ctx.processed,
      total: ctx.total ?? ctx.processed,
      error: ctx.notes.length ? ctx.notes.slice(0, 20).join('; ') : null,
      finishedAt: now,
    },
  });
}

export async function segmentFailed(db: Db, ctx: SegmentContext, error: string, now: Date): Promise<void> {
  await db.syncSegment.update({
    where: { id: ctx.segmentId },
    data: { status: 'FAILED', processed: ctx.processed, error, finishedAt: now },
  });
}

/** Closes the run's row; a failed run also emits `sync.failed` in the same transaction. */
export async function finishRun(db: Db, runId: string, error: string | null, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.syncRun.update({
      where: { id: runId },
      data: { status: error ? 'FAILED' : 'SUCCEEDED', error, finishedAt: now },
    });
    if (error) {
      await recordDomainEvents(tx, [
        {
          type: 'sync.failed',
          stream: streamOf('sync', 'steve'),
          occurredAt: now,
          data: { runId: encodeGlobalID('SyncRun', runId), error, finishedAt: now.toISOString() },
        },
      ]);
    }
  });
}
