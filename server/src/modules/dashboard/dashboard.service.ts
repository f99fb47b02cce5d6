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

/** Everything the dashboard counts, read together (see `dashboardCounts`). */
export interface DashboardCounts {
  welcome: boolean;
  chargersTotal: number;
  chargersOnline: number;
  unreadAlerts: number;
  weeklyFigures: WeeklyFigures;
}

/**
 * The header strip, the welcome flag (first run of a fresh deployment: no charger ever seen, gone
 * ones count, and no sync run completed) and the "This week" tiles (the last 7 days up to now) in
 * **one** statement of scalar sub-queries, each on its own index. They cost nine statements when
 * each field asked for its own.
 */
export async function dashboardCounts(db: Db, now = new Date()): Promise<DashboardCounts> {
  const since = new Date(now.getTime() - WEEK_MS);
  const sinceTs = since.toISOString().replace('T', ' ').replace('Z', '');
  const [row] = await db.$queryRaw<
    {
      welcome: boolean;
      chargersTotal: number;
      chargersOnline: number;
      unreadAlerts: number;
      kwh: number | null;
      syncRuns: number;
      cardsActivated: number;
      reservationsCompleted: number;
    }[]
  >`
    SELECT
      (NOT EXISTS (SELECT 1 FROM "Charger")
        AND NOT EXISTS (SELECT 1 FROM "SyncRun" WHERE "status" = 'SUCCEEDED')) AS "welcome",
      (SELECT count(*) FROM "Charger" WHERE "goneAt" IS NULL)::int AS "chargersTotal",
      (SELECT count(*) FROM "Charger" WHERE "goneAt" IS NULL AND "state" <> 'OFFLINE')::int AS "chargersOnline",
      (SELECT count(*) FROM "Alert" WHERE "readAt" IS NULL)::int AS "unreadAlerts",
      (SELECT sum("energyKwh") FROM "ChargingSession"
        WHERE "status" = 'COMPLETED' AND "stoppedAt" >= ${sinceTs}::timestamp(3))::float8 AS "kwh",
      (SELECT count(*) FROM "SyncRun" WHERE "startedAt" >= ${sinceTs}::timestamp(3))::int AS "syncRuns",
      (SELECT count(*) FROM "EvCard" WHERE "activatedAt" >= ${sinceTs}::timestamp(3))::int AS "cardsActivated",
      (SELECT count(*) FROM "Reservation"
        WHERE "status" = 'COMPLETED' AND "statusAt" >= ${sinceTs}::timestamp(3))::int AS "reservationsCompleted"`;
  if (!row) throw new Error('dashboard counts returned no row');
  return {
    welcome: row.welcome,
    chargersTotal: row.chargersTotal,
    chargersOnline: row.chargersOnline,
    unreadAlerts: row.unreadAlerts,
    weeklyFigures: {
      since,
      kwhDelivered: Math.round((row.kwh ?? 0) * 10) / 10,
      syncRuns: row.syncRuns,
      cardsActivated: row.cardsActivated,
      reservationsCompleted: row.reservationsCompleted,
    },
  };
}
