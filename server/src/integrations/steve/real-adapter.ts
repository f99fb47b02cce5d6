import { SteveBinlogReader } from './binlog-reader.ts';
import { SteveDbReader } from './db-reader.ts';
import { SteveError } from './errors.ts';
import type {
  CancelReservationCommand,
  ChangeAvailabilityCommand,
  ChangeConfigurationCommand,
  ClearChargingProfileCommand,
  CompositeSchedule,
  ConfigurationResult,
  OperationData,
  ResetCommand,
  SetChargingProfileCommand,
  SteveChargingProfile,
  TriggerMessageCommand,
  UnlockConnectorCommand,
  CreateTagCommand,
  MeterSampleCursor,
  OperationResult,
  Page,
  PkPageQuery,
  RemoteStartCommand,
  RemoteStopCommand,
  ReserveNowCommand,
  SteveChargePoint,
  SteveConnectorStatus,
  SteveChangeCaptureSupport,
  SteveChangeStream,
  SteveHealth,
  SteveMeterSample,
  SteveSetupCheck,
  SteveSetupReport,
  StevePort,
  SteveReservation,
  SteveTag,
  SteveTransaction,
  TimeCursor,
  StoppedTransactionsQuery,
  TimePageQuery,
  WatchChangesOptions,
} from './port.ts';
import { SteveRestClient, tagFromRest, type SteveLogger, type SteveTimeouts } from './rest-client.ts';
import type { OcppTagOverview } from './rest-schemas.ts';

export interface RealSteveAdapterOptions {
  /** SteVe root incl. context path, e.g. `http://steve:8180/steve`. */
  baseUrl: string;
  /** A web_user with an api_password. */
  username: string;
  password: string;
  /** Read-only MySQL/MariaDB URL of SteVe's database. */
  dbUrl: string;
  timeouts?: Partial<SteveTimeouts>;
  logger?: SteveLogger;
}

/**
 * The port against a real SteVe: OCPP commands and tag writes through the REST API (so SteVe's own
 * checks and side effects apply), every read from the database (the REST API has no charge points,
 * statuses, reservations, paging or change timestamps).
 */
export class RealSteveAdapter implements StevePort {
  readonly rest: SteveRestClient;
  readonly db: SteveDbReader;
  readonly binlog: SteveBinlogReader;
  readonly #logger: SteveLogger | undefined;
  readonly #username: string;

  constructor(options: RealSteveAdapterOptions) {
    this.rest = new SteveRestClient(options);
    this.db = new SteveDbReader({ dbUrl: options.dbUrl, logger: options.logger });
    this.binlog = new SteveBinlogReader({ dbUrl: options.dbUrl, logger: options.logger });
    this.#logger = options.logger;
    this.#username = options.username;
  }

  // reads -------------------------------------------------------------------------------------

  listChargePoints(query?: PkPageQuery): Promise<Page<SteveChargePoint, number>> {
    return this.db.listChargePoints(query);
  }

  listConnectorStatuses(
    query?: PkPageQuery & { chargeBoxIds?: string[] },
  ): Promise<Page<SteveConnectorStatus, number>> {
    return this.db.listConnectorStatuses(query);
  }

  listTags(query?: TimePageQuery): Promise<Page<SteveTag, TimeCursor>> {
    return this.db.listTags(query);
  }

  getTags(pks: number[]): Promise<SteveTag[]> {
    return this.db.getTags(pks);
  }

  listTagPks(query?: PkPageQuery): Promise<Page<number, number>> {
    return this.db.listTagPks(query);
  }

  listTransactions(query?: PkPageQuery & { activeOnly?: boolean }): Promise<Page<SteveTransaction, number>> {
    return this.db.listTransactions(query);
  }

  listStoppedTransactions(query: StoppedTransactionsQuery): Promise<Page<SteveTransaction, TimeCursor>> {
    return this.db.listStoppedTransactions(query);
  }

  getTransactions(pks: number[]): Promise<SteveTransaction[]> {
    return this.db.getTransactions(pks);
  }

