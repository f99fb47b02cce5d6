import type { SyncTrigger } from '../../generated/prisma/client.ts';
import type { Db } from '../../lib/db.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Services } from '../../services.ts';
import { DEFAULT_CADENCE, type CadenceIntervals } from './cadence.ts';
import type { ChangeCapture } from './change-capture/capture.ts';
import type { SyncEngine } from './sync.engine.ts';
import type { SyncScheduler } from './sync.scheduler.ts';

/** The sync as the rest of the app sees it (services.sync). */
export interface SyncService {
  engine: SyncEngine;
  /** Null when the app was built without background work (tests): runs then happen in-process. */
  scheduler: SyncScheduler | null;
  /** Change capture from SteVe's binlog (null when the app runs no background work). */
  capture: ChangeCapture | null;
  /** Asks for a run as soon as possible; never waits for the run itself. */
  requestImmediate(trigger: SyncTrigger, requestedById?: string | null): Promise<{ jobId: string | null }>;
}

export function createSyncService(deps: {
  engine: SyncEngine;
  scheduler: SyncScheduler | null;
  capture?: ChangeCapture | null;
  logger: Logger;
}): SyncService {
  const { engine, scheduler, logger } = deps;
  return {
    engine,
    scheduler,
    capture: deps.capture ?? null,
    async requestImmediate(trigger, requestedById) {
      if (scheduler?.started) return { jobId: await scheduler.requestImmediate(trigger, requestedById) };
      // No queue running: run in this process (joins a run already in flight).
      await engine.markImmediate();
      engine.run({ trigger, requestedById: requestedById ?? null }).catch((error: unknown) => {
        logger.error({ err: (error as Error).message }, 'in-process sync run failed');
      });
      return { jobId: null };
    },
  };
}

/**
 * Call after SteVe accepted a RemoteStart (trigger START_REQUEST) or when an operator asks (MANUAL):
 * the next run happens right away and the cadence sees the pending start.
 */
export function requestImmediateSync(
  services: Pick<Services, 'sync'>,
  trigger: SyncTrigger,
  requestedById?: string | null,
): Promise<{ jobId: string | null }> {
  return services.sync.requestImmediate(trigger, requestedById);
}

// ─────────────────────────────────────────── health ───────────────────────────────────────────

export type SyncHealthCode =
  | 'STEVE_UNREACHABLE'
  | 'SYNC_FAILING'
  | 'SYNC_STALE'
  | 'CHARGERS_OFFLINE'
  | 'UNKNOWN_TAGS'
  | 'CHANGE_CAPTURE_UNAVAILABLE'
  | 'CHANGE_CAPTURE_INTERRUPTED';

export interface SyncHealthWarning {
  code: SyncHealthCode;
  severity: 'WARNING' | 'CRITICAL';
  message: string;
  /** How many things the warning is about (failures, chargers, cards). */
  count: number;
  /** Since when the condition holds, when known. */
  since: Date | null;
}

export interface SyncHealthOptions {
  now?: Date;
  cadence?: CadenceIntervals;
  /** A charger offline longer than this is worth a warning (default 1 h). */
  offlineForMs?: number;
  /** Consecutive failed runs before "sync failing" (default 2: one failure is a blip). */
  failingAfter?: number;
}

