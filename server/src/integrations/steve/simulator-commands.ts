import type {
  ChangeAvailabilityCommand,
  ChangeConfigurationCommand,
  ClearChargingProfileCommand,
  CompositeSchedule,
  ConfigurationKey,
  ConfigurationResult,
  ConnectorStatusValue,
  OperationData,
  OperationResult,
  ResetCommand,
  SetChargingProfileCommand,
  SteveChargingProfile,
  TriggerMessageCommand,
  UnlockConnectorCommand,
} from './port.ts';

/**
 * How the fleet simulator answers the operator commands (Reset, UnlockConnector, ChangeAvailability,
 * TriggerMessage, Get/ChangeConfiguration, charging profiles), kept apart from the simulation core.
 * The simulator hands in a narrow view of one station (`SimStationView`) and the few effects it needs.
 *
 * Behaviour, chosen so a demo shows every outcome:
 * - Reset: Accepted; the station drops its connection ~1 s later (soft: ends running sessions with
 *   `SoftReset`, hard: `HardReset`), boots again 4–8 s after that, clears faults and re-reports every
 *   connector. Chargers with the `never-answers` role never answer anything.
 * - UnlockConnector: `UnlockFailed` while a session holds the cable; `NotSupported` on tethered
 *   chargers (the Wallbox Pulsar Plus has a fixed cable); otherwise `Unlocked`.
 * - ChangeAvailability: Inoperative makes the connector(s) `Unavailable`; with a session running the
 *   answer is `Scheduled` and the change applies when the session ends. Operative makes them
 *   `Available` again.
 * - TriggerMessage: StatusNotification re-reports statuses, Heartbeat/BootNotification refresh the
 *   heartbeat, MeterValues records a sample; the `refuses-remote-start` charger answers NotImplemented.
 * - Get/ChangeConfiguration: a small OCPP key set per station; read-only keys are Rejected, unknown keys
 *   NotSupported, SecurityProfile RebootRequired.
 * - Charging profiles: two stored profiles; SetChargingProfile is NotSupported on DC chargers.
 */

export type SimRole = 'normal' | 'refuses-remote-start' | 'never-answers' | 'flaky';

export interface SimConnectorView {
  connectorId: number;
  status: ConnectorStatusValue;
  errorCode: string;
  powerW: number;
  powerType: 'AC' | 'DC';
  txPk: number | null;
}

export interface SimStationView {
  pk: number;
  chargeBoxId: string;
  model: string;
  role: SimRole;
  online: boolean;
  connectors: SimConnectorView[];
}

/** What the simulator lends the command behaviours. */
export interface SimEffects {
  clock(): number;
  nextTaskId(): number;
  /** Waits the operation wait (SteVe: 30 s) and answers NO_ANSWER. */
  noAnswer(taskId: number): Promise<OperationResult>;
  /** Runs `run` at simulated time `at`. */
  schedule(at: number, run: () => void): void;
  setStatus(connector: SimConnectorView, status: ConnectorStatusValue, errorCode?: string): void;
  touchHeartbeat(station: SimStationView): void;
  stopTransaction(txPk: number, reason: string): void;
  recordSample(txPk: number): void;
  setOnline(station: SimStationView, online: boolean): void;
  random(): number;
}

const SECOND = 1000;

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
    description: 'Evening ramp: 32 A then 10 A after 2 h',
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

interface StationExtras {
  config: Map<string, ConfigurationKey>;
  /** connectorId → profile pks installed there (0 = station-wide). */
  profiles: Map<number, Set<number>>;
  /** Connectors whose Inoperative change waits for the running session to end. */
  scheduledUnavailable: Set<number>;
  /** The whole station was made Inoperative. */
  stationInoperative: boolean;
}

const READ_ONLY_KEYS = new Set([
  'NumberOfConnectors',
  'SupportedFeatureProfiles',
  'ChargeProfileMaxStackLevel',
]);

