import type { OperationResult } from '../../port.ts';
import { scheduleOutage, touchHeartbeat } from '../model/fleet.ts';
import { MINUTE, type SimChargePoint } from '../model/types.ts';
import type { SimWorld } from '../world.ts';
import type { EventHandlers } from './types.ts';

/** Unavailable: stations drop offline (flaky ones often) and come back; SteVe cannot reach them meanwhile. */

export function offline(): OperationResult {
  return {
    kind: 'OFFLINE',
    detail:
      'No stations are eligible for communication. Ensure that the chargeBox IDs are correct and the stations are online.',
  };
}

/** A station that (re)connects: heartbeats and re-reports every connector's status. */
export function rebootStation(world: SimWorld, cp: SimChargePoint): void {
  cp.online = true;
  touchHeartbeat(world, cp);
  for (const c of cp.connectors) world.setStatus(c, c.status);
}

export const unavailableEvents = {
  outage(world, event) {
    const cp = world.chargePoints.get(event.cpPk);
    if (!cp) return;
    cp.online = false;
    const downtime =
      cp.role === 'flaky'
        ? world.prng.between(5 * MINUTE, 45 * MINUTE)
        : world.prng.between(2 * MINUTE, 25 * MINUTE);
    world.after(downtime, { type: 'reconnect', cpPk: cp.pk });
  },
  reconnect(world, event) {
    const cp = world.chargePoints.get(event.cpPk);
    if (!cp) return;
    rebootStation(world, cp);
    scheduleOutage(world, cp);
  },
} satisfies EventHandlers;
