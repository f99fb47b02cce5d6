import type { SimWorld } from '../world.ts';
import {
  HOUR,
  SIM_CHARGER_MODELS,
  SITES,
  type SimChargePoint,
  type SimChargerRole,
  type SimConnector,
} from './types.ts';

/** The fleet: charge points joining, leaving, dropping offline, and drivers arriving at them. */

/** Fleet layout: the 2nd charger refuses remote starts, the 3rd never answers, the 4th is flaky. */
export function roleFor(index: number): SimChargerRole {
  return index === 1
    ? 'refuses-remote-start'
    : index === 2
      ? 'never-answers'
      : index === 3
        ? 'flaky'
        : 'normal';
}

export function addChargePoint(world: SimWorld, role: SimChargerRole): SimChargePoint {
  const { prng, settings } = world;
  const pk = world.counters.cpPk++;
  const model = prng.pick(SIM_CHARGER_MODELS);
  const site = prng.pick(SITES);
  const connectors: SimConnector[] = [];
  for (let connectorId = 1; connectorId <= model.connectors; connectorId++) {
    connectors.push({
      connectorId,
      evsePk: world.counters.evsePk++,
      powerW: model.powerW,
      powerType: model.powerType,
      status: 'Available',
      statusAt: world.clock,
      errorCode: 'NoError',
      registerWh: Math.round(prng.between(100_000, 5_000_000)),
      txPk: null,
    });
  }
  const cp: SimChargePoint = {
    pk,
    chargeBoxId: `PX-${site}-${String(pk).padStart(3, '0')}`,
    vendor: model.vendor,
    model: model.model,
    firmwareVersion: `${prng.int(1, 4)}.${prng.int(0, 9)}.${prng.int(0, 20)}`,
    description: `${model.vendor} ${model.model} (${model.powerType} ${model.powerW / 1000} kW)`,
    role,
    // Special chargers stay quiet so their behaviour is easy to see; ~60% of the rest are busy.
    background: settings.backgroundActivity && role === 'normal' && prng.chance(0.6),
    online: true,
    lastHeartbeatAt: world.clock,
    connectors,
    createdAt: world.clock,
    updatedAt: world.clock,
  };
  world.chargePoints.set(pk, cp);
  world.after(prng.between(0, settings.heartbeatIntervalMs), { type: 'heartbeat', cpPk: pk });
  scheduleOutage(world, cp);
  if (cp.background) for (const c of connectors) scheduleArrival(world, cp, c);
  return cp;
}

/** Deletes a charge point with its whole history (SteVe cascades the same way). */
export function deleteChargePoint(world: SimWorld, cp: SimChargePoint): void {
  world.chargePoints.delete(cp.pk);
  for (const [pk, tx] of world.transactions) if (tx.cpPk === cp.pk) world.transactions.delete(pk);
  for (const [pk, r] of world.reservations) if (r.cpPk === cp.pk) world.reservations.delete(pk);
}

export function scheduleOutage(world: SimWorld, cp: SimChargePoint): void {
  if (!world.settings.outages) return;
  const mean = cp.role === 'flaky' ? 3 * HOUR : cp.role === 'normal' ? 48 * HOUR : 0;
  if (mean > 0) world.after(world.prng.exponential(mean), { type: 'outage', cpPk: cp.pk });
}

export function scheduleArrival(world: SimWorld, cp: SimChargePoint, connector: SimConnector): void {
  // DC sessions are short, so DC drivers come more often than AC ones.
  const mean = connector.powerType === 'DC' ? 1 * HOUR : 2.5 * HOUR;
  world.after(world.prng.exponential(mean), {
    type: 'arrival',
    cpPk: cp.pk,
    connectorId: connector.connectorId,
  });
}

export function touchHeartbeat(world: SimWorld, cp: SimChargePoint): void {
  cp.lastHeartbeatAt = world.clock;
  cp.updatedAt = world.clock;
}

export function scheduleChurn(world: SimWorld): void {
  world.after(world.prng.exponential(6 * HOUR), { type: 'churn' });
}

/**
 * A station is taken out of SteVe only after it stood idle for an hour: no session on it, none
 * reserved, and every session it had already stopped (and seen by a sync) long ago. Deleting a
 * station mid-charge would cascade its running transactions away, which an operator does not do.
 */
export function decommissionable(world: SimWorld, cp: SimChargePoint): boolean {
  return (
    cp.role === 'normal' &&
    cp.connectors.every((c) => c.txPk === null && c.status !== 'Reserved' && world.clock - c.statusAt >= HOUR)
  );
}

/** Keeps the fleet near its configured size: an idle charger leaves or a new one joins. */
export function churn(world: SimWorld): void {
  const removable = [...world.chargePoints.values()].filter((cp) => decommissionable(world, cp));
  const count = world.chargePoints.size;
  const size = world.settings.size;
  const remove = count > size + 1 || (count > Math.max(1, size - 2) && world.prng.chance(0.5));
  if (remove && removable.length > 0) deleteChargePoint(world, world.prng.pick(removable));
  else addChargePoint(world, 'normal');
}
