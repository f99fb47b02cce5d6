import type { SteveChargingProfile } from '../../port.ts';
import type { SimChargePoint, SimStationOps } from './types.ts';

/**
 * What operator commands change on a station: its OCPP configuration keys, installed charging
 * profiles and the connectors taken out of service. Plain data on the charge point (`cp.ops`), so it
 * is saved with the world; created on first use.
 */

/** Keys a station reports but refuses to change. */
export const READ_ONLY_KEYS: ReadonlySet<string> = new Set([
  'NumberOfConnectors',
  'SupportedFeatureProfiles',
  'ChargeProfileMaxStackLevel',
]);

/** The profiles stored in the simulated SteVe (its `charging_profile` table). */
export const SIM_CHARGING_PROFILES: readonly SteveChargingProfile[] = [
  {
    pk: 1,
    description: 'Grid peak: 16 A',
    stackLevel: 1,
    purpose: 'TxDefaultProfile',
    kind: 'Absolute',
    chargingRateUnit: 'A',
    periods: [{ startPeriodSeconds: 0, limit: 16, numberPhases: 3 }],
  },
  {
    pk: 2,
    description: 'Evening ramp: 32 A, 10 A after 2 h',
    stackLevel: 2,
    purpose: 'TxProfile',
    kind: 'Relative',
    chargingRateUnit: 'A',
    periods: [
      { startPeriodSeconds: 0, limit: 32, numberPhases: 3 },
      { startPeriodSeconds: 7200, limit: 10, numberPhases: 3 },
    ],
  },
];

export function stationOps(cp: SimChargePoint): SimStationOps {
  cp.ops ??= {
    config: [
      { key: 'HeartbeatInterval', value: '60', readonly: false },
      { key: 'MeterValueSampleInterval', value: '60', readonly: false },
      { key: 'ConnectionTimeOut', value: '90', readonly: false },
      { key: 'AuthorizeRemoteTxRequests', value: 'false', readonly: false },
      { key: 'LocalAuthorizeOffline', value: 'true', readonly: false },
      { key: 'SecurityProfile', value: '0', readonly: false },
      { key: 'NumberOfConnectors', value: String(cp.connectors.length), readonly: true },
      {
        key: 'SupportedFeatureProfiles',
        value: 'Core,RemoteTrigger,SmartCharging,Reservation',
        readonly: true,
      },
      { key: 'ChargeProfileMaxStackLevel', value: '8', readonly: true },
    ],
    profiles: [],
    scheduledUnavailable: [],
    stationInoperative: false,
  };
  return cp.ops;
}

/** Whether a connector must stay Unavailable where it would otherwise become free. */
export function isInoperative(cp: SimChargePoint, connectorId: number): boolean {
  const ops = cp.ops;
  return !!ops && (ops.stationInoperative || ops.scheduledUnavailable.includes(connectorId));
}

/** A session ended on the connector: a `Scheduled` Inoperative change now applies. */
export function takeScheduledUnavailable(cp: SimChargePoint, connectorId: number): boolean {
  const ops = cp.ops;
  if (!ops) return false;
  const before = ops.scheduledUnavailable.length;
  ops.scheduledUnavailable = ops.scheduledUnavailable.filter((id) => id !== connectorId);
  return ops.stationInoperative || ops.scheduledUnavailable.length !== before;
}
