import { churn, scheduleArrival, scheduleChurn, touchHeartbeat } from '../model/fleet.ts';
import { insertReservation } from '../model/reservations.ts';
import { tagEligible } from '../model/tags.ts';
import { recordSample } from '../model/transactions.ts';
import { MINUTE } from '../model/types.ts';
import type { EventHandlers } from './types.ts';

/**
 * Life around the stations without Polaris: heartbeats, other drivers arriving (some reserve first),
 * meter samples, full batteries, unplugging, and chargers joining or leaving the fleet.
 */
export const backgroundEvents = {
  heartbeat(world, event) {
    const cp = world.chargePoints.get(event.cpPk);
    if (!cp) return;
    if (cp.online) touchHeartbeat(world, cp);
    world.after(world.settings.heartbeatIntervalMs, event);
  },
  arrival(world, event) {
    const cp = world.chargePoints.get(event.cpPk);
    if (!cp) return;
    const connector = cp.connectors.find((c) => c.connectorId === event.connectorId);
    if (!connector) return;
    scheduleArrival(world, cp, connector);
    if (!cp.online || connector.status !== 'Available') return;
    const idTag = world.prng.pick(world.driverTags);
    if (!tagEligible(world, idTag, true)) return;
    if (world.prng.chance(0.12)) {
      // Some drivers reserve first; not all of them make it before the reservation expires.
      const reservation = insertReservation(
        world,
        cp,
        connector,
        idTag,
        world.clock + world.prng.between(15, 30) * MINUTE,
        'ACCEPTED',
      );
      world.after(world.prng.between(5, 40) * MINUTE, {
        type: 'reservedDriverArrives',
        reservationPk: reservation.pk,
      });
      return;
    }
    world.setStatus(connector, 'Preparing');
    world.after(world.prng.between(5_000, 30_000), {
      type: 'start',
      cpPk: cp.pk,
      connectorId: connector.connectorId,
      idTag,
      remote: false,
    });
  },
  sample(world, event) {
    const tx = world.transactions.get(event.txPk);
    if (!tx || tx.stoppedAt !== null) return;
    recordSample(world, tx);
    world.after(world.settings.meterIntervalMs, event);
  },
  evFull(world, event) {
    const tx = world.transactions.get(event.txPk);
    if (!tx || tx.stoppedAt !== null) return;
    const connector = world.connector(tx.cpPk, tx.connectorId);
    if (connector) world.setStatus(connector, 'SuspendedEV');
    recordSample(world, tx);
    // The driver comes back at some point: ends with the card, or just unplugs.
    const reason = world.prng.chance(0.6) ? 'Local' : 'EVDisconnected';
    world.after(world.prng.between(2, 25) * MINUTE, { type: 'stop', txPk: tx.pk, reason });
  },
  unplug(world, event) {
    const connector = world.connector(event.cpPk, event.connectorId);
    if (connector && connector.txPk === null && connector.status === 'Finishing')
      world.setStatus(connector, 'Available');
  },
  churn(world) {
    churn(world);
    scheduleChurn(world);
  },
} satisfies EventHandlers;
