import type { SyncSchedule, SyncSegmentKind, SyncTrigger } from '../../generated/prisma/client.ts';
import { isSteveError } from '../../integrations/steve/errors.ts';
import type { StevePort } from '../../integrations/steve/port.ts';
import type { Db } from '../../lib/db.ts';
import type { Logger } from '../../lib/logger.ts';
import type { PubSub } from '../../lib/pubsub.ts';
import type { CadenceIntervals } from './cadence.ts';
import {
  closeInterruptedRuns,
  finishRun,
  segmentFailed,
  segmentSkipped,
  segmentStarted,
  segmentSucceeded,
  startRun,
} from './run-log.ts';
import { RunEvents } from './run-events.ts';
import { getSchedule, updateSchedule } from './schedule.ts';
import type { Segment, SegmentContext, SegmentDeps } from './segment.ts';
import { syncChargers } from './segments/chargers.ts';
import { syncConnectorStatus } from './segments/connector-status.ts';
import { syncMeterValues } from './segments/meter-values.ts';
import { syncReservations } from './segments/reservations.ts';
import { syncTags } from './segments/tags.ts';
import { syncTransactions } from './segments/transactions.ts';

/** The segments in the order they run: later ones rely on rows the earlier ones wrote. */
export const SEGMENTS: ReadonlyArray<readonly [SyncSegmentKind, Segment]> = [
  ['CHARGERS', syncChargers],
  ['CONNECTOR_STATUS', syncConnectorStatus],
  ['TAGS', syncTags],
  ['TRANSACTIONS', syncTransactions],
  ['METER_VALUES', syncMeterValues],
  ['RESERVATIONS', syncReservations],
];

export const SEGMENT_ORDER: readonly SyncSegmentKind[] = SEGMENTS.map(([kind]) => kind);

export interface RunnerDeps {
  db: Db;
  steve: StevePort;
  pubsub: PubSub;
  logger: Logger;
  now: () => Date;
  cadence: CadenceIntervals;
  pageSize: number;
  offlineAfterMs: number | undefined;
}

export interface RunOptions {
  trigger: SyncTrigger;
  requestedById?: string | null;
}

export interface SyncRunResult {
  runId: string;
  status: 'SUCCEEDED' | 'FAILED';
  error: string | null;
  durationMs: number;
  schedule: SyncSchedule;
}

/** Thrown inside a segment to fail it with a message that names the SteVe error code. */
export class SegmentError extends Error {
  constructor(
    readonly kind: SyncSegmentKind,
    readonly code: string | null,
    message: string,
  ) {
    super(`${kind}: ${code ? `[${code}] ` : ''}${message}`);
  }
}

function toSegmentError(kind: SyncSegmentKind, error: unknown): SegmentError {
  if (error instanceof SegmentError) return error;
  if (isSteveError(error)) return new SegmentError(kind, error.code, error.message);
  return new SegmentError(kind, null, error instanceof Error ? error.message : String(error));
}

/**
 * One sync run: closes runs a crash cut off, writes the run and its segment rows, runs the
 * segments in order (after a failure the rest are SKIPPED), publishes progress, then decides the
 * next run time from the outcome.
 */
export async function runSync(deps: RunnerDeps, options: RunOptions): Promise<SyncRunResult> {
  const { db, now } = deps;
  const startedAt = now();
  const t0 = performance.now();
  const schedule = await getSchedule(db, deps.cadence, startedAt);
  await closeInterruptedRuns(db, startedAt);

  const { runId, segmentIds } = await startRun(
    db,
    {
      trigger: options.trigger,
      tier: schedule.tier,
      requestedById: options.requestedById ?? null,
      startedAt,
    },
    SEGMENT_ORDER,
  );
  const events = new RunEvents(deps.pubsub, runId);
  const segmentDeps: SegmentDeps = {
    db,
    steve: deps.steve,
    now,
    pageSize: deps.pageSize,
    offlineAfterMs: deps.offlineAfterMs,
    events,
  };
  events.progress();

  let failure: SegmentError | null = null;
  for (const [kind, segment] of SEGMENTS) {
    const segmentId = segmentIds.get(kind)!;
    if (failure) {
      await segmentSkipped(db, segmentId);
      continue;
    }
    const ctx: SegmentContext = { runId, segmentId, kind, processed: 0, total: null, notes: [] };
    await segmentStarted(db, segmentId, now());
    events.progress();
    try {
      await segment(segmentDeps, ctx);
      await segmentSucceeded(db, ctx, now());
    } catch (error) {
      failure = toSegmentError(kind, error);
      deps.logger.warn({ runId, segment: kind, err: failure.message }, 'sync segment failed');
      await segmentFailed(db, ctx, failure.message, now());
    }
    events.progress();
  }

  const finishedAt = now();
  await finishRun(db, runId, failure?.message ?? null, finishedAt);
  const next = await updateSchedule(db, deps.cadence, failure, finishedAt);
  events.progress();
  const durationMs = Math.round(performance.now() - t0);
  const status = failure ? 'FAILED' : 'SUCCEEDED';
  deps.logger.info(
    { runId, trigger: options.trigger, status, durationMs, nextTier: next.tier },
    'sync run finished',
  );
  return { runId, status, error: failure?.message ?? null, durationMs, schedule: next };
}
