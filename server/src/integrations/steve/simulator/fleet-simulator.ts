import { SteveError } from '../errors.ts';
import type {
  CancelReservationCommand,
  ChangeAvailabilityCommand,
  ChangeConfigurationCommand,
  ClearChargingProfileCommand,
  CompositeSchedule,
  ConfigurationResult,
  CreateTagCommand,
  OperationData,
  ResetCommand,
  SetChargingProfileCommand,
  SteveChargingProfile,
  TriggerMessageCommand,
  UnlockConnectorCommand,
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
  StevePort,
  SteveReservation,
  SteveTag,
  SteveTransaction,
  StoppedTransactionsQuery,
  TimeCursor,
  TimePageQuery,
  WatchChangesOptions,
} from '../port.ts';
import * as behaviours from './behaviours/index.ts';
import { addChargePoint, deleteChargePoint, roleFor, scheduleChurn } from './model/fleet.ts';
import { deleteTag, findTag, insertTag } from './model/tags.ts';
import { HOUR, MINUTE, type SimChargerRole, type SimSettings } from './model/types.ts';
import * as reads from './reads.ts';
import { SimWorld, type WorldSnapshot } from './world.ts';

/**
 * The embedded fleet: a discrete-event simulation of stations as SteVe would record them. Time is
 * lazy — every call first replays all scheduled events up to `now()` — so tests jump time freely.
 * Same seed + same clock readings + same calls ⇒ same state.
 *
 * This class is the port facade only: the world's data is in world.ts and model/, what stations do
 * in behaviours/ (one file per behaviour), the reads in reads.ts.
 */

export interface FleetSimulatorOptions {
  /** PRNG seed (default 1). */
  seed?: number;
  /** Number of charge points at the start (default 12). */
  size?: number;
  /** Clock the simulation follows lazily (default: the real clock). */
  now?: () => Date;
  /** Simulated time of construction (default `now()`). */
  start?: Date;
  /** History simulated before `start`, so the fleet has sessions from the first read (default 3 h). */
  warmupMs?: number;
  /** How long a never-answering station keeps a command waiting, in real ms (SteVe: 30 s). */
  operationWaitMs?: number;
  /** Random sessions by other drivers (default true). */
  backgroundActivity?: boolean;
  /** Charge points deleted and added over time (default true). */
  fleetChurn?: boolean;
  /** Chargers dropping offline and coming back (default true). */
  outages?: boolean;
  /** Share of accepted remote starts where the EV never starts (default 0.05). */
  remoteStartNoShowRate?: number;
  heartbeatIntervalMs?: number;
  meterIntervalMs?: number;
  /** Connectors now and then report Faulted with an OCPP error code (default false; the app turns it on). */
  connectorFaults?: boolean;
  /** Continue a saved world (see `snapshot()`) instead of building a new fleet; seed/size/start are then ignored. */
  restore?: WorldSnapshot;
}

export interface SimulatorFault {
  /** Every call throws SteveError UNREACHABLE. */
  unreachable?: boolean;
  /** Every call takes this long (real ms) first. */
  slowMs?: number;
  /** Every call throws SteveError BAD_RESPONSE, as if SteVe answered garbage. */
  garbage?: boolean;
}

export class FleetSimulator implements StevePort {
  readonly #now: () => Date;
  readonly #world: SimWorld;
  readonly #changeListeners = new Set<() => void | Promise<void>>();
  #fault: SimulatorFault = {};

