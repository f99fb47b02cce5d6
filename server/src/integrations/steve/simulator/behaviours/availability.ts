import type { ChangeAvailabilityCommand } from '../../port.ts';
import { stationOps } from '../model/station-ops.ts';
import type { SimWorld } from '../world.ts';
import { isSilent, silence } from './silent.ts';
import type { CommandOutcome } from './types.ts';
import { offline } from './unavailable.ts';

/**
 * ChangeAvailability: Inoperative makes the connector(s) Unavailable (connector 0 = the whole
 * station); with a session running the answer is `Scheduled` and the change applies when the session
 * ends (model/transactions.ts). Operative makes them Available again.
 */
export function changeAvailability(world: SimWorld, command: ChangeAvailabilityCommand): CommandOutcome {
  const cp = world.reachable(command.chargeBoxId);
  if (!cp) return offline();
  const taskId = world.nextTaskId();
  if (isSilent(cp)) return silence(taskId);
  const ops = stationOps(cp);
  const whole = command.connectorId === 0;
  const targets = whole ? cp.connectors : cp.connectors.filter((c) => c.connectorId === command.connectorId);
  if (targets.length === 0) return { kind: 'REJECTED', taskId, status: 'Rejected' };
  if (whole) ops.stationInoperative = !command.available;
  let scheduled = false;
  for (const c of targets) {
    if (command.available) {
      ops.scheduledUnavailable = ops.scheduledUnavailable.filter((id) => id !== c.connectorId);
      if (c.status === 'Unavailable') world.setStatus(c, 'Available');
    } else if (c.txPk !== null) {
      if (!ops.scheduledUnavailable.includes(c.connectorId)) ops.scheduledUnavailable.push(c.connectorId);
      scheduled = true;
    } else {
      world.setStatus(c, 'Unavailable');
    }
  }
  return { kind: 'ACCEPTED', taskId, status: scheduled ? 'Scheduled' : 'Accepted' };
}
