import type { ResetCommand } from '../../port.ts';
import { touchHeartbeat } from '../model/fleet.ts';
import { isInoperative } from '../model/station-ops.ts';
import { stopTransaction } from '../model/transactions.ts';
import type { SimWorld } from '../world.ts';
import { isSilent, silence } from './silent.ts';
import type { CommandOutcome, EventHandlers } from './types.ts';
import { offline } from './unavailable.ts';

/**
 * Reset: the station accepts, drops its connection about a second later (a soft reset ends running
 * sessions with `SoftReset`, a hard one with `HardReset`), boots again 4–8 s after that, clears its
 * faults and re-reports every connector. A connector taken out of service stays Unavailable.
 */

const SECOND = 1_000;

export function reset(world: SimWorld, command: ResetCommand): CommandOutcome {
  const cp = world.reachable(command.chargeBoxId);
  if (!cp) return offline();
  const taskId = world.nextTaskId();
  if (isSilent(cp)) return silence(taskId);
  const reason = command.type === 'Hard' ? 'HardReset' : 'SoftReset';
  world.after(SECOND, { type: 'resetDown', cpPk: cp.pk, reason });
  world.after(SECOND + world.prng.between(4 * SECOND, 8 * SECOND), { type: 'resetBoot', cpPk: cp.pk });
  return { kind: 'ACCEPTED', taskId, status: 'Accepted' };
}

export const resetEvents = {
  resetDown(world, event) {
    const cp = world.chargePoints.get(event.cpPk);
    if (!cp) return;
    for (const c of cp.connectors) if (c.txPk !== null) stopTransaction(world, c.txPk, event.reason);
    cp.online = false;
  },
  resetBoot(world, event) {
    const cp = world.chargePoints.get(event.cpPk);
    if (!cp) return;
    cp.online = true;
    touchHeartbeat(world, cp);
    for (const c of cp.connectors) {
      const out = isInoperative(cp, c.connectorId) || c.status === 'Unavailable';
      world.setStatus(c, out ? 'Unavailable' : 'Available', 'NoError');
    }
  },
} satisfies EventHandlers;
