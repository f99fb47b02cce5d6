/**
 * Adaptive Cadence: how soon the next sync run should happen, as a pure function of recent activity
 * and failures. No I/O here; sync.engine.ts gathers the facts and persists the result in SyncSchedule.
 */

export type CadenceTier = 'LIVE' | 'ACTIVE' | 'IDLE' | 'BACKOFF' | 'STREAMING';

export interface CadenceIntervals {
  /** Active sessions or a pending start request: drivers watch kWh count up. */
  liveMs: number;
  /** Something happened recently (sessions, start requests, state changes, reservations). */
  activeMs: number;
  /** Nothing going on. */
  idleMs: number;
  /** First retry after a failure; doubles per consecutive failure. */
  backoffBaseMs: number;
  /** Change capture streams every change: scheduled runs only reconcile, this often. */
  streamingMs: number;
  /** Upper bound of the backoff. */
  backoffMaxMs: number;
  /** How far back "recent activity" reaches for the ACTIVE tier. */
  activityWindowMs: number;
  /** A pending start request older than this no longer keeps the fleet LIVE. */
  pendingStartWindowMs: number;
}

export const DEFAULT_CADENCE: CadenceIntervals = {
  liveMs: 3_000,
  activeMs: 60_000,
  idleMs: 5 * 60_000,
  streamingMs: 5 * 60_000,
  backoffBaseMs: 5_000,
  backoffMaxMs: 10 * 60_000,
  activityWindowMs: 10 * 60_000,
  pendingStartWindowMs: 10 * 60_000,
};

/** What the engine observed after a run. */
export interface ActivityFacts {
  activeSessions: number;
  pendingStartRequests: number;
  /** Most recent activity timestamp (session start/stop, start request, state change, reservation), if any. */
  lastActivityAt: Date | null;
}

export interface CadenceDecision {
  tier: CadenceTier;
  intervalMs: number;
  nextRunAt: Date;
}

/** 5 s, 10 s, 20 s, … capped: the n-th consecutive failure (n ≥ 1) waits base·2^(n−1). */
export function backoffInterval(
  consecutiveFailures: number,
  intervals: CadenceIntervals = DEFAULT_CADENCE,
): number {
  const n = Math.max(1, Math.floor(consecutiveFailures));
  // Beyond 2^30 the cap has long been reached; avoid floating-point overflow on absurd counts.
  const factor = 2 ** Math.min(n - 1, 30);
  return Math.min(intervals.backoffMaxMs, intervals.backoffBaseMs * factor);
}

/** The tier a healthy fleet deserves from its activity. */
export function activityTier(
  facts: ActivityFacts,
  now: Date,
  intervals: CadenceIntervals = DEFAULT_CADENCE,
): Exclude<CadenceTier, 'BACKOFF' | 'STREAMING'> {
  if (facts.activeSessions > 0 || facts.pendingStartRequests > 0) return 'LIVE';
  if (facts.lastActivityAt && now.getTime() - facts.lastActivityAt.getTime() <= intervals.activityWindowMs) {
    return 'ACTIVE';
  }
  return 'IDLE';
}

export function tierInterval(
  tier: Exclude<CadenceTier, 'BACKOFF'>,
  intervals: CadenceIntervals = DEFAULT_CADENCE,
): number {
  switch (tier) {
    case 'LIVE':
      return intervals.liveMs;
    case 'ACTIVE':
      return intervals.activeMs;
    case 'IDLE':
      return intervals.idleMs;
    case 'STREAMING':
      return intervals.streamingMs;
  }
}

/**
 * The schedule after a run: failures win (BACKOFF), then a healthy change stream (STREAMING: the
 * run only reconciles), otherwise activity picks the tier. `consecutiveFailures` counts the run
 * just finished.
 */
export function decideCadence(
  input: { consecutiveFailures: number; facts: ActivityFacts | null; now: Date; streaming?: boolean },
  intervals: CadenceIntervals = DEFAULT_CADENCE,
): CadenceDecision {
  const { now } = input;
  if (input.consecutiveFailures > 0 || input.facts === null) {
    const intervalMs = backoffInterval(input.consecutiveFailures, intervals);
    return { tier: 'BACKOFF', intervalMs, nextRunAt: new Date(now.getTime() + intervalMs) };
  }
  const tier = input.streaming ? 'STREAMING' : activityTier(input.facts, now, intervals);
  const intervalMs = tierInterval(tier, intervals);
  return { tier, intervalMs, nextRunAt: new Date(now.getTime() + intervalMs) };
}
