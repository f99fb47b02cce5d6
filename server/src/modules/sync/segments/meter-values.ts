import { sessionUpdated } from '../../events/emit.ts';
import {
  MAX_PAGE_SIZE,
  type MeterSampleCursor,
  type Page,
  type SteveMeterSample,
} from '../../../integrations/steve/port.ts';
import { bulkInsert, type BulkColumns } from '../../../lib/bulk-sql.ts';
import { energyKwh } from '../../../lib/energy.ts';
import {
  commitPage,
  type Segment,
  type SegmentContext,
  type SegmentDeps,
  type Tx,
  type WriteScope,
} from '../segment.ts';

/** Transactions whose meter values one `listMeterValues` call asks for (the port's maximum). */
const METER_BATCH = 1000;

export interface MeterBatch {
  /** Sorted by transaction pk, the order samples come in. */
  sessions: MeterSession[];
  byPk: Map<number, MeterSession>;
  /** Lower bound of the read: the oldest newest-sample of the batch (null: from the start). */
  since: Date | null;
  /** Sessions of the batch already counted as processed. */
  counted: number;
}

export interface MeterSession {
  id: string;
  steveTransactionPk: number;
  status: 'ACTIVE' | 'COMPLETED';
  meterStartWh: number;
  latestMeterAt: Date | null;
  firstMeterAt: Date | null;
  driverId: string | null;
  /** The newest sample stored before this run (null: none yet). */
  since: Date | null;
  pageEnergyWh?: number | undefined;
  pagePowerW?: number | undefined;
}

const SESSION_SELECT = {
  id: true,
  steveTransactionPk: true,
  status: true,
  meterStartWh: true,
  latestMeterAt: true,
  firstMeterAt: true,
  driverId: true,
} as const;

/**
 * METER_VALUES: SteVe's `connector_meter_value` samples of the active sessions (and of the completed
 * ones whose last samples were not read yet: `meterFinalAt` null) → MeterSample, and each session's
 * latest energy and power.
 */
export const syncMeterValues: Segment = async (deps, ctx) => {
  const active = await deps.db.chargingSession.findMany({
    where: { status: 'ACTIVE' },
    select: SESSION_SELECT,
    orderBy: { steveTransactionPk: 'asc' },
  });
  // Completed in this run (every finished transaction on a first sync), or in a run cut off before
  // this segment: read their last samples once more, then mark them final. Read a batch at a time.
  const completed: Omit<MeterSession, 'since'>[] = [];
  for (let after = -1; ;) {
    const rows = await deps.db.chargingSession.findMany({
      where: { status: 'COMPLETED', meterFinalAt: null, steveTransactionPk: { gt: after } },
      select: SESSION_SELECT,
      orderBy: { steveTransactionPk: 'asc' },
      take: METER_BATCH,
    });
    completed.push(...rows);
    if (rows.length < METER_BATCH) break;
    after = rows[rows.length - 1]!.steveTransactionPk;
  }
  ctx.total = active.length + completed.length;
  const batches: MeterBatch[] = [];
  batches.push(...meterBatches(active));
  for (let i = 0; i < completed.length; i += METER_BATCH)
    batches.push(...meterBatches(completed.slice(i, i + METER_BATCH)));

  // Read ahead: the next page comes from SteVe while this one is written to the database (never
  // inside its transaction: the read was started before and is awaited after it).
  const pages = meterPages(deps, batches);
  let pending = pages.next();
  try {
    for (;;) {
      const next = await pending;
      if (next.done) break;
      pending = pages.next();
      await writeMeterPage(deps, ctx, next.value.batch, next.value.page);
    }
  } catch (error) {
    pending.catch(() => undefined);
    throw error;
  }
  deps.events.progress();
};

/**
 * Sessions without samples yet are read from their start; the others after their newest sample:
 * each batch asks only for samples newer than its oldest `latestMeterAt`, so a live session's
 * history is not re-read on every run.
 */
