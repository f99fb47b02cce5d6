import type { CancelReservationCommand, ReserveNowCommand } from '../../port.ts';
import {
  activeReservationOn,
  insertReservation,
  isActive,
  updateReservation,
} from '../model/reservations.ts';
import { tagEligible } from '../model/tags.ts';
import type { SimWorld } from '../world.ts';
import { tagNotEligible } from './refuse.ts';
import { isSilent, silence } from './silent.ts';
import type { CommandOutcome, EventHandlers } from './types.ts';
import { offline } from './unavailable.ts';

/** Reservations: ReserveNow and CancelReservation, the reserved driver arriving, and expiry. */

export function reserveNow(world: SimWorld, command: ReserveNowCommand): CommandOutcome {
  const cp = world.reachable(command.chargeBoxId);
  if (!cp) return offline();
  if (command.expiry.getTime() <= world.clock) {
    return { kind: 'STEVE_REFUSED', reason: 'INVALID_REQUEST', detail: 'Expiry must be in the future' };
  }
  if (!tagEligible(world, command.idTag, false)) return tagNotEligible();
  const taskId = world.nextTaskId();
  const connector = cp.connectors.find((c) => c.connectorId === command.connectorId);
  if (isSilent(cp)) {
    // SteVe inserts the row before sending; without an answer it stays WAITING.
    if (connector)
      insertReservation(world, cp, connector, command.idTag, command.expiry.getTime(), 'WAITING');
    return silence(taskId);
  }
  // Connector 0 (whole station) needs ReserveConnectorZeroSupported, which these stations lack.
  if (!connector) return { kind: 'REJECTED', taskId, status: 'Rejected' };
  const answer =
    connector.status === 'Available'
      ? 'Accepted'
      : connector.status === 'Faulted'
        ? 'Faulted'
        : connector.status === 'Unavailable'
          ? 'Unavailable'
          : 'Occupied';
  if (answer !== 'Accepted') return { kind: 'REJECTED', taskId, status: answer };
  const reservation = insertReservation(
    world,
    cp,
    connector,
    command.idTag,
    command.expiry.getTime(),
    'ACCEPTED',
  );
  return { kind: 'ACCEPTED', taskId, status: 'Accepted', reservationId: reservation.pk };
}

export function cancelReservation(world: SimWorld, command: CancelReservationCommand): CommandOutcome {
  const cp = world.reachable(command.chargeBoxId);
  if (!cp) return offline();
  const reservation = world.reservations.get(command.reservationId);
  if (!reservation || reservation.cpPk !== cp.pk || !isActive(world, reservation)) {
    return {
      kind: 'STEVE_REFUSED',
      reason: 'RESERVATION_NOT_ACTIVE',
      detail: 'This reservation is not active at this station.',
    };
  }
  const taskId = world.nextTaskId();
  if (isSilent(cp)) return silence(taskId);
  updateReservation(world, reservation, 'CANCELLED');
  const connector = cp.connectors.find((c) => c.connectorId === reservation.connectorId);
  if (connector?.status === 'Reserved') world.setStatus(connector, 'Available');
  return { kind: 'ACCEPTED', taskId, status: 'Accepted' };
}

export const reservationEvents = {
  reservedDriverArrives(world, event) {
    const reservation = world.reservations.get(event.reservationPk);
    if (!reservation || !isActive(world, reservation)) return;
    const cp = world.chargePoints.get(reservation.cpPk);
    const connector = cp?.connectors.find((c) => c.connectorId === reservation.connectorId);
    if (!cp || !connector || connector.status !== 'Reserved') return;
    world.setStatus(connector, 'Preparing');
    world.after(world.prng.between(5_000, 30_000), {
      type: 'start',
      cpPk: cp.pk,
      connectorId: connector.connectorId,
      idTag: reservation.idTag,
      remote: false,
    });
  },
  reservationExpiry(world, event) {
    const reservation = world.reservations.get(event.reservationPk);
    // The row stays ACCEPTED (SteVe has no EXPIRED); only the station frees the connector.
    if (!reservation || reservation.status !== 'ACCEPTED') return;
    const connector = world.connector(reservation.cpPk, reservation.connectorId);
    if (
      connector?.status === 'Reserved' &&
      !activeReservationOn(world, reservation.cpPk, connector.connectorId)
    ) {
      world.setStatus(connector, 'Available');
    }
  },
} satisfies EventHandlers;