export class SimulatorCommands {
  readonly #extras = new Map<number, StationExtras>();
  readonly #fx: SimEffects;

  constructor(effects: SimEffects) {
    this.#fx = effects;
  }

  #of(station: SimStationView): StationExtras {
    let extras = this.#extras.get(station.pk);
    if (!extras) {
      const keys: ConfigurationKey[] = [
        { key: 'HeartbeatInterval', value: '60', readonly: false },
        { key: 'MeterValueSampleInterval', value: '60', readonly: false },
        { key: 'ConnectionTimeOut', value: '90', readonly: false },
        { key: 'AuthorizeRemoteTxRequests', value: 'false', readonly: false },
        { key: 'LocalAuthorizeOffline', value: 'true', readonly: false },
        { key: 'SecurityProfile', value: '0', readonly: false },
        { key: 'NumberOfConnectors', value: String(station.connectors.length), readonly: true },
        {
          key: 'SupportedFeatureProfiles',
          value: 'Core,RemoteTrigger,SmartCharging,Reservation',
          readonly: true,
        },
        { key: 'ChargeProfileMaxStackLevel', value: '8', readonly: true },
      ];
      extras = {
        config: new Map(keys.map((k) => [k.key, k])),
        profiles: new Map(),
        scheduledUnavailable: new Set(),
        stationInoperative: false,
      };
      this.#extras.set(station.pk, extras);
    }
    return extras;
  }

  /** Called by the simulator when a session ends on a connector: applies a Scheduled Inoperative. */
  onSessionEnded(station: SimStationView, connector: SimConnectorView): void {
    const extras = this.#extras.get(station.pk);
    if (!extras?.scheduledUnavailable.delete(connector.connectorId)) return;
    this.#fx.setStatus(connector, 'Unavailable');
  }

  /** Whether the simulator should keep a connector Unavailable when it would otherwise free it. */
  isInoperative(station: SimStationView, connectorId: number): boolean {
    const extras = this.#extras.get(station.pk);
    return !!extras && (extras.stationInoperative || extras.scheduledUnavailable.has(connectorId));
  }

  async reset(station: SimStationView, command: ResetCommand): Promise<OperationResult> {
    const taskId = this.#fx.nextTaskId();
    if (station.role === 'never-answers') return this.#fx.noAnswer(taskId);
    const now = this.#fx.clock();
    const reason = command.type === 'Hard' ? 'HardReset' : 'SoftReset';
    this.#fx.schedule(now + SECOND, () => {
      for (const c of station.connectors) if (c.txPk !== null) this.#fx.stopTransaction(c.txPk, reason);
      this.#fx.setOnline(station, false);
    });
    const bootAt = now + SECOND + 4 * SECOND + Math.round(this.#fx.random() * 4 * SECOND);
    this.#fx.schedule(bootAt, () => {
      this.#fx.setOnline(station, true);
      this.#fx.touchHeartbeat(station);
      const extras = this.#extras.get(station.pk);
      for (const c of station.connectors) {
        const inoperative = extras?.stationInoperative || c.status === 'Unavailable';
        this.#fx.setStatus(c, inoperative ? 'Unavailable' : 'Available', 'NoError');
      }
    });
    return { kind: 'ACCEPTED', taskId, status: 'Accepted' };
  }

  async unlockConnector(station: SimStationView, command: UnlockConnectorCommand): Promise<OperationResult> {
    const taskId = this.#fx.nextTaskId();
    if (station.role === 'never-answers') return this.#fx.noAnswer(taskId);
    if (station.model === 'Pulsar Plus') {
      return { kind: 'REJECTED', taskId, status: 'NotSupported', detail: 'The charger has a fixed cable' };
    }
    const connector = station.connectors.find((c) => c.connectorId === command.connectorId);
    if (!connector) return { kind: 'REJECTED', taskId, status: 'NotSupported' };
    if (connector.txPk !== null) {
      return {
        kind: 'REJECTED',
        taskId,
        status: 'UnlockFailed',
        detail: 'The cable is locked by a running session',
      };
    }
    if (connector.status === 'Finishing') this.#fx.setStatus(connector, 'Available');
    return { kind: 'ACCEPTED', taskId, status: 'Unlocked' };
  }

  async changeAvailability(
    station: SimStationView,
    command: ChangeAvailabilityCommand,
  ): Promise<OperationResult> {
    const taskId = this.#fx.nextTaskId();
    if (station.role === 'never-answers') return this.#fx.noAnswer(taskId);
    const extras = this.#of(station);
    const targets =
      command.connectorId === 0
        ? station.connectors
        : station.connectors.filter((c) => c.connectorId === command.connectorId);
    if (targets.length === 0) return { kind: 'REJECTED', taskId, status: 'Rejected' };
    if (command.connectorId === 0) extras.stationInoperative = !command.available;
    let scheduled = false;
    for (const c of targets) {
      if (command.available) {
        extras.scheduledUnavailable.delete(c.connectorId);
        if (c.status === 'Unavailable') this.#fx.setStatus(c, 'Available');
      } else if (c.txPk !== null) {
        extras.scheduledUnavailable.add(c.connectorId);
        scheduled = true;
      } else {
        this.#fx.setStatus(c, 'Unavailable');
      }
    }
    return { kind: 'ACCEPTED', taskId, status: scheduled ? 'Scheduled' : 'Accepted' };
  }

  async triggerMessage(station: SimStationView, command: TriggerMessageCommand): Promise<OperationResult> {
    const taskId = this.#fx.nextTaskId();
    if (station.role === 'never-answers') return this.#fx.noAnswer(taskId);
    if (station.role === 'refuses-remote-start') {
      return { kind: 'REJECTED', taskId, status: 'NotImplemented' };
    }
    const targets =
      command.connectorId === undefined
        ? station.connectors
        : station.connectors.filter((c) => c.connectorId === command.connectorId);
    if (targets.length === 0) return { kind: 'REJECTED', taskId, status: 'Rejected' };
    const at = this.#fx.clock() + SECOND;
    this.#fx.schedule(at, () => {
      switch (command.message) {
        case 'StatusNotification':
          for (const c of targets) this.#fx.setStatus(c, c.status);
          return;
        case 'Heartbeat':
        case 'BootNotification':
          this.#fx.touchHeartbeat(station);
          return;
        case 'MeterValues':
          for (const c of targets) if (c.txPk !== null) this.#fx.recordSample(c.txPk);
          return;
      }
    });
    return { kind: 'ACCEPTED', taskId, status: 'Accepted' };
  }

  async getConfiguration(station: SimStationView): Promise<OperationData<ConfigurationResult>> {
    const taskId = this.#fx.nextTaskId();
    if (station.role === 'never-answers') return { kind: 'FAILED', result: await this.#fx.noAnswer(taskId) };
    return {
      kind: 'DATA',
      taskId,
      data: { keys: [...this.#of(station).config.values()].map((k) => ({ ...k })), unknownKeys: [] },
    };
  }

  async changeConfiguration(
    station: SimStationView,
    command: ChangeConfigurationCommand,
  ): Promise<OperationResult> {
    const taskId = this.#fx.nextTaskId();
    if (station.role === 'never-answers') return this.#fx.noAnswer(taskId);
    const key = this.#of(station).config.get(command.key);
    if (!key) return { kind: 'REJECTED', taskId, status: 'NotSupported' };
    if (key.readonly || READ_ONLY_KEYS.has(key.key)) return { kind: 'REJECTED', taskId, status: 'Rejected' };
    if (/Interval|TimeOut|SecurityProfile/.test(key.key) && !/^\d+$/.test(command.value)) {
      return { kind: 'REJECTED', taskId, status: 'Rejected', detail: 'Not a whole number' };
    }
    key.value = command.value;
    const status = key.key === 'SecurityProfile' ? 'RebootRequired' : 'Accepted';
    return { kind: 'ACCEPTED', taskId, status };
  }

  listChargingProfiles(): SteveChargingProfile[] {
    return SIM_CHARGING_PROFILES.map((p) => ({ ...p, periods: p.periods.map((x) => ({ ...x })) }));
  }

  async setChargingProfile(
    station: SimStationView,
    command: SetChargingProfileCommand,
  ): Promise<OperationResult> {
    const profile = SIM_CHARGING_PROFILES.find((p) => p.pk === command.chargingProfilePk);
    if (!profile) {
      return { kind: 'STEVE_REFUSED', reason: 'INVALID_REQUEST', detail: 'chargingProfilePk is unknown.' };
    }
    if (command.transactionPk !== undefined && profile.purpose !== 'TxProfile') {
      return {
        kind: 'STEVE_REFUSED',
        reason: 'INVALID_REQUEST',
        detail: 'Only a TxProfile can be applied to a running session.',
      };
    }
    const taskId = this.#fx.nextTaskId();
    if (station.role === 'never-answers') return this.#fx.noAnswer(taskId);
    if (station.connectors.some((c) => c.powerType === 'DC')) {
      return { kind: 'REJECTED', taskId, status: 'NotSupported' };
    }
    const extras = this.#of(station);
    const set = extras.profiles.get(command.connectorId) ?? new Set<number>();
    set.add(profile.pk);
    extras.profiles.set(command.connectorId, set);
    return { kind: 'ACCEPTED', taskId, status: 'Accepted' };
  }

  async clearChargingProfile(
    station: SimStationView,
    command: ClearChargingProfileCommand,
  ): Promise<OperationResult> {
    const taskId = this.#fx.nextTaskId();
    if (station.role === 'never-answers') return this.#fx.noAnswer(taskId);
    let removed = false;
    for (const set of this.#of(station).profiles.values())
      removed = set.delete(command.chargingProfilePk) || removed;
    return removed
      ? { kind: 'ACCEPTED', taskId, status: 'Accepted' }
      : { kind: 'REJECTED', taskId, status: 'Unknown' };
  }

  async getCompositeSchedule(
    station: SimStationView,
    query: { connectorId: number; durationSeconds: number },
  ): Promise<OperationData<CompositeSchedule | null>> {
    const taskId = this.#fx.nextTaskId();
    if (station.role === 'never-answers') return { kind: 'FAILED', result: await this.#fx.noAnswer(taskId) };
    const extras = this.#of(station);
    const pks = new Set([
      ...(extras.profiles.get(0) ?? []),
      ...(extras.profiles.get(query.connectorId) ?? []),
    ]);
    const profiles = SIM_CHARGING_PROFILES.filter((p) => pks.has(p.pk));
    if (profiles.length === 0) return { kind: 'DATA', taskId, data: null };
    // The lowest limit of every installed profile at each period start.
    const starts = [...new Set(profiles.flatMap((p) => p.periods.map((x) => x.startPeriodSeconds)))]
      .filter((s) => s < query.durationSeconds)
      .sort((a, b) => a - b);
    const limitAt = (p: SteveChargingProfile, t: number) =>
      [...p.periods].reverse().find((x) => x.startPeriodSeconds <= t)?.limit ?? Number.POSITIVE_INFINITY;
    return {
      kind: 'DATA',
      taskId,
      data: {
        connectorId: query.connectorId,
        scheduleStart: new Date(this.#fx.clock()),
        durationSeconds: query.durationSeconds,
        chargingRateUnit: 'A',
        periods: starts.map((s) => ({
          startPeriodSeconds: s,
          limit: Math.min(...profiles.map((p) => limitAt(p, s))),
          numberPhases: 3,
        })),
      },
    };
  }
}
