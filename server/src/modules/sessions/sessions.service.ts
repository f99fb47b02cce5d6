import type { Services } from '../../types.ts';
import { currentUsageForCustomer } from '../billing/billing.service.ts';

export interface BillingPeriodUsage {
  customerExternalId: string;
  from: Date;
  to: Date;
  kwh: number;
  amountCents: number;
  currency: string | null;
}

export interface DriverUsage {
  weekKwh: number;
  weekSessions: number;
  monthKwh: number;
  monthSessions: number;
  weekStart: Date;
  monthStart: Date;
  /** The Lago customer of the driver's start card; null when none or Lago does not know it. */
  billingCustomerExternalId: string | null;
}

/** Monday 00:00 UTC of the week containing `at`. */
export function startOfWeekUtc(at: Date): Date {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - sinceMonday);
  return d;
}

/** The 1st of the month of `at`, 00:00 UTC. */
export function startOfMonthUtc(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/**
 * The driver's energy this week (from Monday, UTC) and this month, from the sessions Polaris
 * recorded (active ones count with what they delivered so far), by session start time.
 */
export async function driverUsage(deps: Pick<Services, 'db' | 'sync'>, userId: string): Promise<DriverUsage> {
  const now = deps.sync.engine.now();
  const weekStart = startOfWeekUtc(now);
  const monthStart = startOfMonthUtc(now);
  const sum = (since: Date) =>
    deps.db.chargingSession.aggregate({
      where: { driverId: userId, startedAt: { gte: since } },
      _sum: { energyKwh: true },
      _count: { _all: true },
    });
  const [week, month, card] = await Promise.all([
    sum(weekStart),
    sum(monthStart),
    deps.db.evCard.findFirst({
      where: { ownerId: userId, customerId: { not: null } },
      orderBy: [{ status: 'asc' }, { isPrimary: 'desc' }, { activatedAt: { sort: 'desc', nulls: 'last' } }],
      select: { customer: { select: { externalId: true } } },
    }),
  ]);
  return {
    weekKwh: round3(week._sum.energyKwh ?? 0),
    weekSessions: week._count._all,
    monthKwh: round3(month._sum.energyKwh ?? 0),
    monthSessions: month._count._all,
    weekStart,
    monthStart,
    billingCustomerExternalId: card?.customer?.externalId ?? null,
  };
}

/** Whether the driver's billing can be shown: billed through Lago, not billed yet, or Lago away. */
export type BillingAvailability = 'BILLED' | 'NOT_BILLED' | 'UNAVAILABLE';

export interface BillingPeriodRead {
  availability: BillingAvailability;
  /** The open period, when Lago answered and has one. */
  period: BillingPeriodUsage | null;
}

/** The open Lago billing period of the customer (null when none), telling an outage apart. */
export async function readBillingPeriod(
  deps: Pick<Services, 'lago' | 'logger'>,
  customerExternalId: string | null,
): Promise<BillingPeriodRead> {
  if (!customerExternalId) return { availability: 'NOT_BILLED', period: null };
  try {
    const usage = await currentUsageForCustomer(deps, customerExternalId);
    if (!usage) return { availability: 'BILLED', period: null };
    return {
      availability: 'BILLED',
      period: {
        customerExternalId,
        from: usage.fromDatetime,
        to: usage.toDatetime,
        kwh: usage.kwh,
        amountCents: usage.totalAmountCents,
        currency: usage.currency,
      },
    };
  } catch (error) {
    // The dashboard still shows Polaris' own figures while Lago is away, and says billing is.
    deps.logger.warn({ err: (error as Error).message }, 'Lago usage unavailable for the driver dashboard');
    return { availability: 'UNAVAILABLE', period: null };
  }
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
