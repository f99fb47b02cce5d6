/**
 * Drivers' reservations: ReserveNow with the driver's start card on a free connector (expiry
 * RESERVATION_MINUTES), CancelReservation, and the lookups a start uses to honour a reservation.
 * Every refusal Polaris can decide itself (no active card, inactive account, charger not free,
 * a second reservation, someone else's id) is a typed error before anything is sent to SteVe.
 */
import type { Reservation } from '../../generated/prisma/client.ts';
import type { OperationResult } from '../../integrations/steve/port.ts';
import type { Db } from '../../lib/db.ts';
import { recordDomainEvents } from '../events/domain-events.ts';
import { reservationChanged } from '../events/emit.ts';
import { ForbiddenAccessError } from '../../schema/builder.ts';
import type { Services } from '../../types.ts';
import {
  AccountInactiveError,
  AlreadyReservedError,
  ChargerUnavailableError,
  NoActiveCardError,
  ReservationCancelFailedError,
  ReservationNotFoundError,
  ReservationRejectedError,
} from './charging.errors.ts';
import { pickStartCard, type DriverActor } from './charging.service.ts';
import { OPEN_RESERVATION, openReservationOf } from './reservation-lookup.ts';

export type ReservationDeps = Pick<Services, 'db' | 'steve' | 'logger' | 'sync' | 'config' | 'pubsub'>;

function publishReservation(deps: Pick<Services, 'pubsub'>, userId: string): void {
  deps.pubsub.publish('driver:reservation', userId, { userId });
}

async function send(
  deps: Pick<Services, 'logger'>,
  what: string,
  call: () => Promise<OperationResult>,
): Promise<OperationResult> {
  try {
    return await call();
  } catch (error) {
    deps.logger.warn({ err: (error as Error).message }, `${what} failed`);
    return { kind: 'EXCEPTION', taskId: 0, detail: (error as Error).message };
  }
}

/**
 * Reserves a free connector of the charger (the first Available one unless `connectorNumber` says)
 * for the driver's start card until now + RESERVATION_MINUTES. Returns the Reservation row.
 */
export async function reserveCharger(
  deps: ReservationDeps,
  actor: DriverActor,
  chargerId: string,
  connectorNumber: number | null,
): Promise<Reservation> {
  if (actor.impersonatorId) throw new ForbiddenAccessError('Impersonation is read-only.');
  const at = deps.sync.engine.now();
  const prepared = await deps.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('reserve-charger'), hashtext(${actor.userId}))`;
    const user = await tx.user.findUnique({ where: { id: actor.userId }, select: { status: true } });
    if (!user || user.status !== 'ACTIVE') throw new AccountInactiveError();
    const card = await pickStartCard(tx as unknown as Db, actor.userId);
    if (!card) throw new NoActiveCardError();
    if (await openReservationOf(tx, actor.userId, at)) throw new AlreadyReservedError();
    const charger = await tx.charger.findUnique({
      where: { id: chargerId },
      select: {
        id: true,
        chargeBoxId: true,
        state: true,
        goneAt: true,
        connectors: { select: { connectorId: true, status: true }, orderBy: { connectorId: 'asc' } },
      },
    });
    if (!charger || charger.goneAt || charger.state !== 'ONLINE') throw new ChargerUnavailableError();
    const connector = charger.connectors.find(
      (c) => c.status === 'Available' && (connectorNumber === null || c.connectorId === connectorNumber),
    );
    if (!connector) throw new ChargerUnavailableError();
    return { charger, card, connectorId: connector.connectorId };
  });

  const expiresAt = new Date(at.getTime() + deps.config.RESERVATION_MINUTES * 60_000);
  const result = await send(deps, 'ReserveNow', () =>
    deps.steve.reserveNow({
      chargeBoxId: prepared.charger.chargeBoxId,
      connectorId: prepared.connectorId,
      idTag: prepared.card.idTag,
      expiry: expiresAt,
    }),
  );
  if (result.kind === 'OFFLINE') throw new ChargerUnavailableError();
  if (result.kind !== 'ACCEPTED' || !result.reservationId) {
    if (result.kind === 'ACCEPTED') {
      // Accepted, but SteVe's id of it could not be read: the next sync brings it in.
      deps.logger.warn({ chargeBoxId: prepared.charger.chargeBoxId }, 'ReserveNow accepted without an id');
      await deps.sync.requestImmediate('START_REQUEST', actor.userId).catch(() => undefined);
    }
    throw new ReservationRejectedError();
  }
  const data = {
    chargerId: prepared.charger.id,
    connectorNumber: prepared.connectorId,
    idTag: prepared.card.idTag,
    cardId: prepared.card.id,
    startsAt: at,
    expiresAt,
    status: 'ACCEPTED' as const,
    statusAt: at,
  };
  // The sync may have mirrored it already (and emitted `reservation.created`); either way it is
  // the same row, and the event is stored with the row that created it.
  const steveReservationPk = result.reservationId;
  const reservation = await deps.db.$transaction(async (tx) => {
    const existing = await tx.reservation.findUnique({ where: { steveReservationPk } });
    if (existing)
      return tx.reservation.update({ where: { id: existing.id }, data: { cardId: prepared.card.id } });
    const created = await tx.reservation.create({ data: { ...data, steveReservationPk } });
    await recordDomainEvents(tx, [reservationChanged(created, 'reservation.created', at)]);
    return created;
  });
  publishReservation(deps, actor.userId);
  // Other drivers see the connector as reserved once the sync records the station's new status.
  await deps.sync
    .requestImmediate('START_REQUEST', actor.userId)
    .catch((error: unknown) =>
      deps.logger.warn({ err: (error as Error).message }, 'immediate sync request failed'),
    );
  return reservation;
}

/** Cancels the driver's own open reservation (CancelReservation); returns the updated row. */
export async function cancelReservation(
  deps: ReservationDeps,
  actor: DriverActor,
  reservationId: string,
): Promise<Reservation> {
  if (actor.impersonatorId) throw new ForbiddenAccessError('Impersonation is read-only.');
  const at = deps.sync.engine.now();
  const reservation = await deps.db.reservation.findFirst({
    where: {
      id: reservationId,
      card: { ownerId: actor.userId },
      status: { in: [...OPEN_RESERVATION] },
      expiresAt: { gt: at },
      goneAt: null,
    },
    include: { charger: { select: { chargeBoxId: true } } },
  });
  if (!reservation) throw new ReservationNotFoundError();
  const result = await send(deps, 'CancelReservation', () =>
    deps.steve.cancelReservation({
      chargeBoxId: reservation.charger.chargeBoxId,
      reservationId: reservation.steveReservationPk,
    }),
  );
  if (result.kind !== 'ACCEPTED') throw new ReservationCancelFailedError();
  const updated = await deps.db.$transaction(async (tx) => {
    const now = deps.sync.engine.now();
    // Only an open row changes (and emits): a sync that mirrored SteVe's cancel first emitted it.
    const { count } = await tx.reservation.updateMany({
      where: { id: reservation.id, status: { in: [...OPEN_RESERVATION] } },
      data: { status: 'CANCELLED', statusAt: now, statusReason: 'CancelledByDriver' },
    });
    const row = await tx.reservation.findUniqueOrThrow({ where: { id: reservation.id } });
    if (count) await recordDomainEvents(tx, [reservationChanged(row, 'reservation.cancelled', now)]);
    return row;
  });
  publishReservation(deps, actor.userId);
  await deps.sync.requestImmediate('START_REQUEST', actor.userId).catch(() => undefined);
  return updated;
}
