import type { Db } from '../../lib/db.ts';
import type { Services } from '../../types.ts';
import { plural } from '../../../../shared/plural.ts';
import { billingHealth } from '../billing/billing.service.ts';
import { syncHealthWarnings } from '../sync/sync.health.ts';

export const WEEK_MS = 7 * 24 * 60 * 60_000;

/** One line of the Health card, whichever part of the system it comes from. */
export interface OperatorHealthWarning {
  source: 'SYNC' | 'BILLING' | 'CARDS';
  code: string;
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  message: string;
  count: number;
  since: Date | null;
}

export interface OperatorHealth {
  checkedAt: Date;
  warnings: OperatorHealthWarning[];
}

/** Sync, billing and card warnings rolled up, most urgent first. Empty means healthy. */
export async function operatorHealth(
  services: Pick<Services, 'db' | 'config'> & Partial<Pick<Services, 'startupChecks'>>,
  options: { now?: Date } = {},
): Promise<OperatorHealth> {
  const now = options.now ?? new Date();
  const [sync, billing, unmapped, unmappedCount] = await Promise.all([
    syncHealthWarnings(services.db, { now }),
    billingHealth(services, { now, stuckAfterMs: services.config.BILLING_STUCK_AFTER_MINUTES * 60_000 }),
    services.db.evCard.findMany({
      where: { status: 'ACTIVE', customerId: null },
      select: { publicId: true, activatedAt: true },
      orderBy: { activatedAt: 'asc' },
      take: 5,
    }),
    services.db.evCard.count({ where: { status: 'ACTIVE', customerId: null } }),
  ]);
  const warnings: OperatorHealthWarning[] = [
    // Start-up checks of a real SteVe / Lago (credentials, grants, schema, metric and plan).
    ...(services.startupChecks?.healthWarnings() ?? []),
    ...sync.map((w) => ({ source: 'SYNC' as const, ...w })),
    ...billing.warnings.map((w) => ({
      source: 'BILLING' as const,
      code: w.kind,
      severity: w.severity,
      message: w.message,
      count: w.count,
      since: null,
    })),
  ];
  if (unmapped.length > 0) {
    const count = unmappedCount;
    const names = unmapped.map((c) => c.publicId);
    warnings.push({
      source: 'CARDS',
      code: 'CARDS_WITHOUT_CUSTOMER',
      severity: 'WARNING',
      message: `${plural(count, 'active EV card')} without a Lago customer: ${names.join(', ')}${count > names.length ? ', …' : ''}. Their sessions are not billed until you link one.`,
      count,
      since: unmapped[0]!.activatedAt,
    });
  }
  const rank = { CRITICAL: 0, WARNING: 1, INFO: 2 } as const;
  warnings.sort((a, b) => rank[a.severity] - rank[b.severity]);
  return { checkedAt: now, warnings };
}

export interface WeeklyFigures {
  since: Date;
  kwhDelivered: number;
  syncRuns: number;
  cardsActivated: number;
  reservationsCompleted: number;
}

/** The "This week" tiles: the last 7 days up to now. */
export async function weeklyFigures(db: Db, now = new Date()): Promise<WeeklyFigures> {
  const since = new Date(now.getTime() - WEEK_MS);
  const [energy, syncRuns, cardsActivated, reservationsCompleted] = await Promise.all([
    db.chargingSession.aggregate({
      _sum: { energyKwh: true },
      where: { status: 'COMPLETED', stoppedAt: { gte: since } },
    }),
    db.syncRun.count({ where: { startedAt: { gte: since } } }),
    db.evCard.count({ where: { activatedAt: { gte: since } } }),
    db.reservation.count({ where: { status: 'COMPLETED', statusAt: { gte: since } } }),
  ]);
  return {
    since,
    kwhDelivered: Math.round((energy._sum.energyKwh ?? 0) * 10) / 10,
    syncRuns,
    cardsActivated,
    reservationsCompleted,
  };
}

/** First run of a fresh deployment: no charger ever seen (gone ones count) and no sync run completed. */
export async function isWelcome(db: Db): Promise<boolean> {
  const [charger, run] = await Promise.all([
    db.charger.findFirst({ select: { id: true } }),
    db.syncRun.findFirst({ where: { status: 'SUCCEEDED' }, select: { id: true } }),
  ]);
  return charger === null && run === null;
}
