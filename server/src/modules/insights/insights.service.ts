import { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../../lib/db.ts';

/**
 * The console's Insights charts. Each is ONE SQL statement that buckets and aggregates in the
 * database (generate_series for the empty buckets, so a quiet day is a 0, not a gap): no raw rows
 * reach Node, and the statement count does not grow with the range or the data. Times are UTC.
 */

type Raw = Pick<Db, '$queryRaw'>;

export type EnergyBucket = 'DAY' | 'WEEK';

export interface EnergyPoint {
  /** Start of the day or ISO week (Monday). */
  bucket: Date;
  kwh: number;
  sessions: number;
}

/** kWh of sessions completed per day (last 30 days) or per week (last 26 weeks), oldest first. */
export async function energyDelivered(db: Raw, bucket: EnergyBucket): Promise<EnergyPoint[]> {
  const unit = bucket === 'DAY' ? 'day' : 'week';
  const span = bucket === 'DAY' ? '29 days' : '25 weeks';
  const step = bucket === 'DAY' ? '1 day' : '1 week';
  const rows = await db.$queryRaw<{ bucket: Date; kwh: number; sessions: number }[]>`
    WITH range AS (
      SELECT date_trunc(${unit}::text, (now() AT TIME ZONE 'UTC') - ${span}::interval) AS first,
             date_trunc(${unit}::text, now() AT TIME ZONE 'UTC') AS last
    ), agg AS (
      SELECT date_trunc(${unit}::text, s."stoppedAt") AS bucket, sum(s."energyKwh") AS kwh, count(*) AS n
        FROM "ChargingSession" s, range
       WHERE s.status = 'COMPLETED' AND s."stoppedAt" >= range.first
       GROUP BY 1
    )
    SELECT b.bucket, COALESCE(agg.kwh, 0)::float8 AS kwh, COALESCE(agg.n, 0)::int AS sessions
      FROM range, generate_series(range.first, range.last, ${step}::interval) AS b(bucket)
      LEFT JOIN agg ON agg.bucket = b.bucket
     ORDER BY b.bucket`;
  return rows.map((r) => ({ bucket: r.bucket, kwh: Math.round(r.kwh * 1000) / 1000, sessions: r.sessions }));
}

export interface HourPoint {
  /** 0–23, UTC. */
  hour: number;
  sessions: number;
}

/** Sessions started in the last `days` days by hour of day (UTC), all 24 hours. */
export async function sessionsByHour(db: Raw, days: number): Promise<HourPoint[]> {
  return db.$queryRaw<HourPoint[]>`
    WITH agg AS (
      SELECT extract(hour FROM "startedAt")::int AS hour, count(*)::int AS n
        FROM "ChargingSession"
       WHERE "startedAt" >= (now() AT TIME ZONE 'UTC') - make_interval(days => ${days}::int)
       GROUP BY 1
    )
    SELECT h.hour::int AS hour, COALESCE(agg.n, 0)::int AS sessions
      FROM generate_series(0, 23) AS h(hour)
      LEFT JOIN agg ON agg.hour = h.hour
     ORDER BY h.hour`;
}

export interface ChargerUtilisation {
  chargerId: string;
  chargeBoxId: string;
  name: string | null;
  /** Share of the window its connectors were in a session, 0…1. */
  share: number;
  /** Top (most used) or bottom (least used). */
  rank: 'TOP' | 'BOTTOM';
}

/**
 * Per charger, the share of the last `days` days its connectors spent in sessions (sum of each
 * session's overlap with the window over window × connectors); the `limit` most and least used.
 */
export async function utilisation(db: Raw, days: number, limit: number): Promise<ChargerUtilisation[]> {
  return db.$queryRaw<ChargerUtilisation[]>`
    WITH win AS (
      SELECT (now() AT TIME ZONE 'UTC') AS hi,
             (now() AT TIME ZONE 'UTC') - make_interval(days => ${days}::int) AS lo
    ), used AS (
      SELECT s."chargerId",
             sum(extract(epoch FROM least(COALESCE(s."stoppedAt", win.hi), win.hi) - greatest(s."startedAt", win.lo))) AS seconds
        FROM "ChargingSession" s, win
       WHERE s."startedAt" < win.hi AND (s."stoppedAt" IS NULL OR s."stoppedAt" > win.lo)
       GROUP BY s."chargerId"
    ), ports AS (
      SELECT "chargerId", count(*) AS n FROM "Connector" WHERE "connectorId" > 0 GROUP BY "chargerId"
    ), shares AS (
      SELECT c.id AS "chargerId", c."chargeBoxId", c.description AS name,
             LEAST(1, COALESCE(used.seconds, 0) / (extract(epoch FROM win.hi - win.lo) * GREATEST(COALESCE(ports.n, 1), 1)))::float8 AS share
        FROM "Charger" c CROSS JOIN win
        LEFT JOIN used ON used."chargerId" = c.id
        LEFT JOIN ports ON ports."chargerId" = c.id
       WHERE c."goneAt" IS NULL
    )
    (SELECT *, 'TOP' AS rank FROM shares ORDER BY share DESC, "chargeBoxId" LIMIT ${limit}::int)
    UNION ALL
    (SELECT *, 'BOTTOM' AS rank FROM shares ORDER BY share ASC, "chargeBoxId" LIMIT ${limit}::int)`;
}

export interface SyncRunBucket {
  /** Start of the 15-minute bucket. */
  bucket: Date;
  runs: number;
  failed: number;
  /** Mean and longest run duration in the bucket, ms (0 without runs). */
  meanDurationMs: number;
  maxDurationMs: number;
  /** Records the runs processed (changes read and applied), summed over their segments. */
  changes: number;
}

/** Sync runs of the last 24 hours in 15-minute buckets: how many, how long, how much they changed. */
export async function syncRunsLastDay(db: Raw): Promise<SyncRunBucket[]> {
  return db.$queryRaw<SyncRunBucket[]>`
    WITH range AS (
      SELECT date_bin('15 minutes', (now() AT TIME ZONE 'UTC') - interval '1 day', timestamp '2000-01-01') AS first,
             date_bin('15 minutes', now() AT TIME ZONE 'UTC', timestamp '2000-01-01') AS last
    ), runs AS (
      SELECT date_bin('15 minutes', r."startedAt", timestamp '2000-01-01') AS bucket, r.status,
             extract(epoch FROM r."finishedAt" - r."startedAt") * 1000 AS ms,
             (SELECT COALESCE(sum(g.processed), 0) FROM "SyncSegment" g WHERE g."runId" = r.id) AS changes
        FROM "SyncRun" r, range
       WHERE r."startedAt" >= range.first AND r."finishedAt" IS NOT NULL
    ), agg AS (
      SELECT bucket, count(*) AS runs, count(*) FILTER (WHERE status = 'FAILED') AS failed,
             avg(ms) AS mean, max(ms) AS max, sum(changes) AS changes
        FROM runs GROUP BY bucket
    )
    SELECT b.bucket, COALESCE(agg.runs, 0)::int AS runs, COALESCE(agg.failed, 0)::int AS failed,
           COALESCE(round(agg.mean), 0)::float8 AS "meanDurationMs", COALESCE(round(agg.max), 0)::float8 AS "maxDurationMs",
           COALESCE(agg.changes, 0)::int AS changes
      FROM range, generate_series(range.first, range.last, interval '15 minutes') AS b(bucket)
      LEFT JOIN agg ON agg.bucket = b.bucket
     ORDER BY b.bucket`;
}

export interface BillingDay {
  day: Date;
  /** Accepted by Lago that day. */
  sent: number;
  /** Created that day and still waiting (for Lago, or for a customer on the card). */
  waiting: number;
  /** Refused by Lago (FAILED), by the day they were last touched. */
  refused: number;
}

/** Usage events per day over the last 30 days: sent, still waiting, refused. */
export async function billingPerDay(db: Raw): Promise<BillingDay[]> {
  return db.$queryRaw<BillingDay[]>`
    WITH range AS (
      SELECT date_trunc('day', (now() AT TIME ZONE 'UTC') - interval '29 days') AS first,
             date_trunc('day', now() AT TIME ZONE 'UTC') AS last
    ), events AS (
      SELECT date_trunc('day', "deliveredAt") AS day, 'sent' AS what FROM "BillingEvent", range
       WHERE status = 'DELIVERED' AND "deliveredAt" >= range.first
      UNION ALL
      SELECT date_trunc('day', "createdAt"), 'waiting' FROM "BillingEvent", range
       WHERE status IN ('PENDING', 'WAITING_FOR_CUSTOMER') AND "createdAt" >= range.first
      UNION ALL
      SELECT date_trunc('day', "updatedAt"), 'refused' FROM "BillingEvent", range
       WHERE status = 'FAILED' AND "updatedAt" >= range.first
    ), agg AS (
      SELECT day, count(*) FILTER (WHERE what = 'sent') AS sent, count(*) FILTER (WHERE what = 'waiting') AS waiting,
             count(*) FILTER (WHERE what = 'refused') AS refused
        FROM events GROUP BY day
    )
    SELECT b.day, COALESCE(agg.sent, 0)::int AS sent, COALESCE(agg.waiting, 0)::int AS waiting,
           COALESCE(agg.refused, 0)::int AS refused
      FROM range, generate_series(range.first, range.last, interval '1 day') AS b(day)
      LEFT JOIN agg ON agg.day = b.day
     ORDER BY b.day`;
}

export interface SiteEnergySeries {
  /** The operator's site name; null for chargers without one (or, with `others`, every other site). */
  site: string | null;
  /** The sites beyond the largest `limit`, summed into one series. */
  others: boolean;
  totalKwh: number;
  points: EnergyPoint[];
}

/**
 * kWh per day (last 30 days) or week (last 26 weeks) per site (the operator's `siteName`): the
 * `limit` sites with the most energy in the range each get a series, the rest one summed series,
 * chargers without a site one of their own. One statement; every series has every bucket.
 */
export async function energyBySite(
  db: Raw,
  bucket: EnergyBucket,
  limit: number,
): Promise<SiteEnergySeries[]> {
  const unit = bucket === 'DAY' ? 'day' : 'week';
  const span = bucket === 'DAY' ? '29 days' : '25 weeks';
  const step = bucket === 'DAY' ? '1 day' : '1 week';
  // The bucket numbers are a literal, so the planner knows there are exactly 30 or 26 (a timestamp
  // series from the CTE is guessed at 1000 rows, which prices the statement into JIT compilation:
  // 2.3 s of its 2.8 s at 50k sessions).
  const buckets = bucket === 'DAY' ? 30 : 26;
  const rows = await db.$queryRaw<
    {
      site: string | null;
      others: boolean;
      bucket: Date;
      kwh: number;
      sessions: number;
      total: number;
      rank: number;
    }[]
  >`
    WITH range AS (
      SELECT date_trunc(${unit}::text, (now() AT TIME ZONE 'UTC') - ${span}::interval) AS first,
             date_trunc(${unit}::text, now() AT TIME ZONE 'UTC') AS last
    ), agg AS (
      SELECT NULLIF(btrim(p."siteName"), '') AS site, date_trunc(${unit}::text, s."stoppedAt") AS bucket,
             sum(s."energyKwh") AS kwh, count(*) AS n
        FROM "ChargingSession" s
        CROSS JOIN range
        LEFT JOIN "ChargerProfile" p ON p."chargerId" = s."chargerId"
       WHERE s.status = 'COMPLETED' AND s."stoppedAt" >= range.first
       GROUP BY 1, 2
    ), ranked AS (
      SELECT site, row_number() OVER (ORDER BY sum(kwh) DESC, site NULLS LAST) AS rn
        FROM agg WHERE site IS NOT NULL GROUP BY site
    ), labelled AS (
      SELECT CASE WHEN a.site IS NULL OR r.rn <= ${limit}::int THEN a.site END AS site,
             (a.site IS NOT NULL AND r.rn > ${limit}::int) AS others, a.bucket, a.kwh, a.n
        FROM agg a LEFT JOIN ranked r ON r.site = a.site
    ), grouped AS (
      SELECT site, others, bucket, sum(kwh) AS kwh, sum(n) AS n FROM labelled GROUP BY 1, 2, 3
    ), series AS (
      SELECT site, others, sum(kwh) AS total FROM grouped GROUP BY 1, 2
    )
    SELECT se.site, se.others, b.bucket, COALESCE(g.kwh, 0)::float8 AS kwh, COALESCE(g.n, 0)::int AS sessions,
           se.total::float8 AS total,
           (row_number() OVER (PARTITION BY b.bucket ORDER BY se.others, se.site IS NULL, se.total DESC, se.site))::int AS rank
      FROM series se
     CROSS JOIN range
     CROSS JOIN LATERAL (SELECT range.first + i * ${step}::interval AS bucket
                           FROM generate_series(0, ${Prisma.raw(String(buckets - 1))}) AS i) AS b
      LEFT JOIN grouped g ON g.site IS NOT DISTINCT FROM se.site AND g.others = se.others AND g.bucket = b.bucket
     ORDER BY rank, b.bucket`;
  const out: SiteEnergySeries[] = [];
  for (const r of rows) {
    let series = out[r.rank - 1];
    if (!series) {
      series = { site: r.site, others: r.others, totalKwh: round3(r.total), points: [] };
      out[r.rank - 1] = series;
    }
    series.points.push({ bucket: r.bucket, kwh: round3(r.kwh), sessions: r.sessions });
  }
  return out;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

export interface ChargerUptime {
  chargerId: string;
  chargeBoxId: string;
  name: string | null;
  /** Share of the known time its connectors were usable (neither Faulted nor Unavailable), 0…1. */
  share: number;
  /** Connector time known in the window, and of it the time out of order, in minutes. */
  knownMinutes: number;
  downMinutes: number;
  rank: 'TOP' | 'BOTTOM';
}

/**
 * Uptime per charger over the last `days` days from the status history, as on the charger page:
 * every connector's status segments (the last status before the window opens it; time before a
 * connector's first known status does not count), up unless Faulted or Unavailable, summed over
 * its connectors. The `limit` best and worst chargers; chargers with no known time are left out.
 */
export async function uptime(db: Raw, days: number, limit: number): Promise<ChargerUptime[]> {
  return db.$queryRaw<ChargerUptime[]>`
    WITH win AS (
      SELECT (now() AT TIME ZONE 'UTC') AS hi,
             (now() AT TIME ZONE 'UTC') - make_interval(days => ${days}::int) AS lo
    ), opening AS (
      SELECT c."chargerId", c."connectorId", o.status, win.lo AS at, 0 AS ord, win.lo AS "recordedAt"
        FROM "Connector" c
       CROSS JOIN win
       CROSS JOIN LATERAL (
              SELECT e.status FROM "ConnectorStatusEvent" e
               WHERE e."chargerId" = c."chargerId" AND e."connectorId" = c."connectorId" AND e.at < win.lo
               ORDER BY e.at DESC, e."recordedAt" DESC LIMIT 1) o
       WHERE c."connectorId" > 0
    ), events AS (
      SELECT * FROM opening
      UNION ALL
      SELECT e."chargerId", e."connectorId", e.status, e.at, 1, e."recordedAt"
        FROM "ConnectorStatusEvent" e, win
       WHERE e."connectorId" > 0 AND e.at >= win.lo AND e.at < win.hi
    ), segments AS (
      SELECT ev."chargerId", ev.status,
             extract(epoch FROM COALESCE(lead(ev.at) OVER w, win.hi) - ev.at) AS seconds
        FROM events ev, win
      WINDOW w AS (PARTITION BY ev."chargerId", ev."connectorId" ORDER BY ev.at, ev.ord, ev."recordedAt")
    ), per AS (
      SELECT "chargerId", sum(seconds) AS known,
             COALESCE(sum(seconds) FILTER (WHERE status NOT IN ('Faulted', 'Unavailable')), 0) AS up
        FROM segments GROUP BY 1 HAVING sum(seconds) > 0
    ), shares AS (
      SELECT c.id AS "chargerId", c."chargeBoxId", c.description AS name, (per.up / per.known)::float8 AS share,
             round(per.known / 60)::int AS "knownMinutes", round((per.known - per.up) / 60)::int AS "downMinutes"
        FROM per JOIN "Charger" c ON c.id = per."chargerId"
       WHERE c."goneAt" IS NULL
    )
    (SELECT *, 'TOP' AS rank FROM shares ORDER BY share DESC, "chargeBoxId" LIMIT ${limit}::int)
    UNION ALL
    (SELECT *, 'BOTTOM' AS rank FROM shares ORDER BY share ASC, "chargeBoxId" LIMIT ${limit}::int)`;
}
