/**
 * The SteVe port: everything Polaris needs from SteVe (the OCPP server), in Polaris' own terms.
 *
 * Implementations: `RealSteveAdapter` (real-adapter.ts: SteVe's REST API for commands and tag writes,
 * a read-only MySQL/MariaDB reader for everything else) and `FleetSimulator` (simulator/, the
 * embedded fleet used when STEVE_URL is not set). Both throw `SteveError` for failures of a call as
 * a whole; what a station answered to a command is an `OperationResult`, never an exception.
 *
 * All DTOs are plain data: Dates, numbers in Wh / W, chargeBoxId strings. Reads are keyset-paged:
 * pass the `cursor` of the previous page back in to get the next one; `hasMore` is false on the
 * last page, and its `cursor` is the one to persist for the next incremental run.
 */
export { SteveError, isSteveError, type SteveErrorCode, type SteveErrorSource } from './errors.ts';

/** What SteVe accepts as an idTag (OCPP CiString20 and SteVe's tag form). */
export const ID_TAG_PATTERN = /^[a-zA-Z0-9.:_#-]{1,20}$/;

/** Default and maximum page size of every list read. */
export const DEFAULT_PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 5000;

/**
 * Overlaps an incremental sync should re-read once at the start of a run (not per page), because
 * SteVe's keys are assigned before commit and concurrent inserts can commit out of order.
 */
export const SYNC_OVERLAP = {
  /** Re-read this many transaction pks below the last seen one. */
  transactionPks: 50,
  /** Re-read stop rows / updated rows this far before the last seen timestamp. */
  timestampMs: 2 * 60_000,
} as const;

/** OCPP 1.6 ChargePointStatus. */
export const CONNECTOR_STATUSES = [
  'Available',
  'Preparing',
  'Charging',
  'SuspendedEVSE',
  'SuspendedEV',
  'Finishing',
  'Reserved',
  'Unavailable',
  'Faulted',
] as const;
export type ConnectorStatusValue = (typeof CONNECTOR_STATUSES)[number];

// ---------------------------------------------------------------------------------------------
// Paging

/** Keyset position on a (timestamp, pk) ordering; `at` has millisecond precision. */
export interface TimeCursor {
  at: Date;
  pk: number;
}

export interface Page<T, C> {
  items: T[];
  /** Position after the last item (or the input position when the page is empty). */
  cursor: C;
  /** True when the page was full, i.e. more items may follow `cursor`. */
  hasMore: boolean;
}

export interface PkPageQuery {
  /** Exclusive lower bound on the pk; 0 or absent = from the start. */
  afterPk?: number;
  limit?: number;
}

export interface StoppedTransactionsQuery extends TimePageQuery {
  /** Only transactions with a pk at or above this one. */
  minTransactionPk?: number;
}

export interface TimePageQuery {
  /** Exclusive lower bound on (timestamp, pk); absent = from the start. */
  after?: TimeCursor | null;
  limit?: number;
}

// ---------------------------------------------------------------------------------------------
// DTOs

export interface SteveConnector {
  /** OCPP connectorId (SteVe `evse.evse_id`), ≥ 1. */
  connectorId: number;
  /** SteVe `evse.evse_pk`. */
  evsePk: number;
  /** Rated power in W when known (simulator always; real SteVe only if an admin entered it). */
  maxPowerW: number | null;
  /** 'AC' | 'DC' when known. */
  powerType: 'AC' | 'DC' | null;
  /** SteVe `evse_connector.connector_type` (free text, e.g. `CCS2`), when an admin entered it. */
  connectorType?: string | null;
}

/** Where SteVe says a charge box is (`charge_box.location_*` and its `address` row). */
export interface SteveLocation {
  latitude: number | null;
  longitude: number | null;
  /** Street, house number, zip code, city, country as one line; null when SteVe has none. */
  address: string | null;
}

export interface SteveChargePoint {
  pk: number;
  chargeBoxId: string;
  description: string | null;
  vendor: string | null;
  model: string | null;
  firmwareVersion: string | null;
  /** Location and address when the source has them (SteVe's database; not its REST API). */
  location?: SteveLocation;
  /** e.g. `ocpp1.6J`; null if the station never connected. */
  ocppProtocol: string | null;
  /** `Accepted` | `Pending` | `Rejected`. */
  registrationStatus: string;
  /** Server time of the last Heartbeat / BootNotification / WebSocket pong. */
  lastHeartbeatAt: Date | null;
  /** Connectors ≥ 1 the station has mentioned so far (SteVe creates them lazily). */
  connectors: SteveConnector[];
  createdAt: Date;
  updatedAt: Date;
}

/** The current (latest) status of one connector; connectorId 0 describes the whole station. */
export interface SteveConnectorStatus {
  evsePk: number;
  chargeBoxId: string;
  connectorId: number;
  /** Null when the connector exists but never reported a status. */
  status: ConnectorStatusValue | null;
  errorCode: string | null;
  errorInfo: string | null;
  vendorErrorCode: string | null;
  /** Station clock. */
  statusAt: Date | null;
}

export interface SteveTag {
  pk: number;
  idTag: string;
  parentIdTag: string | null;
  /** Null = never expires. */
  expiryDate: Date | null;
  /** 0 = blocked, negative = unlimited. */
  maxActiveTransactionCount: number;
  activeTransactionCount: number;
  blocked: boolean;
  note: string | null;
  /** Owning SteVe user, if any. */
  userPk: number | null;
  /** Null when the answer came from the REST API, which has no timestamps. */
  createdAt: Date | null;
  updatedAt: Date | null;
}

export type StopEventActor = 'station' | 'manual';

export interface SteveTransaction {
  /** SteVe transaction_pk = the OCPP transactionId. */
  pk: number;
  chargePointPk: number;
  chargeBoxId: string;
  connectorId: number;
  idTag: string;
  tagPk: number | null;
  /** Station clock. */
  startedAt: Date;
  /** Server time the start was recorded. */
  startEventAt: Date;
  meterStartWh: number;
  /** All stop fields are null while the transaction is active. */
  stoppedAt: Date | null;
  /** Server time of the (latest) stop row; a later stop row may supersede a manual one. */
  stopEventAt: Date | null;
  meterStopWh: number | null;
  stopReason: string | null;
  stopActor: StopEventActor | null;
}

/** One sampling instant of one transaction, all measurands of that instant folded together. */
export interface SteveMeterSample {
  transactionPk: number;
  chargeBoxId: string;
  connectorId: number;
  /** Station clock, millisecond precision. */
  at: Date;
  /** Energy.Active.Import.Register converted to Wh. */
  energyWh: number | null;
  /** Power.Active.Import converted to W (phases summed when only per-phase values exist). */
  powerW: number | null;
  socPercent: number | null;
}

export interface MeterSampleCursor {
  transactionPk: number;
  at: Date;
}

/** SteVe's reservation statuses; there is no EXPIRED: ACCEPTED with a past expiry has expired. */
export type SteveReservationStatus = 'WAITING' | 'ACCEPTED' | 'USED' | 'CANCELLED';

export interface SteveReservation {
  /** = OCPP reservationId. */
  pk: number;
  chargeBoxId: string;
  /** 0 = whole station. */
  connectorId: number;
  idTag: string;
  transactionPk: number | null;
  startAt: Date;
  expiryAt: Date;
  status: SteveReservationStatus;
  statusAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

// ---------------------------------------------------------------------------------------------
// Commands

/**
 * Outcome of an OCPP operation for the one targeted station, mapped from SteVe's envelope:
 * - ACCEPTED / REJECTED: the station answered (`status` is its OCPP status, e.g. `Occupied`);
 * - CALL_ERROR: the station answered with an OCPP-J CallError (`errorCode`);
 * - EXCEPTION: SteVe could not send or could not process the answer;
 * - NO_ANSWER: no answer within SteVe's 30 s wait (or our HTTP deadline) — outcome unknown,
 *   reconcile by reading state;
 * - OFFLINE: SteVe's 400 "No stations are eligible" — the station is not connected;
 * - STEVE_REFUSED: SteVe's own pre-check failed (400), nothing was sent to the station.
 */
export type OperationResult =
  | { kind: 'ACCEPTED'; taskId: number; status: string; detail?: string; reservationId?: number }
  | { kind: 'REJECTED'; taskId: number; status: string; detail?: string }
  | { kind: 'CALL_ERROR'; taskId: number; errorCode: string; detail?: string }
  | { kind: 'EXCEPTION'; taskId: number; detail?: string }
  | { kind: 'NO_ANSWER'; taskId?: number; detail?: string }
  | { kind: 'OFFLINE'; detail?: string }
  | { kind: 'STEVE_REFUSED'; reason: SteveRefusalReason; detail?: string };

export type OperationKind = OperationResult['kind'];

export type SteveRefusalReason =
  /** The idTag is unknown, blocked, expired or at its concurrent-transaction limit. */
  'TAG_NOT_ELIGIBLE' | 'TRANSACTION_NOT_ACTIVE' | 'RESERVATION_NOT_ACTIVE' | 'INVALID_REQUEST';

export interface RemoteStartCommand {
  chargeBoxId: string;
  /** Absent or 0 = let the station pick. */
  connectorId?: number;
  idTag: string;
}

export interface RemoteStopCommand {
  chargeBoxId: string;
  transactionPk: number;
}

export interface ReserveNowCommand {
  chargeBoxId: string;
  /** 0 = any connector (station must support it). */
  connectorId: number;
  idTag: string;
  expiry: Date;
}

export interface CancelReservationCommand {
  chargeBoxId: string;
  reservationId: number;
}

export interface CreateTagCommand {
  idTag: string;
  parentIdTag?: string | null;
  expiryDate?: Date | null;
  /** Default 1; 0 creates it blocked. */
  maxActiveTransactionCount?: number;
  note?: string | null;
}

/** OCPP 1.6 Reset type. */
export type ResetKind = 'Soft' | 'Hard';

/** What TriggerMessage may ask a station to send. */
export type TriggerMessageName = 'BootNotification' | 'Heartbeat' | 'MeterValues' | 'StatusNotification';

export interface ResetCommand {
  chargeBoxId: string;
  type: ResetKind;
}

export interface UnlockConnectorCommand {
  chargeBoxId: string;
  /** ≥ 1. */
  connectorId: number;
}

export interface ChangeAvailabilityCommand {
  chargeBoxId: string;
  /** 0 = the whole station. */
  connectorId: number;
  available: boolean;
}

export interface TriggerMessageCommand {
  chargeBoxId: string;
  message: TriggerMessageName;
  /** ≥ 1, or absent for the station as a whole. */
  connectorId?: number;
}

export interface ChangeConfigurationCommand {
  chargeBoxId: string;
  key: string;
  value: string;
}

export interface SetChargingProfileCommand {
  chargeBoxId: string;
  /** SteVe `charging_profile.charging_profile_pk`. */
  chargingProfilePk: number;
  /** 0 = the whole station. */
  connectorId: number;
  /** Apply to this running transaction (the profile must be a TxProfile). */
  transactionPk?: number;
}

export interface ClearChargingProfileCommand {
  chargeBoxId: string;
  chargingProfilePk: number;
}

export interface ConfigurationKey {
  key: string;
  value: string | null;
  readonly: boolean;
}

export interface ConfigurationResult {
  keys: ConfigurationKey[];
  /** Keys asked for that the station does not know. */
  unknownKeys: string[];
}

/** A charging profile stored in SteVe (`charging_profile` table). */
export interface SteveChargingProfile {
  pk: number;
  description: string | null;
  stackLevel: number;
  /** `ChargePointMaxProfile` | `TxDefaultProfile` | `TxProfile`. */
  purpose: string;
  /** `Absolute` | `Recurring` | `Relative`. */
  kind: string;
  /** `W` | `A`. */
  chargingRateUnit: string;
  periods: Array<{ startPeriodSeconds: number; limit: number; numberPhases: number | null }>;
}

export interface CompositeSchedule {
  connectorId: number;
  scheduleStart: Date | null;
  durationSeconds: number | null;
  chargingRateUnit: string;
  periods: Array<{ startPeriodSeconds: number; limit: number; numberPhases: number | null }>;
}

/**
 * A read-style operation's answer: the data when the station answered, otherwise the same
 * non-success outcomes as a command (`result.kind` ≠ ACCEPTED).
 */
export type OperationData<T> =
  { kind: 'DATA'; data: T; taskId: number } | { kind: 'FAILED'; result: OperationResult };

export interface SteveHealth {
  ok: boolean;
  /** e.g. `simulator`, `real`. */
  mode: 'simulator' | 'real';
  /** Flyway version of the SteVe database, when read. */
  schemaVersion: string | null;
  problems: string[];
}

/** One start-up check of a real SteVe (see RealSteveAdapter.checkSetup). */
export interface SteveSetupCheck {
  /** `api`: REST credentials; `database`: connecting; `grants`: SELECT on every table read; `schema`: Flyway version. */
  check: 'api' | 'database' | 'grants' | 'schema';
  ok: boolean;
  /** For people; names the fix (never a secret). */
  message: string;
}

export interface SteveSetupReport {
  ok: boolean;
  checks: SteveSetupCheck[];
  schemaVersion: string | null;
}

// ---------------------------------------------------------------------------------------------
// Change capture

/**
 * One row change seen in SteVe's database, reduced to the keys Polaris re-reads it by (so the
 * mapping from SteVe rows to DTOs stays in one place, the reads above). Tables are SteVe's own:
 * `evse` is what SteVe ≥ 3.12 (schema 1.1.4) calls the former `connector` table.
 */
export type SteveChange =
  | { table: 'charge_box'; chargePointPk: number; deleted: boolean }
  | { table: 'evse'; evsePk: number; chargeBoxId: string | null; deleted: boolean }
  | { table: 'connector_status'; evsePk: number }
  | { table: 'transaction_start' | 'transaction_stop'; transactionPk: number; deleted: boolean }
  | { table: 'connector_meter_value'; evsePk: number; transactionPk: number | null }
  | { table: 'ocpp_tag'; tagPk: number; deleted: boolean }
  | { table: 'reservation'; reservationPk: number; deleted: boolean };

/** The tables change capture follows. */
export const STEVE_CHANGE_TABLES = [
  'charge_box',
  'evse',
  'connector_status',
  'transaction_start',
  'transaction_stop',
  'connector_meter_value',
  'ocpp_tag',
  'reservation',
] as const;
export type SteveChangeTable = (typeof STEVE_CHANGE_TABLES)[number];

/**
 * Where a change stream stands: after the last change of a committed SteVe transaction. `gtid` is
 * the server's GTID position when it has one (MariaDB always; MySQL with gtid_mode=ON); `file` and
 * `offset` the binlog coordinates (the simulator uses a sequence number as `offset`).
 */
export interface SteveChangePosition {
  gtid: string | null;
  file: string | null;
  offset: number | null;
}

/** The changes of one committed SteVe transaction (or several, coalesced), in commit order. */
export interface SteveChangeBatch {
  changes: SteveChange[];
  /** Resume point after this batch: store it with what the batch changed. */
  position: SteveChangePosition;
  /** SteVe's commit time (binlog event timestamp, second precision on MariaDB). */
  committedAt: Date;
  /** When the batch arrived here. */
  receivedAt: Date;
}

/** Why a stream stopped or cannot start; `reconcile` = changes may have been missed. */
export interface SteveChangeStreamError {
  kind: 'UNAVAILABLE' | 'POSITION_LOST' | 'SCHEMA_CHANGED' | 'CONNECTION_LOST';
  message: string;
}

export interface WatchChangesOptions {
  /** Resume after this position; null = from the server's current end. */
  from: SteveChangePosition | null;
  /** Replication client id (unique among the source's replicas). */
  serverId: number;
  /**
   * Called for each batch, one at a time in commit order; the stream waits for it (back-pressure).
   * A rejection ends the stream with `onEnd(CONNECTION_LOST)`.
   */
  onBatch(batch: SteveChangeBatch): Promise<void>;
  /** The stream ended without `stop()`: reconnect (after reconciling) is up to the caller. */
  onEnd(error: SteveChangeStreamError): void;
}

export interface SteveChangeStream {
  /** Position of the stream's start (the server's end when `from` was null). */
  readonly startedAt: SteveChangePosition;
  stop(): Promise<void>;
}

/** Whether the source can stream changes, and if not exactly which setting or grant is missing. */
export interface SteveChangeCaptureSupport {
  ok: boolean;
  problems: string[];
  /** The server's current end (where a stream started now would begin), when readable. */
  position: SteveChangePosition | null;
}

// ---------------------------------------------------------------------------------------------
// The port

export interface StevePort {
  // reads ---------------------------------------------------------------------------------------
  /** Charge points by pk (a full scan is cheap; diff the pk set to detect deletions). */
  listChargePoints(query?: PkPageQuery): Promise<Page<SteveChargePoint, number>>;
  /** Latest status of each connector (including connector 0 rows), paged by evse pk. */
  listConnectorStatuses(
    query?: PkPageQuery & { chargeBoxIds?: string[] },
  ): Promise<Page<SteveConnectorStatus, number>>;
  /** Tags ordered by (updatedAt, pk). */
  listTags(query?: TimePageQuery): Promise<Page<SteveTag, TimeCursor>>;
  /** Current state of the given tags (unknown pks are simply absent), ascending by pk. */
  getTags(pks: number[]): Promise<SteveTag[]>;
  /** Every tag pk, ascending: SteVe hard-deletes tags, so deletions show only in a key diff. */
  listTagPks(query?: PkPageQuery): Promise<Page<number, number>>;
  /** Transactions by pk ascending (new starts); `activeOnly` keeps those without a stop. */
  listTransactions(query?: PkPageQuery & { activeOnly?: boolean }): Promise<Page<SteveTransaction, number>>;
  /**
   * Transactions whose stop was recorded at or after the cursor, ordered by (stop event time, pk).
   * `minTransactionPk` limits the read to transactions from that pk on (a primary-key range in
   * SteVe's database, which has no index on the stop time).
   */
  listStoppedTransactions(query: StoppedTransactionsQuery): Promise<Page<SteveTransaction, TimeCursor>>;
  /** Current state of the given transactions (unknown pks are simply absent). */
  getTransactions(pks: number[]): Promise<SteveTransaction[]>;
  /**
   * Meter samples of the given transactions (up to 1 000 pks per call), ordered by
   * (transactionPk, at). `since` keeps only samples taken strictly after that instant.
   */
  listMeterValues(query: {
    transactionPks: number[];
    after?: MeterSampleCursor | null;
    since?: Date | null;
    limit?: number;
  }): Promise<Page<SteveMeterSample, MeterSampleCursor | null>>;
  /** Reservations ordered by (updatedAt, pk). */
  listReservations(query?: TimePageQuery): Promise<Page<SteveReservation, TimeCursor>>;
  /** Current state of the given reservations (hard-deleted ones are simply absent). */
  getReservations(pks: number[]): Promise<SteveReservation[]>;

  // commands ------------------------------------------------------------------------------------
  remoteStart(command: RemoteStartCommand): Promise<OperationResult>;
  remoteStop(command: RemoteStopCommand): Promise<OperationResult>;
  /** ACCEPTED carries `reservationId` when it could be determined. */
  reserveNow(command: ReserveNowCommand): Promise<OperationResult>;
  cancelReservation(command: CancelReservationCommand): Promise<OperationResult>;

  // operator commands (modules/commands) ----------------------------------------------------------
  /** ACCEPTED / REJECTED with the station's ResetStatus. */
  reset(command: ResetCommand): Promise<OperationResult>;
  /** ACCEPTED when `Unlocked`; REJECTED with `UnlockFailed` / `NotSupported`. */
  unlockConnector(command: UnlockConnectorCommand): Promise<OperationResult>;
  /** ACCEPTED when `Accepted` or `Scheduled` (status says which); REJECTED with `Rejected`. */
  changeAvailability(command: ChangeAvailabilityCommand): Promise<OperationResult>;
  /** ACCEPTED / REJECTED (`Rejected`, `NotImplemented`). */
  triggerMessage(command: TriggerMessageCommand): Promise<OperationResult>;
  /** GetConfiguration of every key the station reports. */
  getConfiguration(chargeBoxId: string): Promise<OperationData<ConfigurationResult>>;
  /** ACCEPTED for `Accepted` / `RebootRequired`; REJECTED for `Rejected` / `NotSupported`. */
  changeConfiguration(command: ChangeConfigurationCommand): Promise<OperationResult>;
  /** Profiles stored in SteVe that can be sent with SetChargingProfile. */
  listChargingProfiles(): Promise<SteveChargingProfile[]>;
  setChargingProfile(command: SetChargingProfileCommand): Promise<OperationResult>;
  /** ACCEPTED for `Accepted`; REJECTED for `Unknown`. */
  clearChargingProfile(command: ClearChargingProfileCommand): Promise<OperationResult>;
  getCompositeSchedule(query: {
    chargeBoxId: string;
    connectorId: number;
    durationSeconds: number;
  }): Promise<OperationData<CompositeSchedule | null>>;

  /** Throws SteveError CONFLICT if the idTag exists (SteVe compares case-insensitively). */
  createTag(command: CreateTagCommand): Promise<SteveTag>;
  /** maxActiveTransactionCount := 0, other fields kept. Throws NOT_FOUND for an unknown idTag. */
  blockTag(idTag: string): Promise<SteveTag>;
  /** maxActiveTransactionCount := given value (default 1); a past expiry is cleared. */
  unblockTag(idTag: string, options?: { maxActiveTransactionCount?: number }): Promise<SteveTag>;
  /** expiryDate := now, other fields kept. */
  expireTag(idTag: string): Promise<SteveTag>;

  // change capture ------------------------------------------------------------------------------
  /** Whether `watchChanges` can work against this source (settings, grants), and its current end. */
  changeCaptureSupport(): Promise<SteveChangeCaptureSupport>;
  /**
   * Streams committed row changes of the tables in STEVE_CHANGE_TABLES from `from` on. Rejects with
   * SteveError when the stream cannot start (see `changeCaptureSupport` for why).
   */
  watchChanges(options: WatchChangesOptions): Promise<SteveChangeStream>;

  // lifecycle -----------------------------------------------------------------------------------
  health(): Promise<SteveHealth>;
  /** Start-up checks of a real SteVe's credentials, reachability, grants and schema (stand-ins: absent). */
  checkSetup?(): Promise<SteveSetupReport>;
  close(): Promise<void>;
}

/** Clamps a requested page size into [1, MAX_PAGE_SIZE]. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)));
}

/** Wraps a page of items, deriving its end cursor from the last item. */
export function toPage<T, C>(items: T[], limit: number, start: C, cursorOf: (item: T) => C): Page<T, C> {
  const last = items.at(-1);
  return { items, cursor: last === undefined ? start : cursorOf(last), hasMore: items.length >= limit };
}

/** Compares two (ms, pk) keyset positions. */
export function compareTimeCursor(a: TimeCursor, b: TimeCursor): number {
  return a.at.getTime() - b.at.getTime() || a.pk - b.pk;
}
