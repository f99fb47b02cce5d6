import type { SteveReservationStatus } from '../../port.ts';
import type { SimWorld } from '../world.ts';
import type { SimChargePoint, SimConnector, SimReservation } from './types.ts';

/** Reservation rows as SteVe keeps them (SteVe has no EXPIRED status: see isActive). */

export function insertReservation(
  world: SimWorld,
  cp: SimChargePoint,
  connector: SimConnector,
  idTag: string,
  expiryAt: number,
  status: SteveReservationStatus,
): SimReservation {
  const reservation: SimReservation = {
    pk: world.counters.reservationPk++,
    cpPk: cp.pk,
    chargeBoxId: cp.chargeBoxId,
    connectorId: connector.connectorId,
    idTag,
    transactionPk: null,
    startAt: world.clock,
    expiryAt: Math.round(expiryAt),
    status,
    statusAt: world.clock,
    createdAt: world.clock,
    updatedAt: world.clock,
  };
  world.reservations.set(reservation.pk, reservation);
  if (status === 'ACCEPTED') {
    world.setStatus(connector, 'Reserved');
    world.queue.push(reservation.expiryAt, { type: 'reservationExpiry', reservationPk: reservation.pk });
  }
  return reservation;
}

export function updateReservation(
  world: SimWorld,
  reservation: SimReservation,
  status: SteveReservationStatus,
): void {
  reservation.status = status;
  reservation.statusAt = world.clock;
  reservation.updatedAt = world.clock;
}

export function isActive(world: SimWorld, reservation: SimReservation): boolean {
  return reservation.status === 'ACCEPTED' && reservation.expiryAt > world.clock;
}

export function activeReservationOn(
  world: SimWorld,
  cpPk: number,
  connectorId: number,
): SimReservation | undefined {
  for (const r of world.reservations.values()) {
    if (r.cpPk === cpPk && r.connectorId === connectorId && isActive(world, r)) return r;
  }
  return undefined;
}

export function reservedFor(
  world: SimWorld,
  cp: SimChargePoint,
  connector: SimConnector,
  idTag: string,
): boolean {
  if (connector.status !== 'Reserved') return false;
  const r = activeReservationOn(world, cp.pk, connector.connectorId);
  return r !== undefined && r.idTag.toLowerCase() === idTag.toLowerCase();
}
