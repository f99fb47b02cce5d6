import {
  compareTimeCursor,
  pageLimit,
  toPage,
  type MeterSampleCursor,
  type Page,
  type PkPageQuery,
  type SteveChargePoint,
  type SteveConnectorStatus,
  type SteveMeterSample,
  type SteveReservation,
  type SteveTag,
  type SteveTransaction,
  type StoppedTransactionsQuery,
  type TimeCursor,
  type TimePageQuery,
} from '../port.ts';
import { chargePointDto, reservationDto, tagCursor, tagDto, transactionDto } from './model/dto.ts';
import type { SimWorld } from './world.ts';

/** The port's reads over the simulated world, with the real adapter's paging and ordering. */

export function listChargePoints(world: SimWorld, query: PkPageQuery): Page<SteveChargePoint, number> {
  const limit = pageLimit(query.limit);
  const afterPk = query.afterPk ?? 0;
  const items = [...world.chargePoints.values()]
    .filter((cp) => cp.pk > afterPk)
    .slice(0, limit)
    .map(chargePointDto);
  return toPage(items, limit, afterPk, (cp) => cp.pk);
}

export function listConnectorStatuses(
  world: SimWorld,
  query: PkPageQuery & { chargeBoxIds?: string[] },
): Page<SteveConnectorStatus, number> {
  const limit = pageLimit(query.limit);
  const afterPk = query.afterPk ?? 0;
  const wanted = query.chargeBoxIds?.length
    ? new Set(query.chargeBoxIds.map((id) => id.toLowerCase()))
    : null;
  const items: SteveConnectorStatus[] = [];
  for (const cp of world.chargePoints.values()) {
    if (wanted && !wanted.has(cp.chargeBoxId.toLowerCase())) continue;
    for (const c of cp.connectors) {
      if (c.evsePk <= afterPk) continue;
      items.push({
        evsePk: c.evsePk,
        chargeBoxId: cp.chargeBoxId,
        connectorId: c.connectorId,
        status: c.status,
        errorCode: c.errorCode,
        errorInfo: null,
        vendorErrorCode: null,
        statusAt: new Date(c.statusAt),
      });
    }
  }
  items.sort((a, b) => a.evsePk - b.evsePk);
  return toPage(items.slice(0, limit), limit, afterPk, (s) => s.evsePk);
}

export function listTags(world: SimWorld, query: TimePageQuery): Page<SteveTag, TimeCursor> {
  const limit = pageLimit(query.limit);
  const start = query.after ?? { at: new Date(0), pk: 0 };
  const items = [...world.tags.values()]
    .map((t) => tagDto(world, t))
    .filter((t) => compareTimeCursor(tagCursor(t), start) > 0)
    .sort((a, b) => compareTimeCursor(tagCursor(a), tagCursor(b)))
    .slice(0, limit);
  return toPage(items, limit, start, tagCursor);
}

export function getTags(world: SimWorld, pks: number[]): SteveTag[] {
  const wanted = new Set(pks);
  return [...world.tags.values()]
    .map((t) => tagDto(world, t))
    .filter((t) => wanted.has(t.pk))
    .sort((a, b) => a.pk - b.pk);
}

export function listTagPks(world: SimWorld, query: PkPageQuery): Page<number, number> {
  const limit = pageLimit(query.limit);
  const afterPk = query.afterPk ?? 0;
  const items = [...world.tags.keys()]
    .filter((pk) => pk > afterPk)
    .sort((a, b) => a - b)
    .slice(0, limit);
  return toPage(items, limit, afterPk, (pk) => pk);
}

