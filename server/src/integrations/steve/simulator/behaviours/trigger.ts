import type { TriggerMessageCommand } from '../../port.ts';
import { touchHeartbeat } from '../model/fleet.ts';
import { recordSample } from '../model/transactions.ts';
import type { SimWorld } from '../world.ts';
import { refusesRemoteStart } from './refuse.ts';
import { isSilent, silence } from './silent.ts';
import type { CommandOutcome, EventHandlers } from './types.ts';
import { offline } from './unavailable.ts';

/**
 * TriggerMessage: the station answers at once and sends the message a second later —
 * StatusNotification re-reports the connectors, Heartbeat and BootNotification refresh the heartbeat,
 * MeterValues records a sample of running sessions. The charger that refuses remote starts has no
 * RemoteTrigger profile and answers `NotImplemented`.
 */
export function triggerMessage(world: SimWorld, command: TriggerMessageCommand): CommandOutcome {
  const cp = world.reachable(command.chargeBoxId);
  if (!cp) return offline();
  const taskId = world.nextTaskId();
  if (isSilent(cp)) return silence(taskId);
  if (refusesRemoteStart(cp)) return { kind: 'REJECTED', taskId, status: 'NotImplemented' };
  const targets =
    command.connectorId === undefined
      ? cp.connectors
      : cp.connectors.filter((c) => c.connectorId === command.connectorId);
  if (targets.length === 0) return { kind: 'REJECTED', taskId, status: 'Rejected' };
  world.after(1_000, {
    type: 'triggered',
    cpPk: cp.pk,
    message: command.message,
    connectorIds: targets.map((c) => c.connectorId),
  });
  return { kind: 'ACCEPTED', taskId, status: 'Accepted' };
}

export const triggerEvents = {
  triggered(world, event) {
    const cp = world.chargePoints.get(event.cpPk);
    if (!cp?.online) return;
    const targets = cp.connectors.filter((c) => event.connectorIds.includes(c.connectorId));
    switch (event.message) {
      case 'StatusNotification':
        for (const c of targets) world.setStatus(c, c.status);
        return;
      case 'Heartbeat':
      case 'BootNotification':
        touchHeartbeat(world, cp);
        return;
      case 'MeterValues':
        for (const c of targets) {
          const tx = c.txPk === null ? undefined : world.transactions.get(c.txPk);
          if (tx && tx.stoppedAt === null) recordSample(world, tx);
        }
        return;
    }
  },
} satisfies EventHandlers;
