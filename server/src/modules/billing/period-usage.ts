/**
 * The kWh a session's billing customer used earlier in the same billing period, for pricing a
 * session under a graduated tariff the way Lago bills it: Lago sums the period's kWh and runs that
 * sum through the tiers, so each session is charged what it adds on top of the sessions billed
 * before it (ordered by stop time, the usage event's timestamp; a running session comes after all
 * finished ones). Periods are calendar periods in UTC (Polaris subscribes with
 * `billing_time: calendar`). One query per request and interval, however many sessions are listed.
 */
import DataLoader from 'dataloader';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Context } from '../../types.ts';

/** Start of the calendar billing period containing `at` (a SQL timestamp expression). */
function periodStart(interval: string, at: Prisma.Sql): Prisma.Sql {
  switch (interval) {
    case 'weekly':
      return Prisma.sql`date_trunc('week', ${at})`;
    case 'quarterly':
      return Prisma.sql`date_trunc('quarter', ${at})`;
    case 'semiannual':
      return Prisma.sql`(date_trunc('year', ${at}) + CASE WHEN extract(month FROM ${at}) > 6 THEN interval '6 months' ELSE interval '0' END)`;
    case 'yearly':
      return Prisma.sql`date_trunc('year', ${at})`;
    default:
      return Prisma.sql`date_trunc('month', ${at})`;
  }
}

const loaders = new WeakMap<Context, Map<string, DataLoader<string, string>>>();

/** kWh (decimal string) billed to the session's customer before it in its period; "0" without a customer. */
export function kwhBeforeInPeriod(ctx: Context, sessionId: string, interval: string): Promise<string> {
  let byInterval = loaders.get(ctx);
  if (!byInterval) {
    byInterval = new Map();
    loaders.set(ctx, byInterval);
  }
  let loader = byInterval.get(interval);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const now = ctx.services.sync.engine.now();
      const at = Prisma.sql`COALESCE(s."stoppedAt", ${now}::timestamp(3))`;
      const rows = await ctx.services.db.$queryRaw<{ id: string; kwh: string }[]>`
        SELECT s."id", COALESCE(SUM(ROUND(p."energyKwh"::numeric, 6)), 0)::text AS "kwh"
        FROM "ChargingSession" s
        JOIN "EvCard" c ON c."id" = s."cardId" AND c."customerId" IS NOT NULL
        JOIN "EvCard" c2 ON c2."customerId" = c."customerId"
        JOIN "ChargingSession" p ON p."cardId" = c2."id" AND p."id" <> s."id" AND p."status" = 'COMPLETED'
         AND p."stoppedAt" >= ${periodStart(interval, at)}
         AND (p."stoppedAt" < ${at} OR (p."stoppedAt" = ${at} AND p."id" < s."id"))
        WHERE s."id" = ANY(${[...ids]}::text[])
        GROUP BY s."id"`;
      const byId = new Map(rows.map((r) => [r.id, r.kwh]));
      return ids.map((id) => byId.get(id) ?? '0');
    });
    byInterval.set(interval, loader);
  }
  return loader.load(sessionId);
}
