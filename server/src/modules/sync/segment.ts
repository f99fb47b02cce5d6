import type { Prisma, SyncSegmentKind } from '../../generated/prisma/client.ts';
import type { StevePort } from '../../integrations/steve/port.ts';
import type { Db } from '../../lib/db.ts';
import { recordDomainEvents } from '../events/domain-events.ts';
import { Changes, type RunEvents } from './run-events.ts';

export type Tx = Prisma.TransactionClient;

/** What every segment gets from the runner. */
export interface SegmentDeps {
  db: Db;
  steve: StevePort;
  now: () => Date;
  pageSize: number;
  /** Heartbeat age after which a charger counts as offline (see docs/charger-states.md). */
  offlineAfterMs: number | undefined;
  events: RunEvents;
}

/** One segment's row and counters while it runs. */
export interface SegmentContext {
  runId: string;
  segmentId: string;
  kind: SyncSegmentKind;
  processed: number;
  total: number | null;
  /** Things skipped (not fatal) to report on the segment. */
  notes: string[];
}

/** A segment: reads its part of SteVe and writes it, page by page. */
export type Segment = (deps: SegmentDeps, ctx: SegmentContext) => Promise<void>;

/**
 * What a writer gets besides its transaction: the time, what it changed (published after the
 * commit) and where to note rows it skipped. Change capture builds one per row change, and must
 * store `changes.events` with `recordDomainEvents` in the same transaction (as commitPage does).
 */
export interface WriteScope {
  now: Date;
  changes: Changes;
  notes: string[];
}

/** Writes the segment's progress inside the page's transaction, so progress never runs ahead of data. */
export async function saveProgress(tx: Tx, ctx: SegmentContext): Promise<void> {
  await tx.syncSegment.update({
    where: { id: ctx.segmentId },
    data: { processed: ctx.processed, ...(ctx.total !== null ? { total: ctx.total } : {}) },
  });
}

/**
 * One write of a segment in one short transaction together with its progress; what it changed is
 * published once the transaction committed, then the progress.
 */
export async function commitPage<R>(
  deps: SegmentDeps,
  ctx: SegmentContext,
  write: (tx: Tx, scope: WriteScope) => Promise<R>,
): Promise<R> {
  const scope: WriteScope = { now: deps.now(), changes: new Changes(), notes: ctx.notes };
  const result = await deps.db.$transaction(async (tx) => {
    const r = await write(tx, scope);
    await recordDomainEvents(tx, scope.changes.events);
    await saveProgress(tx, ctx);
    return r;
  });
  deps.events.publish(scope.changes);
  deps.events.progress();
  return result;
}

/** A write outside the paging (deletions found by a key diff): one transaction, then its events. */
export async function commitChanges<R>(
  deps: SegmentDeps,
  ctx: SegmentContext,
  write: (tx: Tx, scope: WriteScope) => Promise<R>,
): Promise<R> {
  const scope: WriteScope = { now: deps.now(), changes: new Changes(), notes: ctx.notes };
  const result = await deps.db.$transaction(async (tx) => {
    const r = await write(tx, scope);
    await recordDomainEvents(tx, scope.changes.events);
    return r;
  });
  deps.events.publish(scope.changes);
  return result;
}
