import type { SimWorld } from '../world.ts';
import { activeReservationOn, updateReservation } from './reservations.ts';
import { takeScheduledUnavailable } from './station-ops.ts';
import { HOUR, MINUTE, type SimTransaction } from './types.ts';

/** Charging transactions: how they start, meter and end, as a station reports them to SteVe. */

export function startTransaction(world: SimWorld, cpPk: number, connectorId: number, idTag: string): void {
  const cp = world.chargePoints.get(cpPk);
  const connector = cp?.connectors.find((c) => c.connectorId === connectorId);
  if (!cp || !connector || connector.status !== 'Preparing' || connector.txPk !== null) return;
  const powerW = Math.round(connector.powerW * world.prng.between(0.85, 1.0));
  const targetWh = world.prng.between(5_000, connector.powerType === 'DC' ? 60_000 : 40_000);
  const tx: SimTransaction = {
    pk: world.counters.txPk++,
    cpPk,
    chargeBoxId: cp.chargeBoxId,
    connectorId,
    idTag,
    startedAt: world.clock,
    meterStartWh: Math.round(connector.registerWh),
    powerW,
    fullAt: world.clock + Math.round((targetWh / powerW) * HOUR),
    stoppedAt: null,
    meterStopWh: null,
    stopReason: null,
    stopActor: null,
    samples: [],
  };
  world.transactions.set(tx.pk, tx);
  connector.txPk = tx.pk;
  const reservation = activeReservationOn(world, cpPk, connectorId);
  if (reservation && reservation.idTag.toLowerCase() === idTag.toLowerCase()) {
    reservation.transactionPk = tx.pk;
    updateReservation(world, reservation, 'USED');
  }
  world.setStatus(connector, 'Charging');
  recordSample(world, tx);
  world.after(world.settings.meterIntervalMs, { type: 'sample', txPk: tx.pk });
  world.queue.push(tx.fullAt, { type: 'evFull', txPk: tx.pk });
}

export function stopTransaction(world: SimWorld, txPk: number, reason: string): void {
  const tx = world.transactions.get(txPk);
  if (!tx || tx.stoppedAt !== null) return;
  const energy = energyAt(tx, world.clock);
  tx.stoppedAt = world.clock;
  tx.meterStopWh = Math.round(energy);
  tx.stopReason = reason;
  tx.stopActor = 'station';
  tx.samples.push({ at: world.clock, energyWh: tx.meterStopWh, powerW: 0 });
  const connector = world.connector(tx.cpPk, tx.connectorId);
  if (!connector) return;
  connector.registerWh = tx.meterStopWh;
  connector.txPk = null;
  const cp = world.chargePoints.get(tx.cpPk);
  if (cp && takeScheduledUnavailable(cp, tx.connectorId)) {
    // A `Scheduled` ChangeAvailability(Inoperative) applies once the session has ended.
    world.setStatus(connector, 'Unavailable');
  } else if (reason === 'EVDisconnected') {
    world.setStatus(connector, 'Available');
  } else {
    world.setStatus(connector, 'Finishing');
    world.after(world.prng.between(30_000, 3 * MINUTE), {
      type: 'unplug',
      cpPk: tx.cpPk,
      connectorId: tx.connectorId,
    });
  }
}

export function energyAt(tx: SimTransaction, at: number): number {
  const end = Math.min(at, tx.fullAt, tx.stoppedAt ?? Number.POSITIVE_INFINITY);
  return tx.meterStartWh + (tx.powerW * Math.max(0, end - tx.startedAt)) / HOUR;
}

export function recordSample(world: SimWorld, tx: SimTransaction): void {
  const charging = world.clock < tx.fullAt;
  tx.samples.push({
    at: world.clock,
    energyWh: Math.round(energyAt(tx, world.clock)),
    powerW: charging ? tx.powerW : 0,
  });
}