function meterBatches(sessions: Omit<MeterSession, 'since'>[]): MeterBatch[] {
  const batches: MeterBatch[] = [];
  const fresh = sessions.filter((s) => s.latestMeterAt === null);
  const known = sessions
    .filter((s) => s.latestMeterAt !== null)
    .sort((a, b) => a.latestMeterAt!.getTime() - b.latestMeterAt!.getTime());
  for (const group of [fresh, known]) {
    for (let i = 0; i < group.length; i += METER_BATCH) {
      const list = group
        .slice(i, i + METER_BATCH)
        .map((s) => ({ ...s, since: s.latestMeterAt }))
        .sort((a, b) => a.steveTransactionPk - b.steveTransactionPk);
      batches.push({
        sessions: list,
        byPk: new Map(list.map((s) => [s.steveTransactionPk, s])),
        since: list.reduce<Date | null>(
          (min, s) => (s.since === null ? null : min === null || s.since < min ? s.since : min),
          list[0]!.since,
        ),
        counted: 0,
      });
    }
  }
  return batches;
}

/** Every page of samples of every batch (≤ METER_BATCH sessions, one `listMeterValues` per page). */
async function* meterPages(
  deps: SegmentDeps,
  batches: MeterBatch[],
): AsyncGenerator<{ batch: MeterBatch; page: Page<SteveMeterSample, MeterSampleCursor | null> }> {
  const limit = Math.min(MAX_PAGE_SIZE, deps.pageSize * 10);
  for (const batch of batches) {
    let after: MeterSampleCursor | null = null;
    for (;;) {
      const page = await deps.steve.listMeterValues({
        transactionPks: batch.sessions.map((s) => s.steveTransactionPk),
        after,
        since: batch.since,
        limit,
      });
      yield { batch, page };
      if (!page.hasMore) break;
      after = page.cursor;
    }
  }
}

/** One page of samples: one multi-row insert, one multi-row session update, the progress. */
async function writeMeterPage(
  deps: SegmentDeps,
  ctx: SegmentContext,
  batch: MeterBatch,
  page: Page<SteveMeterSample, MeterSampleCursor | null>,
): Promise<void> {
  const { byPk, sessions } = batch;
  const counted = batch.counted;
  const isLast = !page.hasMore;
  // Samples after each session's own newest one (the batch's lower bound is the oldest of them).
  const samples = page.items.filter((m) => {
    const s = byPk.get(m.transactionPk);
    return s !== undefined && (s.since === null || m.at > s.since);
  });
  // Sessions before the page's end position are complete (all of the batch on the last page).
  let done = counted;
  while (
    done < sessions.length &&
    (isLast || (page.cursor !== null && sessions[done]!.steveTransactionPk < page.cursor.transactionPk))
  ) {
    done += 1;
  }
  if (samples.length === 0 && done === counted) return;
  const { touched, rows } = foldMeterSamples(byPk, samples);
  // Completed sessions whose samples are all read now: final (with this page, in its transaction).
  const final = sessions
    .slice(counted, done)
    .filter((s) => s.status === 'COMPLETED')
    .map((s) => s.id);
  await commitPage(deps, ctx, async (tx, scope) => {
    await writeMeterSamples(
      tx,
      samples.map((m) => ({ sessionId: byPk.get(m.transactionPk)!.id, sample: m })),
      rows,
      final,
    );
    ctx.processed += done - counted;
    noteMeterChanges(scope, touched, rows);
  });
  batch.counted = done;
}

/** What written samples changed, published after the commit (sessions and their events). */
export function noteMeterChanges(
  scope: WriteScope,
  touched: Map<string, MeterSession>,
  rows: MeterSessionUpdate[],
): void {
  for (const s of touched.values()) scope.changes.session(s.id, s.driverId);
  for (const r of rows) {
    if (r.energyKwh === null && r.powerKw === null) continue;
    scope.changes.emit(sessionUpdated(r, scope.now));
  }
}

/**
 * Folds new samples (in time order, each after its session's `since`) into their sessions: the
 * first and latest sample times, and the latest energy and power of an ACTIVE session. Returns the
 * sessions touched and their `writeMeterSamples` rows.
 */
