import { HOUR } from '../model/types.ts';
import type { SimWorld } from '../world.ts';
import type { EventHandlers } from './types.ts';

/**
 * Connector faults (setting `connectorFaults`, on in the demo): now and then a free connector of an
 * online station reports Faulted with an OCPP error code. A reset clears it; a ConnectorLockFailure
 * also clears with UnlockConnector.
 */

const ERROR_CODES = ['GroundFailure', 'ConnectorLockFailure', 'EVCommunicationError', 'OverCurrentFailure'];

export function scheduleConnectorFault(world: SimWorld): void {
  world.after(world.prng.exponential(4 * HOUR), { type: 'connectorFault' });
}

/** Faults a connector now (tests and demos); false for an unknown charger or connector. */
export function faultConnector(
  world: SimWorld,
  chargeBoxId: string,
  connectorId: number,
  errorCode: string,
): boolean {
  const connector = world.findChargePoint(chargeBoxId)?.connectors.find((c) => c.connectorId === connectorId);
  if (!connector) return false;
  world.setStatus(connector, 'Faulted', errorCode);
  return true;
}

export const faultEvents = {
  connectorFault(world) {
    const candidates = [...world.chargePoints.values()].filter(
      (cp) => cp.online && cp.role !== 'never-answers' && cp.connectors.some((c) => c.status === 'Available'),
    );
    if (candidates.length > 0) {
      const cp = world.prng.pick(candidates);
      const connector = cp.connectors.find((c) => c.status === 'Available');
      if (connector) world.setStatus(connector, 'Faulted', world.prng.pick(ERROR_CODES));
    }
    scheduleConnectorFault(world);
  },
} satisfies EventHandlers;
