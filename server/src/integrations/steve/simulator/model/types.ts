import type {
  ConfigurationKey,
  ConnectorStatusValue,
  SteveReservationStatus,
  TriggerMessageName,
} from '../../port.ts';

/**
 * The fleet simulator's data: plain records, so the whole state can be written to the database and
 * read back (see ../snapshot.ts). Times are epoch milliseconds of the simulated clock.
 */

export type SimChargerRole = 'normal' | 'refuses-remote-start' | 'never-answers' | 'flaky';

export interface SimChargerModel {
  vendor: string;
  model: string;
  powerType: 'AC' | 'DC';
  powerW: number;
  connectors: 1 | 2;
}

export const SIM_CHARGER_MODELS: readonly SimChargerModel[] = [
  { vendor: 'Wallbox', model: 'Pulsar Plus', powerType: 'AC', powerW: 7_400, connectors: 1 },
  { vendor: 'Alfen', model: 'Eve Double Pro-line', powerType: 'AC', powerW: 11_000, connectors: 2 },
  { vendor: 'ABB', model: 'Terra AC W22', powerType: 'AC', powerW: 22_000, connectors: 1 },
  { vendor: 'Ecotap', model: 'Duo 22', powerType: 'AC', powerW: 22_000, connectors: 2 },
  { vendor: 'ABB', model: 'Terra 54', powerType: 'DC', powerW: 50_000, connectors: 2 },
  { vendor: 'Kempower', model: 'Satellite S', powerType: 'DC', powerW: 150_000, connectors: 1 },
  { vendor: 'Alpitronic', model: 'HYC150', powerType: 'DC', powerW: 150_000, connectors: 2 },
];

export const SITES = ['AMS', 'RTM', 'UTR', 'EIN', 'DHG'] as const;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export interface SimConnector {
  connectorId: number;
  evsePk: number;
  powerW: number;
  powerType: 'AC' | 'DC';
  status: ConnectorStatusValue;
  statusAt: number;
  errorCode: string;
  registerWh: number;
  /** Open transaction on this connector. */
  txPk: number | null;
}

export interface SimChargePoint {
  pk: number;
  chargeBoxId: string;
  vendor: string;
  model: string;
  firmwareVersion: string;
  description: string;
  role: SimChargerRole;
  background: boolean;
  online: boolean;
  lastHeartbeatAt: number;
  connectors: SimConnector[];
  createdAt: number;
  updatedAt: number;
  /** What operator commands changed on the station (model/station-ops.ts); absent until the first one. */
  ops?: SimStationOps;
}

/** A station's state that only operator commands touch: plain data, saved with the world. */
export interface SimStationOps {
  config: ConfigurationKey[];
  /**
   * Installed charging profiles (connectorId 0 = the whole station). A TxProfile set for a running
   * transaction (`txPk`) applies only while that transaction runs, as OCPP says.
   */
  profiles: Array<{ connectorId: number; profilePk: number; txPk?: number }>;
  /** Connectors whose Inoperative change waits for the running session to end (answer `Scheduled`). */
  scheduledUnavailable: number[];
  /** The whole station was made Inoperative (ChangeAvailability on connector 0). */
  stationInoperative: boolean;
}

export interface SimSample {
  at: number;
  energyWh: number;
  powerW: number;
}

export interface SimTransaction {
  pk: number;
  cpPk: number;
  chargeBoxId: string;
  connectorId: number;
  idTag: string;
  startedAt: number;
  meterStartWh: number;
  powerW: number;
  /** When the EV's battery is full at `powerW`. */
  fullAt: number;
  stoppedAt: number | null;
  meterStopWh: number | null;
  stopReason: string | null;
  stopActor: 'station' | 'manual' | null;
  samples: SimSample[];
}

export interface SimTag {
  pk: number;
  idTag: string;
  parentIdTag: string | null;
  expiryDate: number | null;
  maxActive: number;
  note: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface SimReservation {
  pk: number;
  cpPk: number;
  chargeBoxId: string;
  connectorId: number;
  idTag: string;
  transactionPk: number | null;
  startAt: number;
  expiryAt: number;
  status: SteveReservationStatus;
  statusAt: number;
  createdAt: number;
  updatedAt: number;
}

/**
 * Everything that can happen later in the simulation. A new behaviour that needs a delayed step adds
 * its event here and its handler in its own file under behaviours/ (see behaviours/index.ts).
 */
export type SimEvent =
  | { type: 'heartbeat'; cpPk: number }
  | { type: 'outage'; cpPk: number }
  | { type: 'reconnect'; cpPk: number }
  | { type: 'arrival'; cpPk: number; connectorId: number }
  | { type: 'start'; cpPk: number; connectorId: number; idTag: string; remote: boolean }
  | { type: 'noShow'; cpPk: number; connectorId: number }
  | { type: 'sample'; txPk: number }
  | { type: 'evFull'; txPk: number }
  | { type: 'stop'; txPk: number; reason: string }
  | { type: 'unplug'; cpPk: number; connectorId: number }
  | { type: 'reservedDriverArrives'; reservationPk: number }
  | { type: 'reservationExpiry'; reservationPk: number }
  | { type: 'churn' }
  | { type: 'resetDown'; cpPk: number; reason: 'SoftReset' | 'HardReset' }
  | { type: 'resetBoot'; cpPk: number }
  | { type: 'triggered'; cpPk: number; message: TriggerMessageName; connectorIds: number[] }
  | { type: 'connectorFault' };

export type SimEventType = SimEvent['type'];

/** Key counters: never reused, also across restarts (they are part of the saved state). */
export interface SimCounters {
  cpPk: number;
  evsePk: number;
  txPk: number;
  tagPk: number;
  reservationPk: number;
  taskId: number;
}

/** Knobs from the options; not part of the saved state (a restart takes the current configuration). */
export interface SimSettings {
  size: number;
  operationWaitMs: number;
  backgroundActivity: boolean;
  fleetChurn: boolean;
  outages: boolean;
  noShowRate: number;
  heartbeatIntervalMs: number;
  meterIntervalMs: number;
  /** Connectors now and then report Faulted with an OCPP error code (behaviours/faults.ts). */
  connectorFaults: boolean;
}