  listMeterValues(query: {
    transactionPks: number[];
    after?: MeterSampleCursor | null;
    since?: Date | null;
    limit?: number;
  }): Promise<Page<SteveMeterSample, MeterSampleCursor | null>> {
    return this.db.listMeterValues(query);
  }

  listReservations(query?: TimePageQuery): Promise<Page<SteveReservation, TimeCursor>> {
    return this.db.listReservations(query);
  }

  getReservations(pks: number[]): Promise<SteveReservation[]> {
    return this.db.getReservations(pks);
  }

  // commands ----------------------------------------------------------------------------------

  remoteStart(command: RemoteStartCommand): Promise<OperationResult> {
    return this.rest.remoteStart(command.chargeBoxId, command.idTag, command.connectorId);
  }

  remoteStop(command: RemoteStopCommand): Promise<OperationResult> {
    return this.rest.remoteStop(command.chargeBoxId, command.transactionPk);
  }

  async reserveNow(command: ReserveNowCommand): Promise<OperationResult> {
    const result = await this.rest.reserveNow(
      command.chargeBoxId,
      command.connectorId,
      command.idTag,
      command.expiry,
    );
    if (result.kind !== 'ACCEPTED') return result;
    // SteVe's envelope has no reservation id; it inserted the row before sending, so look it up.
    try {
      const reservation = await this.db.findLatestReservation(
        command.chargeBoxId,
        command.connectorId,
        command.idTag,
      );
      return reservation ? { ...result, reservationId: reservation.pk } : result;
    } catch (error) {
      this.#logger?.warn({ err: String(error) }, 'Reservation accepted but its id could not be read back');
      return result;
    }
  }

  cancelReservation(command: CancelReservationCommand): Promise<OperationResult> {
    return this.rest.cancelReservation(command.chargeBoxId, command.reservationId);
  }

  reset(command: ResetCommand): Promise<OperationResult> {
    return this.rest.reset(command);
  }

  unlockConnector(command: UnlockConnectorCommand): Promise<OperationResult> {
    return this.rest.unlockConnector(command);
  }

  changeAvailability(command: ChangeAvailabilityCommand): Promise<OperationResult> {
    return this.rest.changeAvailability(command);
  }

  triggerMessage(command: TriggerMessageCommand): Promise<OperationResult> {
    return this.rest.triggerMessage(command);
  }

  getConfiguration(chargeBoxId: string): Promise<OperationData<ConfigurationResult>> {
    return this.rest.getConfiguration(chargeBoxId);
  }

  changeConfiguration(command: ChangeConfigurationCommand): Promise<OperationResult> {
    return this.rest.changeConfiguration(command);
  }

  /** The REST API has no charging-profile resource: they are read from SteVe's database. */
  listChargingProfiles(): Promise<SteveChargingProfile[]> {
    return this.db.listChargingProfiles();
  }

  setChargingProfile(command: SetChargingProfileCommand): Promise<OperationResult> {
    return this.rest.setChargingProfile(command);
  }

  clearChargingProfile(command: ClearChargingProfileCommand): Promise<OperationResult> {
    return this.rest.clearChargingProfile(command);
  }

  getCompositeSchedule(query: {
    chargeBoxId: string;
    connectorId: number;
    durationSeconds: number;
  }): Promise<OperationData<CompositeSchedule | null>> {
    return this.rest.getCompositeSchedule(query);
  }

  async createTag(command: CreateTagCommand): Promise<SteveTag> {
    return tagFromRest(await this.rest.createOcppTag(command));
  }

  async blockTag(idTag: string): Promise<SteveTag> {
    const tag = await this.rest.findOcppTag(idTag);
    return tagFromRest(await this.rest.replaceOcppTag(tag.ocppTagPk, keepFields(tag, 0)));
  }

  async unblockTag(idTag: string, options: { maxActiveTransactionCount?: number } = {}): Promise<SteveTag> {
    const max = options.maxActiveTransactionCount ?? 1;
    if (max === 0)
      throw new SteveError('BAD_REQUEST', 'unblockTag needs a maxActiveTransactionCount other than 0', {
        source: 'rest',
      });
    const tag = await this.rest.findOcppTag(idTag);
    return tagFromRest(await this.rest.replaceOcppTag(tag.ocppTagPk, keepFields(tag, max)));
  }