/** Operational warnings derived from the sync's own records; an empty list means healthy. */
export async function syncHealthWarnings(
  db: Db,
  options: SyncHealthOptions = {},
): Promise<SyncHealthWarning[]> {
  const now = options.now ?? new Date();
  const cadence = options.cadence ?? DEFAULT_CADENCE;
  const offlineForMs = options.offlineForMs ?? 60 * 60_000;
  const failingAfter = options.failingAfter ?? 2;
  const warnings: SyncHealthWarning[] = [];

  const offlineSince = new Date(now.getTime() - offlineForMs);
  const [schedule, anyRun, offline, unknownTags, stream] = await Promise.all([
    db.syncSchedule.findUnique({ where: { id: 1 } }),
    db.syncRun.findFirst({ orderBy: { startedAt: 'asc' }, select: { startedAt: true } }),
    db.charger.findMany({
      where: { state: 'OFFLINE', goneAt: null, stateChangedAt: { lt: offlineSince } },
      select: { chargeBoxId: true, stateChangedAt: true },
      orderBy: { stateChangedAt: 'asc' },
    }),
    db.evCard.findMany({
      // A tag deleted in SteVe since it was imported is no longer waiting for review.
      where: { origin: 'STEVE', status: 'PENDING', steveTagGoneAt: null },
      select: { createdAt: true },
      orderBy: { createdAt: 'asc' },
    }),
    db.changeStream.findUnique({ where: { id: 1 } }),
  ]);

  // Change capture: the source does not allow it (which setting or grant is missing), or the stream
  // broke and is being reconnected (SteVe is polled meanwhile).
  if (stream?.status === 'UNAVAILABLE' && stream.problem) {
    warnings.push({
      code: 'CHANGE_CAPTURE_UNAVAILABLE',
      severity: 'WARNING',
      message: stream.problem,
      count: 1,
      since: stream.updatedAt,
    });
  }
  if (stream?.status === 'RECONNECTING' || stream?.status === 'RECONCILING') {
    warnings.push({
      code: 'CHANGE_CAPTURE_INTERRUPTED',
      severity: 'WARNING',
      message:
        stream.status === 'RECONCILING'
          ? 'Change capture is reconciling with a full sync before it streams again; SteVe is polled meanwhile.'
          : `${stream.problem ?? 'The change stream stopped'}. Reconnecting; SteVe is polled meanwhile.`,
      count: 1,
      since: stream.updatedAt,
    });
  }

  if (
    schedule &&
    schedule.consecutiveFailures > 0 &&
    /\[(UNREACHABLE|TIMEOUT)\]/.test(schedule.lastError ?? '')
  ) {
    warnings.push({
      code: 'STEVE_UNREACHABLE',
      severity: 'CRITICAL',
      message: `SteVe is unreachable: ${schedule.lastError}`,
      count: schedule.consecutiveFailures,
      since: schedule.lastSuccessAt,
    });
  }
  if (schedule && schedule.consecutiveFailures >= failingAfter) {
    warnings.push({
      code: 'SYNC_FAILING',
      severity: 'WARNING',
      message: `The last ${schedule.consecutiveFailures} sync runs failed. Last error: ${schedule.lastError ?? 'unknown'}`,
      count: schedule.consecutiveFailures,
      since: schedule.lastSuccessAt,
    });
  }
  // Stale: measured against the interval the fleet's activity calls for (a backoff interval would
  // call a sync stale after seconds).
  const expectedMs = schedule && schedule.tier !== 'BACKOFF' ? schedule.intervalMs : cadence.idleMs;
  const reference = schedule?.lastSuccessAt ?? anyRun?.startedAt ?? null;
  if (reference && now.getTime() - reference.getTime() > 3 * expectedMs) {
    warnings.push({
      code: 'SYNC_STALE',
      severity: 'WARNING',
      message: schedule?.lastSuccessAt
        ? `No successful sync since ${schedule.lastSuccessAt.toISOString()}.`
        : 'No sync run has succeeded yet.',
      count: 1,
      since: schedule?.lastSuccessAt ?? null,
    });
  }
  if (offline.length > 0) {
    const names = offline.slice(0, 5).map((c) => c.chargeBoxId);
    warnings.push({
      code: 'CHARGERS_OFFLINE',
      severity: 'WARNING',
      message: `${offline.length} charger(s) offline for more than ${Math.round(offlineForMs / 60_000)} min: ${names.join(', ')}${offline.length > names.length ? ', …' : ''}`,
      count: offline.length,
      since: offline[0]!.stateChangedAt,
    });
  }
  if (unknownTags.length > 0) {
    warnings.push({
      code: 'UNKNOWN_TAGS',
      severity: 'WARNING',
      message: `${unknownTags.length} tag(s) appeared in SteVe that no Polaris EV card knows; review them under EV cards.`,
      count: unknownTags.length,
      since: unknownTags[0]!.createdAt,
    });
  }
  return warnings;
}
