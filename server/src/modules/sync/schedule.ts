import type { SyncSchedule } from '../../generated/prisma/client.ts';
import type { Db } from '../../lib/db.ts';
import { isStreaming } from './change-capture/state.ts';
import { decideCadence, type ActivityFacts, type CadenceIntervals } from './cadence.ts';

/** The single SyncSchedule row, created on first use. */
export async function getSchedule(db: Db, cadence: CadenceIntervals, now: Date): Promise<SyncSchedule> {
  const existing = await db.syncSchedule.findUnique({ where: { id: 1 } });
  if (existing) return existing;
  // ON CONFLICT DO NOTHING: several instances may create it at the same moment.
  await db.syncSchedule.createMany({
    data: [{ id: 1, tier: 'IDLE', intervalMs: cadence.idleMs, nextRunAt: now }],
    skipDuplicates: true,
  });
  return db.syncSchedule.findUniqueOrThrow({ where: { id: 1 } });
}

/** What the cadence looks at: live sessions, pending starts and the latest activity. */
export async function activityFacts(db: Db, cadence: CadenceIntervals, now: Date): Promise<ActivityFacts> {
  const since = new Date(now.getTime() - cadence.pendingStartWindowMs);
  const [activeSessions, pendingStartRequests, started, stopped, requested, changed, reserved] =
    await Promise.all([
      db.chargingSession.count({ where: { status: 'ACTIVE' } }),
      db.startRequest.count({ where: { outcome: 'PENDING', createdAt: { gte: since } } }),
      // Newest first through the indexes: Prisma's `aggregate({ _max })` wraps the table in a
      // subquery with OFFSET, which PostgreSQL answers with a scan of every session.
      db.chargingSession.findFirst({ orderBy: { startedAt: 'desc' }, select: { startedAt: true } }),
      db.chargingSession.findFirst({
        where: { stoppedAt: { not: null } },
        orderBy: { stoppedAt: 'desc' },
        select: { stoppedAt: true },
      }),
      db.startRequest.aggregate({ _max: { createdAt: true } }),
      db.charger.aggregate({ _max: { stateChangedAt: true } }),
      db.reservation.aggregate({ _max: { statusAt: true } }),
    ]);
  const candidates = [
    started?.startedAt,
    stopped?.stoppedAt,
    requested._max.createdAt,
    changed._max.stateChangedAt,
    reserved._max.statusAt,
  ].filter((d): d is Date => d instanceof Date);
  const lastActivityAt = candidates.length ? new Date(Math.max(...candidates.map((d) => d.getTime()))) : null;
  return { activeSessions, pendingStartRequests, lastActivityAt };
}

/** After a run: the next tier and run time from its outcome (backoff on failure) and the activity. */
export async function updateSchedule(
  db: Db,
  cadence: CadenceIntervals,
  failure: Error | null,
  now: Date,
): Promise<SyncSchedule> {
  const current = await getSchedule(db, cadence, now);
  if (failure) {
    const consecutiveFailures = current.consecutiveFailures + 1;
    const decision = decideCadence({ consecutiveFailures, facts: null, now }, cadence);
    return db.syncSchedule.update({
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
  const [facts, streaming] = await Promise.all([activityFacts(db, cadence, now), isStreaming(db, now)]);
  // With changes streaming, a scheduled run only reconciles: at the slow STREAMING interval.
  const decision = decideCadence({ consecutiveFailures: 0, facts, now, streaming }, cadence);
  return db.syncSchedule.update({
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
