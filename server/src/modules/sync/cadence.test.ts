import { describe, expect, it } from 'vitest';
import { activityTier, backoffInterval, decideCadence, DEFAULT_CADENCE } from './cadence.ts';

const now = new Date('2026-11-22T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('adaptive cadence', () => {
  it('backs off 5 s, 10 s, 20 s … capped at 10 min', () => {
    expect([1, 2, 3, 4].map((n) => backoffInterval(n))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(backoffInterval(8)).toBe(600_000);
    expect(backoffInterval(1_000)).toBe(600_000);
  });

  it('is LIVE with active sessions or a pending start, ACTIVE after recent activity, else IDLE', () => {
    expect(activityTier({ activeSessions: 1, pendingStartRequests: 0, lastActivityAt: null }, now)).toBe(
      'LIVE',
    );
    expect(activityTier({ activeSessions: 0, pendingStartRequests: 1, lastActivityAt: null }, now)).toBe(
      'LIVE',
    );
    expect(
      activityTier({ activeSessions: 0, pendingStartRequests: 0, lastActivityAt: ago(9 * 60_000) }, now),
    ).toBe('ACTIVE');
    expect(
      activityTier({ activeSessions: 0, pendingStartRequests: 0, lastActivityAt: ago(11 * 60_000) }, now),
    ).toBe('IDLE');
    expect(activityTier({ activeSessions: 0, pendingStartRequests: 0, lastActivityAt: null }, now)).toBe(
      'IDLE',
    );
  });

  it('lets failures win over activity and schedules the next run one interval ahead', () => {
    const failing = decideCadence({
      consecutiveFailures: 2,
      facts: { activeSessions: 3, pendingStartRequests: 0, lastActivityAt: now },
      now,
    });
    expect(failing).toEqual({
      tier: 'BACKOFF',
      intervalMs: 10_000,
      nextRunAt: new Date(now.getTime() + 10_000),
    });
    const live = decideCadence({
      consecutiveFailures: 0,
      facts: { activeSessions: 1, pendingStartRequests: 0, lastActivityAt: now },
      now,
    });
    expect(live).toEqual({
      tier: 'LIVE',
      intervalMs: DEFAULT_CADENCE.liveMs,
      nextRunAt: new Date(now.getTime() + 3_000),
    });
    const custom = decideCadence(
      {
        consecutiveFailures: 0,
        facts: { activeSessions: 0, pendingStartRequests: 0, lastActivityAt: null },
        now,
      },
      { ...DEFAULT_CADENCE, idleMs: 123 },
    );
    expect(custom.intervalMs).toBe(123);
  });

  it('is STREAMING (a slow reconciliation run) while change capture is healthy, BACKOFF still wins', () => {
    const facts = { activeSessions: 3, pendingStartRequests: 1, lastActivityAt: now };
    expect(decideCadence({ consecutiveFailures: 0, facts, now, streaming: true })).toEqual({
      tier: 'STREAMING',
      intervalMs: 5 * 60_000,
      nextRunAt: new Date(now.getTime() + 5 * 60_000),
    });
    expect(decideCadence({ consecutiveFailures: 1, facts: null, now, streaming: true }).tier).toBe('BACKOFF');
  });
});