  constructor(options: FleetSimulatorOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    const settings: SimSettings = {
      size: Math.max(1, Math.floor(options.size ?? 12)),
      operationWaitMs: options.operationWaitMs ?? 30_000,
      backgroundActivity: options.backgroundActivity ?? true,
      fleetChurn: options.fleetChurn ?? true,
      outages: options.outages ?? true,
      noShowRate: options.remoteStartNoShowRate ?? 0.05,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? MINUTE,
      meterIntervalMs: options.meterIntervalMs ?? MINUTE,
      connectorFaults: options.connectorFaults ?? false,
    };
    if (options.restore) {
      this.#world = new SimWorld(settings, { snapshot: options.restore });
      this.#advance(this.#now().getTime());
      return;
    }
    const start = (options.start ?? this.#now()).getTime();
    const clock = start - Math.max(0, Math.round(options.warmupMs ?? 3 * HOUR));
    // Transaction, tag and reservation keys grow with the simulation's start time, like SteVe's
    // AUTO_INCREMENT across restarts: a new simulator never reuses a key the database already holds
    // from an earlier run. Charge point keys stay small: the fleet's chargeBoxIds derive from them.
    const world = new SimWorld(settings, { seed: options.seed ?? 1, clock, pkBase: simulatorPkBase(clock) });
    this.#world = world;
    for (let i = 0; i < 16; i++) {
      const tag = insertTag(world, { idTag: `DRV${world.hex(6)}`, note: 'Simulated driver' });
      world.driverTags.push(tag.idTag);
    }
    for (let i = 0; i < settings.size; i++) addChargePoint(world, roleFor(i));
    if (settings.fleetChurn) scheduleChurn(world);
    if (settings.connectorFaults) behaviours.scheduleConnectorFault(world);
    this.#advance(start);
  }

  // simulation controls -----------------------------------------------------------------------

  /** Simulated time reached so far. */
  get clock(): Date {
    return new Date(this.#world.clock);
  }

  /** Replays every event up to `date` (no-op for a date in the past). */
  advanceTo(date: Date): void {
    this.#advance(date.getTime());
  }

  setFault(fault: SimulatorFault): void {
    this.#fault = { ...fault };
  }

  /** The whole simulated world as JSON-safe data; `new FleetSimulator({ restore })` continues it. */
  snapshot(): WorldSnapshot {
    this.#advance(this.#now().getTime());
    return this.#world.snapshot();
  }

  /**
   * Called after every change from outside the simulation (a command, a control): what the world
   * does by itself follows from the saved state, so saving after these is enough to lose nothing.
   * Returns a function that removes the listener.
   */
  onExternalChange(listener: () => void | Promise<void>): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** The special chargers currently in the fleet, for tests and demos. */
  get roles(): { refusesRemoteStart: string | null; neverAnswers: string | null; flaky: string[] } {
    const byRole = (role: SimChargerRole) =>
      [...this.#world.chargePoints.values()].filter((cp) => cp.role === role);
    return {
      refusesRemoteStart: byRole('refuses-remote-start')[0]?.chargeBoxId ?? null,
      neverAnswers: byRole('never-answers')[0]?.chargeBoxId ?? null,
      flaky: byRole('flaky').map((cp) => cp.chargeBoxId),
    };
  }

  /** Ordinary chargers (no special role), for tests that need a well-behaved one. */
  get normalChargers(): string[] {
    return [...this.#world.chargePoints.values()]
      .filter((cp) => cp.role === 'normal')
      .map((cp) => cp.chargeBoxId);
  }

  /** Deletes a charge point now, with its whole history (SteVe cascades the same way). */
  deleteChargePoint(chargeBoxId: string): boolean {
    return this.#control(() => {
      const cp = this.#world.findChargePoint(chargeBoxId);
      if (!cp) return false;
      deleteChargePoint(this.#world, cp);
      return true;
    });
  }

  /**
   * Hard-deletes a tag now, as SteVe's `DELETE /ocppTags/{pk}` does: every transaction made with it and
   * its reservations go too (SteVe cascades the same way). Returns false for an unknown idTag.
   */
  deleteTag(idTag: string): boolean {
    return this.#control(() => {
      const tag = findTag(this.#world, idTag);
      if (!tag) return false;
      deleteTag(this.#world, tag);
      return true;
    });
  }

  /** Hard-deletes a reservation now (SteVe deletes reservations a station refused or answered late). */
  deleteReservation(reservationPk: number): boolean {
    return this.#control(() => this.#world.reservations.delete(reservationPk));
  }

  /** Puts a connector into Faulted now with an OCPP error code (tests and demos); false if unknown. */
  faultConnector(chargeBoxId: string, connectorId: number, errorCode = 'GroundFailure'): boolean {
    return this.#control(() => behaviours.faultConnector(this.#world, chargeBoxId, connectorId, errorCode));
  }

  /** Registers a new charge point now (it connects immediately); returns its chargeBoxId. */
  addChargePoint(): string {
    return this.#control(() => addChargePoint(this.#world, 'normal').chargeBoxId);
  }

  // port: reads -------------------------------------------------------------------------------

  async listChargePoints(query: PkPageQuery = {}): Promise<Page<SteveChargePoint, number>> {
    await this.#enter();
    return reads.listChargePoints(this.#world, query);
  }

  async listConnectorStatuses(
    query: PkPageQuery & { chargeBoxIds?: string[] } = {},
  ): Promise<Page<SteveConnectorStatus, number>> {
    await this.#enter();
    return reads.listConnectorStatuses(this.#world, query);
  }

  async listTags(query: TimePageQuery = {}): Promise<Page<SteveTag, TimeCursor>> {
    await this.#enter();
    return reads.listTags(this.#world, query);
  }

  async getTags(pks: number[]): Promise<SteveTag[]> {
    await this.#enter();
    return reads.getTags(this.#world, pks);
  }

  async listTagPks(query: PkPageQuery = {}): Promise<Page<number, number>> {
    await this.#enter();
    return reads.listTagPks(this.#world, query);
  }

  async listTransactions(
    query: PkPageQuery & { activeOnly?: boolean } = {},
  ): Promise<Page<SteveTransaction, number>> {
    await this.#enter();
    return reads.listTransactions(this.#world, query);
  }

  async listStoppedTransactions(
    query: StoppedTransactionsQuery,
  ): Promise<Page<SteveTransaction, TimeCursor>> {
    await this.#enter();
    return reads.listStoppedTransactions(this.#world, query);
  }

  async getTransactions(pks: number[]): Promise<SteveTransaction[]> {
    await this.#enter();
    return reads.getTransactions(this.#world, pks);
  }

  async listMeterValues(query: {
    transactionPks: number[];
    after?: MeterSampleCursor | null;
    since?: Date | null;
    limit?: number;
  }): Promise<Page<SteveMeterSample, MeterSampleCursor | null>> {
    await this.#enter();
    return reads.listMeterValues(this.#world, query);
  }

  async listReservations(query: TimePageQuery = {}): Promise<Page<SteveReservation, TimeCursor>> {
    await this.#enter();
    return reads.listReservations(this.#world, query);
  }

  async getReservations(pks: number[]): Promise<SteveReservation[]> {
    await this.#enter();
    return reads.getReservations(this.#world, pks);
  }

  // port: commands (each one a behaviour in behaviours/) --------------------------------------

  remoteStart(command: RemoteStartCommand): Promise<OperationResult> {
    return this.#operation((world) => behaviours.remoteStart(world, command));
  }

  remoteStop(command: RemoteStopCommand): Promise<OperationResult> {
    return this.#operation((world) => behaviours.remoteStop(world, command));
  }

  reserveNow(command: ReserveNowCommand): Promise<OperationResult> {
    return this.#operation((world) => behaviours.reserveNow(world, command));
  }

  cancelReservation(command: CancelReservationCommand): Promise<OperationResult> {
    return this.#operation((world) => behaviours.cancelReservation(world, command));
  }

  reset(command: ResetCommand): Promise<OperationResult> {
    return this.#operation((world) => behaviours.reset(world, command));
  }

  unlockConnector(command: UnlockConnectorCommand): Promise<OperationResult> {
    return this.#operation((world) => behaviours.unlockConnector(world, command));
  }

  changeAvailability(command: ChangeAvailabilityCommand): Promise<OperationResult> {
    return this.#operation((world) => behaviours.changeAvailability(world, command));
  }

  triggerMessage(command: TriggerMessageCommand): Promise<OperationResult> {
    return this.#operation((world) => behaviours.triggerMessage(world, command));
  }

  getConfiguration(chargeBoxId: string): Promise<OperationData<ConfigurationResult>> {
    return this.#dataOperation((world) => behaviours.getConfiguration(world, chargeBoxId));
  }

  changeConfiguration(command: ChangeConfigurationCommand): Promise<OperationResult> {
    return this.#operation((world) => behaviours.changeConfiguration(world, command));
  }

  async listChargingProfiles(): Promise<SteveChargingProfile[]> {
    await this.#enter();
    return behaviours.listChargingProfiles();
  }

  setChargingProfile(command: SetChargingProfileCommand): Promise<OperationResult> {
    return this.#operation((world) => behaviours.setChargingProfile(world, command));
  }

  clearChargingProfile(command: ClearChargingProfileCommand): Promise<OperationResult> {
    return this.#operation((world) => behaviours.clearChargingProfile(world, command));
  }

  getCompositeSchedule(query: {
    chargeBoxId: string;
    connectorId: number;
    durationSeconds: number;
  }): Promise<OperationData<CompositeSchedule | null>> {
    return this.#dataOperation((world) => behaviours.getCompositeSchedule(world, query));
  }

  createTag(command: CreateTagCommand): Promise<SteveTag> {
    return this.#command((world) => behaviours.createTag(world, command));
  }

  blockTag(idTag: string): Promise<SteveTag> {
    return this.#command((world) => behaviours.blockTag(world, idTag));
  }

  unblockTag(idTag: string, options: { maxActiveTransactionCount?: number } = {}): Promise<SteveTag> {
    return this.#command((world) => behaviours.unblockTag(world, idTag, options));
  }

  expireTag(idTag: string): Promise<SteveTag> {
    return this.#command((world) => behaviours.expireTag(world, idTag));
  }

  async changeCaptureSupport(): Promise<SteveChangeCaptureSupport> {
    return { ok: false, problems: ['the fleet simulator has no binary log'], position: null };
  }

  watchChanges(_options: WatchChangesOptions): Promise<SteveChangeStream> {
    return Promise.reject(
      new SteveError('BAD_REQUEST', 'the fleet simulator has no binary log', { source: 'simulator' }),
    );
  }

  async health(): Promise<SteveHealth> {
    try {
      await this.#enter();
      return { ok: true, mode: 'simulator', schemaVersion: null, problems: [] };
    } catch (error) {
      return {
        ok: false,
        mode: 'simulator',
        schemaVersion: null,
        problems: [String((error as Error).message)],
      };
    }
  }

  async close(): Promise<void> {}

  // internals ---------------------------------------------------------------------------------

  /** Faults first, then the clock catches up with `now()`. */
  async #enter(): Promise<void> {
    const fault = this.#fault;
    if (fault.slowMs && fault.slowMs > 0) await sleep(fault.slowMs);
    if (fault.unreachable) {
      throw new SteveError('UNREACHABLE', 'Simulated SteVe is unreachable (fault switch)', {
        source: 'simulator',
      });
    }
    if (fault.garbage) {
      throw new SteveError('BAD_RESPONSE', 'Simulated SteVe answered garbage (fault switch)', {
        source: 'simulator',
      });
    }
    this.#advance(this.#now().getTime());
  }

  /** A command from outside: runs on the current world, then the listeners (e.g. saving) run. */
  async #command<T>(run: (world: SimWorld) => T): Promise<T> {
    await this.#enter();
    try {
      return run(this.#world);
    } finally {
      await this.#changed();
    }
  }

  /** An OCPP operation: a silent station keeps the caller waiting for the operation wait. */
  async #operation(run: (world: SimWorld) => behaviours.CommandOutcome): Promise<OperationResult> {
    const outcome = await this.#command(run);
    if (outcome.kind !== 'SILENT') return outcome;
    await sleep(this.#world.settings.operationWaitMs);
    return behaviours.noAnswer(outcome.taskId);
  }

  /** A read-style OCPP operation: the data, or the same failures (and waiting) as `#operation`. */
  async #dataOperation<T>(run: (world: SimWorld) => behaviours.DataOutcome<T>): Promise<OperationData<T>> {
    const outcome = await this.#command(run);
    if (outcome.kind !== 'SILENT') return outcome;
    await sleep(this.#world.settings.operationWaitMs);
    return { kind: 'FAILED', result: behaviours.noAnswer(outcome.taskId) };
  }

  #control<T>(run: () => T): T {
    this.#advance(this.#now().getTime());
    const result = run();
    void this.#changed().catch(() => undefined);
    return result;
  }

  async #changed(): Promise<void> {
    for (const listener of this.#changeListeners) await listener();
  }

  #advance(target: number): void {
    const world = this.#world;
    for (;;) {
      const at = world.queue.peekAt();
      if (at === undefined || at > target) break;
      const next = world.queue.pop()!;
      world.clock = Math.max(world.clock, next.at);
      behaviours.dispatch(world, next.event);
    }
    world.clock = Math.max(world.clock, target);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Tenths of a second since 2026 fit a signed 32-bit key (like SteVe's INT columns) until 2032, and a
// fresh simulator gets keys above the last run's unless that run made more rows than tenths of a
// second passed. A restored simulator continues its saved counters instead.
const PK_EPOCH_MS = Date.UTC(2026, 0, 1);
function simulatorPkBase(clockMs: number): number {
  return Math.max(1, Math.floor((clockMs - PK_EPOCH_MS) / 100));
}