  async expireTag(idTag: string): Promise<SteveTag> {
    const tag = await this.rest.findOcppTag(idTag);
    return tagFromRest(await this.rest.expireOcppTag(tag.ocppTagPk));
  }

  // change capture ----------------------------------------------------------------------------

  changeCaptureSupport(): Promise<SteveChangeCaptureSupport> {
    return this.binlog.support();
  }

  async watchChanges(options: WatchChangesOptions): Promise<SteveChangeStream> {
    // The reads the changes are resolved by need a supported schema: check it before streaming.
    await this.db.schemaVersion();
    return this.binlog.watch(options);
  }

  // lifecycle ---------------------------------------------------------------------------------

  async health(): Promise<SteveHealth> {
    const problems: string[] = [];
    let schemaVersion: string | null = null;
    try {
      schemaVersion = await this.db.schemaVersion();
    } catch (error) {
      problems.push(`database: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      // Cheapest authenticated call that exercises the API credentials.
      await this.rest.listOcppTags({ ocppTagPk: 0 });
    } catch (error) {
      problems.push(`REST API: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { ok: problems.length === 0, mode: 'real', schemaVersion, problems };
  }

  /**
   * What start-up shows in Health and the log: the REST API accepts the credentials, the database
   * accepts its account, that account may SELECT every table the reader reads, and the schema is a
   * supported Flyway version. Never throws; each failure is a check with a message.
   */
  async checkSetup(): Promise<SteveSetupReport> {
    const checks: SteveSetupCheck[] = [];
    const user = this.#username;
    try {
      await this.rest.listOcppTags({ ocppTagPk: 0 });
      checks.push({ check: 'api', ok: true, message: `SteVe REST API accepts user "${user}"` });
    } catch (error) {
      const auth = error instanceof SteveError && error.code === 'AUTH';
      checks.push({
        check: 'api',
        ok: false,
        message: auth
          ? `SteVe REST API refused user "${user}": check STEVE_API_USER / STEVE_API_PASSWORD (the web user needs an API password) (${messageOf(error)})`
          : `SteVe REST API not usable: ${messageOf(error)}`,
      });
    }
    let schemaVersion: string | null = null;
    let denied: string[];
    try {
      denied = await this.db.deniedTables();
      checks.push({ check: 'database', ok: true, message: 'SteVe database accepts the account' });
    } catch (error) {
      checks.push({
        check: 'database',
        ok: false,
        message:
          error instanceof SteveError && error.code === 'AUTH'
            ? `SteVe database refused the account in STEVE_DB_URL: ${messageOf(error)}`
            : `SteVe database not usable: ${messageOf(error)}`,
      });
      return { ok: false, checks, schemaVersion };
    }
    checks.push(
      denied.length === 0
        ? { check: 'grants', ok: true, message: 'SteVe database account may read every table Polaris reads' }
        : {
            check: 'grants',
            ok: false,
            message: `SteVe database account lacks SELECT on ${denied.join(', ')}: GRANT SELECT ON <steve database>.* to it`,
          },
    );
    try {
      schemaVersion = await this.db.schemaVersion();
      checks.push({ check: 'schema', ok: true, message: `SteVe schema version ${schemaVersion}` });
    } catch (error) {
      checks.push({ check: 'schema', ok: false, message: messageOf(error) });
    }
    return { ok: checks.every((c) => c.ok), checks, schemaVersion };
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * PUT is a full replace, so every field is sent back. A past expiry cannot be sent (SteVe requires
 * a future one) and is cleared: blocked-without-expiry is just as unusable, and unblock reactivates.
 */
function keepFields(tag: OcppTagOverview, maxActiveTransactionCount: number) {
  const expiry = tag.expiryDate && tag.expiryDate.getTime() > Date.now() ? tag.expiryDate : null;
  return {
    idTag: tag.idTag,
    parentIdTag: tag.parentIdTag ?? null,
    expiryDate: expiry,
    maxActiveTransactionCount,
    note: tag.note ?? null,
  };
}
