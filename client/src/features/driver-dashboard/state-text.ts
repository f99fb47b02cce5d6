import type { ChargerStateName } from '../../ui/Badge.tsx';

/**
 * What a driver reads under a charger that cannot be used right now (docs/charger-states.md);
 * null for the states the badge says enough about.
 */
export function driverStateNote(state: ChargerStateName): string | null {
  switch (state) {
    case 'UNAVAILABLE':
      return 'Taken out of service by the operator. Try another charger.';
    case 'FAULTED':
      return 'Reports a fault and cannot charge right now. The operator has been alerted.';
    case 'OFFLINE':
      return 'Not connected right now.';
    default:
      return null;
  }
}
