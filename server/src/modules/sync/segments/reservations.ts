import { steveKey } from '../../../integrations/steve/key.ts';
import type { ReservationStatus } from '../../../generated/prisma/client.ts';
import { MAX_PAGE_SIZE, type SteveReservation, type TimeCursor } from '../../../integrations/steve/port.ts';
import { effectiveReservationStatus } from '../../../integrations/steve/state.ts';
import { reservationChanged, reservationEndType } from '../../events/emit.ts';
import { cursorJson, maxCursor, overlapCursor, readTimeCursor, writeCursor } from '../cursors.ts';
import { drivePages } from '../paging.ts';
import { pagesInTurn } from '../read-ahead.ts';
import {
  commitChanges,
  type Segment,
  type SegmentContext,
  type SegmentDeps,
  type Tx,
  type WriteScope,
} from '../segment.ts';
import { findCardsByIdTag, findChargerIds } from './lookups.ts';
import { plural } from '../../../../../shared/plural.ts';

/**
 * SteVe waits 30 s for a station's answer to ReserveNow and treats a later one as a failure; a row
 * it left WAITING longer than this never holds a connector, so Polaris ends it (`NoAnswer`).
 */
export const WAITING_GIVE_UP_MS = 60_000;

/**
 * RESERVATIONS: SteVe's `reservation` rows changed since the cursor → Reservation; then the
 * expiries SteVe never writes, and reservations SteVe deleted.
 */
export const syncReservations: Segment = async (deps, ctx) => {
  const now = deps.now();
  const saved = await readTimeCursor(deps.db, 'RESERVATIONS');
  let cursor = saved;
  await drivePages(
    deps,
    ctx,
    pagesInTurn(
      (after: TimeCursor | null) => deps.steve.listReservations({ after, limit: deps.pageSize }),
      saved ? overlapCursor(saved) : null,
    ),
    async (tx, page, scope) => {
      cursor = maxCursor(cursor, page.items.length ? page.cursor : null);
      await writeReservations(tx, page.items, scope);
      if (cursor) await writeCursor(tx, 'RESERVATIONS', cursorJson(cursor));
    },
  );
  // SteVe never writes an expiry: ACCEPTED reservations whose time passed expire here.
  const ended = await commitChanges(deps, ctx, async (tx, scope) => {
    const due = await tx.reservation.findMany({ where: { status: 'ACCEPTED', expiresAt: { lte: now } } });
    if (due.length) {
      await tx.reservation.updateMany({
        where: { id: { in: due.map((r) => r.id) }, status: 'ACCEPTED' },
        data: { status: 'EXPIRED', statusAt: now },
      });
    }
    for (const r of due)
      scope.changes.emit(reservationChanged({ ...r, status: 'EXPIRED' }, 'reservation.expired', now));
    // Rows SteVe left WAITING past its wait (see WAITING_GIVE_UP_MS).
    const unanswered = await tx.reservation.findMany({
      where: { status: 'WAITING', startsAt: { lte: new Date(now.getTime() - WAITING_GIVE_UP_MS) } },
    });
    for (const r of unanswered) {
      const data = noAnswer(r.startsAt);
      await tx.reservation.updateMany({ where: { id: r.id, status: 'WAITING' }, data });
      scope.changes.emit(reservationChanged({ ...r, ...data }, 'reservation.cancelled', now));
    }
    return { expired: due.length, unanswered: unanswered.length };
  });
  if (ended.expired) ctx.notes.push(`${plural(ended.expired, 'reservation')} expired`);
  if (ended.unanswered)
    ctx.notes.push(`${plural(ended.unanswered, 'reservation')} never answered by the charger, cancelled`);
  await detectDeletedReservations(deps, ctx, now);
  ctx.total = ctx.processed;
};

/**
 * Writes SteVe reservations (a page, or the one a change touched). Only differences are written;
 * a reservation listed again after it was marked gone (a restored SteVe database) is revived.
 */
