import type { ConnectorStatusValue, SteveReservation } from './port.ts';

/** The states the product shows for a charger (docs/charger-states.md). */
export type ChargerState = 'ONLINE' | 'IN_USE' | 'RESERVED' | 'OFFLINE' | 'UNAVAILABLE' | 'FAULTED';

/** What a single connector means for a driver. */
export type ConnectorAvailability = 'AVAILABLE' | 'IN_USE' | 'RESERVED' | 'OUT_OF_SERVICE';

/**
 * A JSON station is pinged by SteVe every 15 min and each pong refreshes the heartbeat column;
 * 20 min leaves a margin for one late pong before calling the station offline.
 */
export const DEFAULT_OFFLINE_AFTER_MS = 20 * 60_000;

const IN_USE_STATUSES: ReadonlySet<string> = new Set<ConnectorStatusValue>([
  'Preparing',
  'Charging',
  'SuspendedEVSE',
  'SuspendedEV',
  'Finishing',
]);

export function connectorAvailability(status: ConnectorStatusValue | string | null): ConnectorAvailability {
  if (status === 'Available') return 'AVAILABLE';
  if (status === 'Reserved') return 'RESERVED';
  if (status !== null && IN_USE_STATUSES.has(status)) return 'IN_USE';
  return 'OUT_OF_SERVICE';
}

export interface ChargerStateInput {
  lastHeartbeatAt: Date | null;
  /** Latest status per connector; connectorId 0 is the station as a whole. */
  connectors: ReadonlyArray<{ connectorId: number; status: ConnectorStatusValue | string | null }>;
  /** SteVe only talks to `Accepted` stations; null/undefined is treated as Accepted. */
  registrationStatus?: string | null;
  now: Date;
  offlineAfterMs?: number;
  /** A fresh 400 "No stations are eligible" from an operation: definitely not connected. */
  knownDisconnected?: boolean;
}

/**
 * OCPP status + connection freshness → product state. Offline is not an OCPP status, so a stale
 * heartbeat overrides whatever the last status row says. Otherwise a charger a driver could start
 * on right now is ONLINE, even if its other connector is busy.
 */
export function deriveChargerState(input: ChargerStateInput): ChargerState {
  const offlineAfterMs = input.offlineAfterMs ?? DEFAULT_OFFLINE_AFTER_MS;
  if (input.knownDisconnected) return 'OFFLINE';
  if (input.lastHeartbeatAt === null) return 'OFFLINE';
  if (input.now.getTime() - input.lastHeartbeatAt.getTime() > offlineAfterMs) return 'OFFLINE';
  if (input.registrationStatus != null && input.registrationStatus !== 'Accepted') return 'OFFLINE';

  const station = input.connectors.find((c) => c.connectorId === 0);
  if (station?.status === 'Faulted') return 'FAULTED';
  if (station?.status === 'Unavailable') return 'UNAVAILABLE';

  const plugs = input.connectors.filter((c) => c.connectorId > 0 && c.status !== null);
  // Connected but silent about its connectors: nothing says it is busy or broken.
  if (plugs.length === 0) return 'ONLINE';
  const availability = plugs.map((c) => connectorAvailability(c.status));
  if (availability.includes('AVAILABLE')) return 'ONLINE';
  if (availability.includes('IN_USE')) return 'IN_USE';
  if (availability.includes('RESERVED')) return 'RESERVED';
  // Nothing usable: a fault is the more urgent thing to show; otherwise taken out of service.
  if (plugs.some((c) => c.status === 'Faulted')) return 'FAULTED';
  if (plugs.some((c) => c.status === 'Unavailable')) return 'UNAVAILABLE';
  return 'OFFLINE';
}

/** SteVe has no EXPIRED status: an ACCEPTED reservation past its expiry has expired. */
export function effectiveReservationStatus(
  reservation: Pick<SteveReservation, 'status' | 'expiryAt'>,
  now: Date,
): SteveReservation['status'] | 'EXPIRED' {
  if (reservation.status === 'ACCEPTED' && reservation.expiryAt.getTime() <= now.getTime()) return 'EXPIRED';
  return reservation.status;
}
