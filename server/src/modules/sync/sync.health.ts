/** Sync health: operational warnings (SteVe unreachable, failing or stale sync, chargers offline, unknown tags). */
import type { Db } from '../../lib/db.ts';
import { formatDuration } from '../../../../shared/duration.ts';
import { plural } from '../../../../shared/plural.ts';
import { DEFAULT_CADENCE, type CadenceIntervals } from './cadence.ts';

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
        ? `No successful sync run for ${formatDuration(now.getTime() - schedule.lastSuccessAt.getTime())}; the last one finished at ${schedule.lastSuccessAt.toISOString()}.`
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
      message: `${plural(offline.length, 'charger')} offline for more than ${formatDuration(offlineForMs)}: ${names.join(', ')}${offline.length > names.length ? ', …' : ''}`,
      count: offline.length,
      since: offline[0]!.stateChangedAt,
    });
  }
  if (unknownTags.length > 0) {
    warnings.push({
      code: 'UNKNOWN_TAGS',
      severity: 'WARNING',
      message: `${plural(unknownTags.length, 'tag')} appeared in SteVe that no Polaris EV card knows; review them under EV cards.`,
      count: unknownTags.length,
      since: unknownTags[0]!.createdAt,
    });
  }
  return warnings;
}
