import type { UnlockConnectorCommand } from '../../port.ts';
import type { SimWorld } from '../world.ts';
import { isSilent, silence } from './silent.ts';
import type { CommandOutcome } from './types.ts';
import { offline } from './unavailable.ts';

/**
 * UnlockConnector: `NotSupported` on tethered chargers (the Wallbox Pulsar Plus has a fixed cable),
 * `UnlockFailed` while a session holds the cable, otherwise `Unlocked`: a cable left after a session
 * is released, and a connector faulted with ConnectorLockFailure recovers.
 */
export function unlockConnector(world: SimWorld, command: UnlockConnectorCommand): CommandOutcome {
  const cp = world.reachable(command.chargeBoxId);
  if (!cp) return offline();
  const taskId = world.nextTaskId();
  if (isSilent(cp)) return silence(taskId);
  if (cp.model === 'Pulsar Plus') {
    return { kind: 'REJECTED', taskId, status: 'NotSupported', detail: 'The charger has a fixed cable' };
  }
  const connector = cp.connectors.find((c) => c.connectorId === command.connectorId);
  if (!connector) return { kind: 'REJECTED', taskId, status: 'NotSupported' };
  if (connector.txPk !== null) {
    return {
      kind: 'REJECTED',
      taskId,
      status: 'UnlockFailed',
      detail: 'The cable is locked by a running session',
    };
  }
  if (connector.status === 'Finishing') world.setStatus(connector, 'Available');
  if (connector.status === 'Faulted' && connector.errorCode === 'ConnectorLockFailure')
    world.setStatus(connector, 'Available', 'NoError');
  return { kind: 'ACCEPTED', taskId, status: 'Unlocked' };
}