export function foldMeterSamples(
  byPk: Map<number, MeterSession>,
  samples: SteveMeterSample[],
): { touched: Map<string, MeterSession>; rows: MeterSessionUpdate[] } {
  const touched = new Map<string, MeterSession>();
  for (const m of samples) {
    const s = byPk.get(m.transactionPk)!;
    if (!s.firstMeterAt || m.at < s.firstMeterAt) s.firstMeterAt = m.at;
    if (!s.latestMeterAt || m.at > s.latestMeterAt) s.latestMeterAt = m.at;
    // Samples arrive in time order: the last one with a value wins, as before.
    if (m.energyWh !== null) s.pageEnergyWh = m.energyWh;
    if (m.powerW !== null) s.pagePowerW = m.powerW;
    touched.set(s.id, s);
  }
  const rows: MeterSessionUpdate[] = [];
  for (const s of touched.values()) {
    const active = s.status === 'ACTIVE';
    rows.push({
      id: s.id,
      firstMeterAt: s.firstMeterAt,
      latestMeterAt: s.latestMeterAt,
      latestMeterWh: s.pageEnergyWh ?? null,
      // A completed session's energy is its stop reading; samples only fill the series.
      energyKwh: active && s.pageEnergyWh != null ? energyKwh(s.meterStartWh, s.pageEnergyWh) : null,
      powerKw: active && s.pagePowerW != null ? s.pagePowerW / 1000 : null,
    });
    s.pageEnergyWh = undefined;
    s.pagePowerW = undefined;
  }
  return { touched, rows };
}

/** A session's meter fields after new samples (null: keep what is stored). */
export interface MeterSessionUpdate {
  id: string;
  firstMeterAt: Date | null;
  latestMeterAt: Date | null;
  latestMeterWh: number | null;
  energyKwh: number | null;
  powerKw: number | null;
}

/**
 * Writes meter samples of known sessions and the sessions' latest meter fields: a sample already
 * stored (same session and time) is skipped, so the same samples twice change nothing. Sessions in
 * `final` (completed, every sample read) get `meterFinalAt` in the same statement as their meter
 * fields: each session row is rewritten once per page, not twice.
 */
export async function writeMeterSamples(
  tx: Tx,
  samples: { sessionId: string; sample: SteveMeterSample }[],
  sessions: MeterSessionUpdate[],
  final: readonly string[] = [],
): Promise<void> {
  if (samples.length) {
    await bulkInsert(
      tx,
      'MeterSample',
      METER_SAMPLE_COLUMNS,
      samples.map(({ sessionId, sample: m }) => ({
        sessionId,
        sampledAt: m.at,
        energyWh: m.energyWh,
        powerW: m.powerW,
      })),
      { onConflictDoNothing: ['sessionId', 'sampledAt'] },
    );
  }
  const finalSet = new Set(final);
  const rows: (MeterSessionUpdate & { final: boolean })[] = sessions.map((r) => ({
    ...r,
    final: finalSet.delete(r.id),
  }));
  // Final sessions without new samples on this page: only the mark (null meter fields keep theirs).
  for (const id of finalSet)
    rows.push({
      id,
      firstMeterAt: null,
      latestMeterAt: null,
      latestMeterWh: null,
      energyKwh: null,
      powerKw: null,
      final: true,
    });
  if (rows.length === 0) return;
  const now = new Date().toISOString();
  await tx.$executeRaw`
    UPDATE "ChargingSession" AS s SET
      "firstMeterAt" = COALESCE(u."firstMeterAt", s."firstMeterAt"),
      "latestMeterAt" = COALESCE(u."latestMeterAt", s."latestMeterAt"),
      "latestMeterWh" = COALESCE(u."latestMeterWh", s."latestMeterWh"),
      "energyKwh" = COALESCE(u."energyKwh", s."energyKwh"),
      "powerKw" = COALESCE(u."powerKw", s."powerKw"),
      "meterFinalAt" = CASE WHEN u."final" THEN ${now}::timestamp(3) ELSE s."meterFinalAt" END,
      "updatedAt" = ${now}::timestamp(3)
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS u(
      id text, "firstMeterAt" timestamp(3), "latestMeterAt" timestamp(3),
      "latestMeterWh" float8, "energyKwh" float8, "powerKw" float8, "final" bool)
    WHERE s.id = u.id`;
}

const METER_SAMPLE_COLUMNS: BulkColumns = [
  ['sessionId', 'text'],
  ['sampledAt', 'timestamp(3)'],
  ['energyWh', 'float8'],
  ['powerW', 'float8'],
];