export function listTransactions(
  world: SimWorld,
  query: PkPageQuery & { activeOnly?: boolean },
): Page<SteveTransaction, number> {
  const limit = pageLimit(query.limit);
  const afterPk = query.afterPk ?? 0;
  const items: SteveTransaction[] = [];
  // Map order is insertion order = ascending pk (also after a restore: snapshots keep that order).
  for (const tx of world.transactions.values()) {
    if (items.length >= limit) break;
    if (tx.pk <= afterPk || (query.activeOnly && tx.stoppedAt !== null)) continue;
    items.push(transactionDto(world, tx));
  }
  return toPage(items, limit, afterPk, (t) => t.pk);
}

export function listStoppedTransactions(
  world: SimWorld,
  query: StoppedTransactionsQuery,
): Page<SteveTransaction, TimeCursor> {
  const limit = pageLimit(query.limit);
  const start = query.after ?? { at: new Date(0), pk: 0 };
  const minPk = query.minTransactionPk ?? 0;
  const cursorOf = (t: SteveTransaction): TimeCursor => ({ at: t.stopEventAt ?? new Date(0), pk: t.pk });
  const items = [...world.transactions.values()]
    .filter((tx) => tx.stoppedAt !== null && tx.pk >= minPk)
    .map((tx) => transactionDto(world, tx))
    .filter((t) => compareTimeCursor(cursorOf(t), start) > 0)
    .sort((a, b) => compareTimeCursor(cursorOf(a), cursorOf(b)))
    .slice(0, limit);
  return toPage(items, limit, start, cursorOf);
}

export function getTransactions(world: SimWorld, pks: number[]): SteveTransaction[] {
  return [...new Set(pks)]
    .sort((a, b) => a - b)
    .flatMap((pk) => {
      const tx = world.transactions.get(pk);
      return tx ? [transactionDto(world, tx)] : [];
    });
}

export function listMeterValues(
  world: SimWorld,
  query: { transactionPks: number[]; after?: MeterSampleCursor | null; since?: Date | null; limit?: number },
): Page<SteveMeterSample, MeterSampleCursor | null> {
  const limit = pageLimit(query.limit);
  const start = query.after ?? null;
  const sinceMs = query.since ? query.since.getTime() : Number.NEGATIVE_INFINITY;
  const items: SteveMeterSample[] = [];
  for (const pk of [...new Set(query.transactionPks)].sort((a, b) => a - b)) {
    if (start && pk < start.transactionPk) continue;
    const tx = world.transactions.get(pk);
    if (!tx) continue;
    for (const s of tx.samples) {
      if (start && pk === start.transactionPk && s.at <= start.at.getTime()) continue;
      if (s.at <= sinceMs) continue;
      if (items.length >= limit) break;
      items.push({
        transactionPk: pk,
        chargeBoxId: tx.chargeBoxId,
        connectorId: tx.connectorId,
        at: new Date(s.at),
        energyWh: s.energyWh,
        powerW: s.powerW,
        socPercent: null,
      });
    }
    if (items.length >= limit) break;
  }
  return toPage<SteveMeterSample, MeterSampleCursor | null>(items, limit, start, (s) => ({
    transactionPk: s.transactionPk,
    at: s.at,
  }));
}

export function listReservations(world: SimWorld, query: TimePageQuery): Page<SteveReservation, TimeCursor> {
  const limit = pageLimit(query.limit);
  const start = query.after ?? { at: new Date(0), pk: 0 };
  const cursorOf = (r: SteveReservation): TimeCursor => ({ at: r.updatedAt, pk: r.pk });
  const items = [...world.reservations.values()]
    .map(reservationDto)
    .filter((r) => compareTimeCursor(cursorOf(r), start) > 0)
    .sort((a, b) => compareTimeCursor(cursorOf(a), cursorOf(b)))
    .slice(0, limit);
  return toPage(items, limit, start, cursorOf);
}

export function getReservations(world: SimWorld, pks: number[]): SteveReservation[] {
  return [...new Set(pks)]
    .sort((a, b) => a - b)
    .flatMap((pk) => {
      const r = world.reservations.get(pk);
      return r ? [reservationDto(r)] : [];
    });
}
