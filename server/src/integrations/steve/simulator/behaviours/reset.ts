import { touchHeartbeat } from '../model/fleet.ts';
import type { SimChargePoint } from '../model/types.ts';
import type { SimWorld } from '../world.ts';

/** Reset: a station that (re)boots connects, heartbeats and re-reports every connector's status. */
export function rebootStation(world: SimWorld, cp: SimChargePoint): void {
  cp.online = true;
  touchHeartbeat(world, cp);
  for (const c of cp.connectors) world.setStatus(c, c.status);
}