export async function writeReservations(tx: Tx, items: SteveReservation[], scope: WriteScope): Promise<void> {
  const { now } = scope;
  const chargerIds = await findChargerIds(
    tx,
    items.map((r) => r.chargeBoxId),
  );
  const cards = await findCardsByIdTag(
    tx,
    items.map((r) => r.idTag),
  );
  const existing = await tx.reservation.findMany({
    where: { steveReservationPk: { in: items.map((r) => r.pk) } },
  });
  const byPk = new Map(existing.map((r) => [r.steveReservationPk, r]));
  for (const r of items) {
    const chargerId = chargerIds.get(steveKey(r.chargeBoxId));
    if (!chargerId) {
      scope.notes.push(`reservation ${r.pk}: unknown charge point ${r.chargeBoxId}`);
      continue;
    }
    const status = reservationStatus(r, now);
    const unanswered = status === 'WAITING' && r.startAt.getTime() <= now.getTime() - WAITING_GIVE_UP_MS;
    const data = {
      chargerId,
      connectorNumber: r.connectorId,
      idTag: r.idTag,
      cardId: cards.get(steveKey(r.idTag))?.id ?? null,
      startsAt: r.startAt,
      expiresAt: r.expiryAt,
      status,
      // An expiry SteVe never records takes effect at the expiry time.
      statusAt: status === 'EXPIRED' && r.status === 'ACCEPTED' ? r.expiryAt : r.statusAt,
      steveTransactionPk: r.transactionPk,
      ...(unanswered ? noAnswer(r.startAt) : {}),
    };
    const row = byPk.get(r.pk);
    if (!row) {
      const created = await tx.reservation.create({ data: { ...data, steveReservationPk: r.pk } });
      emitReservation(scope, created, null);
    } else if (
      row.status !== data.status ||
      row.statusAt.getTime() !== data.statusAt.getTime() ||
      row.expiresAt.getTime() !== data.expiresAt.getTime() ||
      row.steveTransactionPk !== data.steveTransactionPk ||
      row.cardId !== data.cardId ||
      row.chargerId !== data.chargerId ||
      row.connectorNumber !== data.connectorNumber ||
      row.goneAt !== null
    ) {
      // Listed again (e.g. a restored SteVe database): no longer gone.
      const updated = await tx.reservation.update({
        where: { id: row.id },
        data: { ...data, ...(row.goneAt ? { goneAt: null, statusReason: null } : {}) },
      });
      emitReservation(scope, updated, row.status);
    }
  }
}

/**
 * The domain events of a reservation row the sync wrote: `reservation.created` for a new row, and
 * the end event (`cancelled`, `expired`, `used`) when its status just left WAITING/ACCEPTED.
 */
function emitReservation(
  scope: WriteScope,
  row: Parameters<typeof reservationChanged>[0],
  previous: ReservationStatus | null,
): void {
  if (previous === null) scope.changes.emit(reservationChanged(row, 'reservation.created', scope.now));
  const end = reservationEndType(row.status);
  if (end && (previous === null || reservationEndType(previous) === null))
    scope.changes.emit(reservationChanged(row, end, scope.now));
}

/**
 * SteVe deleted these reservations (found by asking for the open ones, or a delete change capture
 * saw): open ones become CANCELLED with the reason `DeletedInSteve` and `goneAt` (kept, never
 * deleted). Returns how many changed; applying it twice changes nothing.
 */
export async function markReservationsGone(
  tx: Pick<Tx, 'reservation'>,
  steveReservationPks: number[],
  scope: Pick<WriteScope, 'now' | 'changes'>,
): Promise<number> {
  const { now } = scope;
  const open = await tx.reservation.findMany({
    where: { steveReservationPk: { in: steveReservationPks }, status: { in: ['WAITING', 'ACCEPTED'] } },
  });
  if (open.length === 0) return 0;
  const data = { status: 'CANCELLED' as const, statusReason: 'DeletedInSteve', statusAt: now, goneAt: now };
  await tx.reservation.updateMany({ where: { id: { in: open.map((r) => r.id) } }, data });
  for (const r of open)
    scope.changes.emit(reservationChanged({ ...r, ...data }, 'reservation.cancelled', now));
  return open.length;
}

/**
 * SteVe hard-deletes reservations (a refused or late-answered ReserveNow, or with their tag or
 * charge point) without a trace in the incremental read. Reservations still open here (WAITING,
 * ACCEPTED) are looked up by key. Only open reservations are asked about, so the cost does not
 * grow with history.
 */
async function detectDeletedReservations(deps: SegmentDeps, ctx: SegmentContext, now: Date): Promise<void> {
  const open = await deps.db.reservation.findMany({
    where: { status: { in: ['WAITING', 'ACCEPTED'] }, goneAt: null },
    select: { steveReservationPk: true },
  });
  const gone: number[] = [];
  for (let i = 0; i < open.length; i += MAX_PAGE_SIZE) {
    const chunk = open.slice(i, i + MAX_PAGE_SIZE);
    const found = new Set(
      (await deps.steve.getReservations(chunk.map((r) => r.steveReservationPk))).map((r) => r.pk),
    );
    for (const r of chunk) if (!found.has(r.steveReservationPk)) gone.push(r.steveReservationPk);
  }
  if (gone.length === 0) return;
  await commitChanges(deps, ctx, (tx, scope) => markReservationsGone(tx, gone, { ...scope, now }));
  ctx.notes.push(`${plural(gone.length, 'reservation')} deleted in SteVe, marked cancelled`);
}

/** A WAITING reservation SteVe will never hear back about: cancelled when SteVe's wait ended. */
function noAnswer(startsAt: Date) {
  return {
    status: 'CANCELLED' as const,
    statusReason: 'NoAnswer',
    statusAt: new Date(startsAt.getTime() + WAITING_GIVE_UP_MS),
  };
}

function reservationStatus(r: Pick<SteveReservation, 'status' | 'expiryAt'>, now: Date): ReservationStatus {
  const effective = effectiveReservationStatus(r, now);
  switch (effective) {
    case 'USED':
      return 'COMPLETED';
    default:
      return effective;
  }
}
