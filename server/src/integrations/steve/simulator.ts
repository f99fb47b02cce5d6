import { SteveError } from './errors.ts';
import {
  compareTimeCursor,
  ID_TAG_PATTERN,
  pageLimit,
  toPage,
  type CancelReservationCommand,
  type ChangeAvailabilityCommand,
  type ChangeConfigurationCommand,
  type ClearChargingProfileCommand,
  type CompositeSchedule,
  type ConfigurationResult,
  type OperationData,
  type ResetCommand,
  type SetChargingProfileCommand,
  type SteveChargingProfile,
  type TriggerMessageCommand,
  type UnlockConnectorCommand,
  type ConnectorStatusValue,
  type CreateTagCommand,
  type MeterSampleCursor,
  type OperationResult,
  type Page,
  type PkPageQuery,
  type RemoteStartCommand,
  type RemoteStopCommand,
  type ReserveNowCommand,
  type SteveChargePoint,
  type SteveConnectorStatus,
  type SteveHealth,
  type SteveMeterSample,
  type StevePort,
  type SteveReservation,
  type SteveReservationStatus,
  type SteveTag,
  type SteveTransaction,
  type TimeCursor,
  type StoppedTransactionsQuery,
  type TimePageQuery,
} from './port.ts';
import { Prng } from './prng.ts';
import { SimulatorCommands } from './simulator-commands.ts';

/**
 * The embedded fleet: a discrete-event simulation of stations as SteVe would record them. Time is
 * lazy — every call first replays all scheduled events up to `now()` — so tests jump time freely.
 * Same seed + same clock readings + same calls ⇒ same state.
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
  /** Connectors occasionally report Faulted with an OCPP error code (default false; the app turns it on). */
  connectorFaults?: boolean;
}

export interface SimulatorFault {
  /** Every call throws SteveError UNREACHABLE. */
  unreachable?: boolean;
  /** Every call takes this long (real ms) first. */
  slowMs?: number;
  /** Every call throws SteveError BAD_RESPONSE, as if SteVe answered garbage. */
  garbage?: boolean;
}

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

const SITES = ['AMS', 'RTM', 'UTR', 'EIN', 'DHG'] as const;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface SimConnector {
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

interface SimChargePoint {
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
}

interface SimSample {
  at: number;
  energyWh: number;
  powerW: number;
}

interface SimTransaction {
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

interface SimTag {
  pk: number;
  idTag: string;
  parentIdTag: string | null;
  expiryDate: number | null;
  maxActive: number;
  note: string | null;
  createdAt: number;
  updatedAt: number;
}

interface SimReservation {
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

type SimEvent =
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
  /** A timed effect of an operator command (simulator-commands.ts). */
  | { type: 'callback'; run: () => void };

interface Scheduled {
  at: number;
  seq: number;
  event: SimEvent;
}

/** Binary min-heap on (at, seq): equal times keep scheduling order, which keeps runs reproducible. */
class EventQueue {
  readonly #heap: Scheduled[] = [];
  #seq = 0;

  push(at: number, event: SimEvent): void {
    // Whole milliseconds only: Dates handed out (and cursors handed back) have no sub-ms part.
    this.#heap.push({ at: Math.round(at), seq: this.#seq++, event });
    let i = this.#heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  peekAt(): number | undefined {
    return this.#heap[0]?.at;
  }

  pop(): Scheduled | undefined {
    const top = this.#heap[0];
    const last = this.#heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (this.#heap.length > 0) {
      this.#heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.#heap.length && this.#less(l, m)) m = l;
        if (r < this.#heap.length && this.#less(r, m)) m = r;
        if (m === i) break;
        this.#swap(i, m);
        i = m;
      }
    }
    return top;
  }

  #less(a: number, b: number): boolean {
    const x = this.#heap[a]!;
    const y = this.#heap[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }

  #swap(a: number, b: number): void {
    const tmp = this.#heap[a]!;
    this.#heap[a] = this.#heap[b]!;
    this.#heap[b] = tmp;
  }
}

export class FleetSimulator implements StevePort {
  readonly #prng: Prng;
  readonly #now: () => Date;
  readonly #queue = new EventQueue();
  readonly #size: number;
  readonly #operationWaitMs: number;
  readonly #backgroundActivity: boolean;
  readonly #fleetChurn: boolean;
  readonly #outages: boolean;
  readonly #noShowRate: number;
  readonly #heartbeatIntervalMs: number;
  readonly #meterIntervalMs: number;

  readonly #chargePoints = new Map<number, SimChargePoint>();
  readonly #transactions = new Map<number, SimTransaction>();
  readonly #tags = new Map<number, SimTag>();
  readonly #reservations = new Map<number, SimReservation>();
  readonly #driverTags: string[] = [];
  #clock: number;
  #fault: SimulatorFault = {};
  #nextCpPk = 1;
  #nextEvsePk = 1;
  #nextTxPk = 1;
  #nextTagPk = 1;
  #nextReservationPk = 1;
  #nextTaskId = 1;
  /** Operator commands (Reset, Unlock, …): simulator-commands.ts, on this simulation's state. */
  readonly #commands = new SimulatorCommands({
    clock: () => this.#clock,
    nextTaskId: () => this.#nextTaskId++,
    noAnswer: (taskId) => this.#noAnswer(taskId),
    schedule: (at, run) => this.#queue.push(at, { type: 'callback', run }),
    setStatus: (connector, status, errorCode) => {
      const c = connector as SimConnector;
      this.#setStatus(c, status);
      if (errorCode !== undefined) c.errorCode = errorCode;
    },
    touchHeartbeat: (station) => this.#touchHeartbeat(station as SimChargePoint),
    stopTransaction: (txPk, reason) => this.#stopTransaction(txPk, reason),
    recordSample: (txPk) => {
      const tx = this.#transactions.get(txPk);
      if (tx && tx.stoppedAt === null) this.#recordSample(tx);
    },
    setOnline: (station, online) => {
      (station as SimChargePoint).online = online;
    },
    random: () => this.#faultPrng.next(),
  });
  /** Separate stream so the optional faults leave the rest of the simulation unchanged. */
  readonly #faultPrng: Prng;

  constructor(options: FleetSimulatorOptions = {}) {
    this.#prng = new Prng(options.seed ?? 1);
    this.#faultPrng = new Prng((options.seed ?? 1) + 7919);
    this.#now = options.now ?? (() => new Date());
    this.#size = Math.max(1, Math.floor(options.size ?? 12));
    this.#operationWaitMs = options.operationWaitMs ?? 30_000;
    this.#backgroundActivity = options.backgroundActivity ?? true;
    this.#fleetChurn = options.fleetChurn ?? true;
    this.#outages = options.outages ?? true;
    this.#noShowRate = options.remoteStartNoShowRate ?? 0.05;
    this.#heartbeatIntervalMs = options.heartbeatIntervalMs ?? MINUTE;
    this.#meterIntervalMs = options.meterIntervalMs ?? MINUTE;
    const start = (options.start ?? this.#now()).getTime();
    this.#clock = start - Math.max(0, Math.round(options.warmupMs ?? 3 * HOUR));
    // Transaction, tag and reservation keys grow with the simulation's start time, like SteVe's
    // AUTO_INCREMENT across restarts: a restarted simulator never reuses a key the database already
    // holds from an earlier run. Charge point keys stay small: the fleet's chargeBoxIds derive from them.
    const pkBase = simulatorPkBase(this.#clock);
    this.#nextTxPk = pkBase;
    this.#nextTagPk = pkBase;
    this.#nextReservationPk = pkBase;

    for (let i = 0; i < 16; i++) {
      const tag = this.#insertTag({ idTag: `DRV${this.#hex(6)}`, note: 'Simulated driver' });
      this.#driverTags.push(tag.idTag);
    }
    for (let i = 0; i < this.#size; i++) this.#addChargePoint(roleFor(i));
    if (this.#fleetChurn) this.#queue.push(this.#clock + this.#prng.exponential(6 * HOUR), { type: 'churn' });
    if (options.connectorFaults) this.#scheduleFault();
    this.#advance(start);
  }

  // simulation controls -----------------------------------------------------------------------

  /** Simulated time reached so far. */
  get clock(): Date {
    return new Date(this.#clock);
  }

  /** Replays every event up to `date` (no-op for a date in the past). */
  advanceTo(date: Date): void {
    this.#advance(date.getTime());
  }

  setFault(fault: SimulatorFault): void {
    this.#fault = { ...fault };
  }

  /** The special chargers currently in the fleet, for tests and demos. */
  get roles(): { refusesRemoteStart: string | null; neverAnswers: string | null; flaky: string[] } {
    const byRole = (role: SimChargerRole) =>
      [...this.#chargePoints.values()].filter((cp) => cp.role === role);
    return {
      refusesRemoteStart: byRole('refuses-remote-start')[0]?.chargeBoxId ?? null,
      neverAnswers: byRole('never-answers')[0]?.chargeBoxId ?? null,
      flaky: byRole('flaky').map((cp) => cp.chargeBoxId),
    };
  }

  /** Ordinary chargers (no special role), for tests that need a well-behaved one. */
  get normalChargers(): string[] {
    return [...this.#chargePoints.values()].filter((cp) => cp.role === 'normal').map((cp) => cp.chargeBoxId);
  }

  /** Deletes a charge point now, with its whole history (SteVe cascades the same way). */
  deleteChargePoint(chargeBoxId: string): boolean {
    this.#advance(this.#now().getTime());
    const cp = this.#findChargePoint(chargeBoxId);
    if (!cp) return false;
    this.#deleteChargePoint(cp);
    return true;
  }

  /**
   * Hard-deletes a tag now, as SteVe's `DELETE /ocppTags/{pk}` does: every transaction made with it and
   * its reservations go too (SteVe cascades the same way). Returns false for an unknown idTag.
   */
  deleteTag(idTag: string): boolean {
    this.#advance(this.#now().getTime());
    const tag = this.#findTag(idTag);
    if (!tag) return false;
    const key = tag.idTag.toLowerCase();
    this.#tags.delete(tag.pk);
    for (const [pk, tx] of this.#transactions)
      if (tx.idTag.toLowerCase() === key) this.#transactions.delete(pk);
    for (const [pk, r] of this.#reservations)
      if (r.idTag.toLowerCase() === key) this.#reservations.delete(pk);
    return true;
  }

  /** Hard-deletes a reservation now (SteVe deletes reservations a station refused or answered late). */
  deleteReservation(reservationPk: number): boolean {
    this.#advance(this.#now().getTime());
    return this.#reservations.delete(reservationPk);
  }

  /** Registers a new charge point now (it connects immediately); returns its chargeBoxId. */
  addChargePoint(): string {
    this.#advance(this.#now().getTime());
    return this.#addChargePoint('normal').chargeBoxId;
  }

  // port: reads -------------------------------------------------------------------------------

  async listChargePoints(query: PkPageQuery = {}): Promise<Page<SteveChargePoint, number>> {
    await this.#enter();
    const limit = pageLimit(query.limit);
    const afterPk = query.afterPk ?? 0;
    const items = [...this.#chargePoints.values()]
      .filter((cp) => cp.pk > afterPk)
      .slice(0, limit)
      .map(chargePointDto);
    return toPage(items, limit, afterPk, (cp) => cp.pk);
  }

  async listConnectorStatuses(
    query: PkPageQuery & { chargeBoxIds?: string[] } = {},
  ): Promise<Page<SteveConnectorStatus, number>> {
    await this.#enter();
    const limit = pageLimit(query.limit);
    const afterPk = query.afterPk ?? 0;
    const wanted = query.chargeBoxIds?.length
      ? new Set(query.chargeBoxIds.map((id) => id.toLowerCase()))
      : null;
    const items: SteveConnectorStatus[] = [];
    for (const cp of this.#chargePoints.values()) {
      if (wanted && !wanted.has(cp.chargeBoxId.toLowerCase())) continue;
      for (const c of cp.connectors) {
        if (c.evsePk <= afterPk) continue;
        items.push({
          evsePk: c.evsePk,
          chargeBoxId: cp.chargeBoxId,
          connectorId: c.connectorId,
          status: c.status,
          errorCode: c.errorCode,
          errorInfo: null,
          vendorErrorCode: null,
          statusAt: new Date(c.statusAt),
        });
      }
    }
    items.sort((a, b) => a.evsePk - b.evsePk);
    return toPage(items.slice(0, limit), limit, afterPk, (s) => s.evsePk);
  }

  async listTags(query: TimePageQuery = {}): Promise<Page<SteveTag, TimeCursor>> {
    await this.#enter();
    const limit = pageLimit(query.limit);
    const start = query.after ?? { at: new Date(0), pk: 0 };
    const items = [...this.#tags.values()]
      .map((t) => this.#tagDto(t))
      .filter((t) => compareTimeCursor(tagCursor(t), start) > 0)
      .sort((a, b) => compareTimeCursor(tagCursor(a), tagCursor(b)))
      .slice(0, limit);
    return toPage(items, limit, start, tagCursor);
  }

  async listTagPks(query: PkPageQuery = {}): Promise<Page<number, number>> {
    await this.#enter();
    const limit = pageLimit(query.limit);
    const afterPk = query.afterPk ?? 0;
    const items = [...this.#tags.keys()]
      .filter((pk) => pk > afterPk)
      .sort((a, b) => a - b)
      .slice(0, limit);
    return toPage(items, limit, afterPk, (pk) => pk);
  }

  async listTransactions(
    query: PkPageQuery & { activeOnly?: boolean } = {},
  ): Promise<Page<SteveTransaction, number>> {
    await this.#enter();
    const limit = pageLimit(query.limit);
    const afterPk = query.afterPk ?? 0;
    const items: SteveTransaction[] = [];
    // Map order is insertion order = ascending pk.
    for (const tx of this.#transactions.values()) {
      if (items.length >= limit) break;
      if (tx.pk <= afterPk || (query.activeOnly && tx.stoppedAt !== null)) continue;
      items.push(this.#transactionDto(tx));
    }
    return toPage(items, limit, afterPk, (t) => t.pk);
  }

  async listStoppedTransactions(
    query: StoppedTransactionsQuery,
  ): Promise<Page<SteveTransaction, TimeCursor>> {
    await this.#enter();
    const limit = pageLimit(query.limit);
    const start = query.after ?? { at: new Date(0), pk: 0 };
    const minPk = query.minTransactionPk ?? 0;
    const cursorOf = (t: SteveTransaction): TimeCursor => ({ at: t.stopEventAt ?? new Date(0), pk: t.pk });
    const items = [...this.#transactions.values()]
      .filter((tx) => tx.stoppedAt !== null && tx.pk >= minPk)
      .map((tx) => this.#transactionDto(tx))
      .filter((t) => compareTimeCursor(cursorOf(t), start) > 0)
      .sort((a, b) => compareTimeCursor(cursorOf(a), cursorOf(b)))
      .slice(0, limit);
    return toPage(items, limit, start, cursorOf);
  }

  async getTransactions(pks: number[]): Promise<SteveTransaction[]> {
    await this.#enter();
    return [...new Set(pks)]
      .sort((a, b) => a - b)
      .flatMap((pk) => {
        const tx = this.#transactions.get(pk);
        return tx ? [this.#transactionDto(tx)] : [];
      });
  }

  async listMeterValues(query: {
    transactionPks: number[];
    after?: MeterSampleCursor | null;
    since?: Date | null;
    limit?: number;
  }): Promise<Page<SteveMeterSample, MeterSampleCursor | null>> {
    await this.#enter();
    const limit = pageLimit(query.limit);
    const start = query.after ?? null;
    const sinceMs = query.since ? query.since.getTime() : Number.NEGATIVE_INFINITY;
    const items: SteveMeterSample[] = [];
    for (const pk of [...new Set(query.transactionPks)].sort((a, b) => a - b)) {
      if (start && pk < start.transactionPk) continue;
      const tx = this.#transactions.get(pk);
      if (!tx) continue;
      for (const s of tx.samples) {
        if (start && pk === start.transactionPk && s.at <= start.at.getTime()) continue;
        if (s.at <= sinceMs) continue;
        if (items.length >= limit) break;
        items.push({
          transactionPk: pk,
          chargeBoxId: tx.chargeBoxId,
          connectorId: tx.connectorId,
          at: new Date(s.at),
          energyWh: s.energyWh,
          powerW: s.powerW,
          socPercent: null,
        });
      }
      if (items.length >= limit) break;
    }
    return toPage<SteveMeterSample, MeterSampleCursor | null>(items, limit, start, (s) => ({
      transactionPk: s.transactionPk,
      at: s.at,
    }));
  }

  async listReservations(query: TimePageQuery = {}): Promise<Page<SteveReservation, TimeCursor>> {
    await this.#enter();
    const limit = pageLimit(query.limit);
    const start = query.after ?? { at: new Date(0), pk: 0 };
    const cursorOf = (r: SteveReservation): TimeCursor => ({ at: r.updatedAt, pk: r.pk });
    const items = [...this.#reservations.values()]
      .map(reservationDto)
      .filter((r) => compareTimeCursor(cursorOf(r), start) > 0)
      .sort((a, b) => compareTimeCursor(cursorOf(a), cursorOf(b)))
      .slice(0, limit);
    return toPage(items, limit, start, cursorOf);
  }

  async getReservations(pks: number[]): Promise<SteveReservation[]> {
    await this.#enter();
    return [...new Set(pks)]
      .sort((a, b) => a - b)
      .flatMap((pk) => {
        const r = this.#reservations.get(pk);
        return r ? [reservationDto(r)] : [];
      });
  }

  // port: commands ----------------------------------------------------------------------------

  async remoteStart(command: RemoteStartCommand): Promise<OperationResult> {
    await this.#enter();
    const cp = this.#reachable(command.chargeBoxId);
    if (!cp) return offline();
    if (!this.#tagEligible(command.idTag, true)) return tagNotEligible();
    const taskId = this.#nextTaskId++;
    if (cp.role === 'never-answers') return this.#noAnswer(taskId);
    if (cp.role === 'refuses-remote-start') return { kind: 'REJECTED', taskId, status: 'Rejected' };

    const connector =
      command.connectorId && command.connectorId > 0
        ? cp.connectors.find((c) => c.connectorId === command.connectorId)
        : (cp.connectors.find((c) => c.status === 'Available') ??
          cp.connectors.find((c) => this.#reservedFor(cp, c, command.idTag)));
    if (!connector) return { kind: 'REJECTED', taskId, status: 'Rejected', detail: 'No usable connector' };
    const free = connector.status === 'Available' || this.#reservedFor(cp, connector, command.idTag);
    if (!free)
      return { kind: 'REJECTED', taskId, status: 'Rejected', detail: `Connector is ${connector.status}` };

    // Accepted only means "will try": the EV starts the transaction a few seconds later (or never).
    this.#setStatus(connector, 'Preparing');
    if (this.#prng.chance(this.#noShowRate)) {
      this.#queue.push(this.#clock + this.#prng.between(30_000, 90_000), {
        type: 'noShow',
        cpPk: cp.pk,
        connectorId: connector.connectorId,
      });
    } else {
      this.#queue.push(this.#clock + this.#prng.between(2_000, 4_000), {
        type: 'start',
        cpPk: cp.pk,
        connectorId: connector.connectorId,
        idTag: command.idTag,
        remote: true,
      });
    }
    return { kind: 'ACCEPTED', taskId, status: 'Accepted' };
  }

  async remoteStop(command: RemoteStopCommand): Promise<OperationResult> {
    await this.#enter();
    const cp = this.#reachable(command.chargeBoxId);
    if (!cp) return offline();
    const tx = this.#transactions.get(command.transactionPk);
    if (!tx || tx.cpPk !== cp.pk || tx.stoppedAt !== null) {
      return {
        kind: 'STEVE_REFUSED',
        reason: 'TRANSACTION_NOT_ACTIVE',
        detail: 'This transaction is not active at this station.',
      };
    }
    const taskId = this.#nextTaskId++;
    if (cp.role === 'never-answers') return this.#noAnswer(taskId);
    this.#queue.push(this.#clock + this.#prng.between(1_000, 2_000), {
      type: 'stop',
      txPk: tx.pk,
      reason: 'Remote',
    });
    return { kind: 'ACCEPTED', taskId, status: 'Accepted' };
  }

  async reserveNow(command: ReserveNowCommand): Promise<OperationResult> {
    await this.#enter();
    const cp = this.#reachable(command.chargeBoxId);
    if (!cp) return offline();
    if (command.expiry.getTime() <= this.#clock) {
      return { kind: 'STEVE_REFUSED', reason: 'INVALID_REQUEST', detail: 'Expiry must be in the future' };
    }
    if (!this.#tagEligible(command.idTag, false)) return tagNotEligible();
    const taskId = this.#nextTaskId++;
    const connector = cp.connectors.find((c) => c.connectorId === command.connectorId);
    if (cp.role === 'never-answers') {
      // SteVe inserts the row before sending; without an answer it stays WAITING.
      if (connector)
        this.#insertReservation(cp, connector, command.idTag, command.expiry.getTime(), 'WAITING');
      return this.#noAnswer(taskId);
    }
    // Connector 0 (whole station) needs ReserveConnectorZeroSupported, which these stations lack.
    if (!connector) return { kind: 'REJECTED', taskId, status: 'Rejected' };
    const answer =
      connector.status === 'Available'
        ? 'Accepted'
        : connector.status === 'Faulted'
          ? 'Faulted'
          : connector.status === 'Unavailable'
            ? 'Unavailable'
            : 'Occupied';
    if (answer !== 'Accepted') return { kind: 'REJECTED', taskId, status: answer };
    const reservation = this.#insertReservation(
      cp,
      connector,
      command.idTag,
      command.expiry.getTime(),
      'ACCEPTED',
    );
    return { kind: 'ACCEPTED', taskId, status: 'Accepted', reservationId: reservation.pk };
  }

  async cancelReservation(command: CancelReservationCommand): Promise<OperationResult> {
    await this.#enter();
    const cp = this.#reachable(command.chargeBoxId);
    if (!cp) return offline();
    const reservation = this.#reservations.get(command.reservationId);
    if (!reservation || reservation.cpPk !== cp.pk || !this.#isActive(reservation)) {
      return {
        kind: 'STEVE_REFUSED',
        reason: 'RESERVATION_NOT_ACTIVE',
        detail: 'This reservation is not active at this station.',
      };
    }
    const taskId = this.#nextTaskId++;
    if (cp.role === 'never-answers') return this.#noAnswer(taskId);
    this.#updateReservation(reservation, 'CANCELLED');
    const connector = cp.connectors.find((c) => c.connectorId === reservation.connectorId);
    if (connector?.status === 'Reserved') this.#setStatus(connector, 'Available');
    return { kind: 'ACCEPTED', taskId, status: 'Accepted' };
  }

  async createTag(command: CreateTagCommand): Promise<SteveTag> {
    await this.#enter();
    if (!ID_TAG_PATTERN.test(command.idTag)) {
      throw new SteveError('BAD_REQUEST', `idTag '${command.idTag}' must be 1–20 chars of [a-zA-Z0-9.:_#-]`, {
        source: 'simulator',
        status: 400,
      });
    }
    if (this.#findTag(command.idTag)) {
      throw new SteveError('CONFLICT', `The idTag '${command.idTag}' exists already.`, {
        source: 'simulator',
        status: 422,
      });
    }
    if (command.expiryDate && command.expiryDate.getTime() <= this.#clock) {
      throw new SteveError('BAD_REQUEST', 'expiryDate must be in the future', {
        source: 'simulator',
        status: 400,
      });
    }
    const tag = this.#insertTag({
      idTag: command.idTag,
      parentIdTag: command.parentIdTag ?? null,
      expiryDate: command.expiryDate?.getTime() ?? null,
      maxActive: command.maxActiveTransactionCount ?? 1,
      note: command.note ?? null,
    });
    return this.#tagDto(tag);
  }

  async blockTag(idTag: string): Promise<SteveTag> {
    await this.#enter();
    const tag = this.#requireTag(idTag);
    this.#replaceTag(tag, 0);
    return this.#tagDto(tag);
  }

  async unblockTag(idTag: string, options: { maxActiveTransactionCount?: number } = {}): Promise<SteveTag> {
    await this.#enter();
    const max = options.maxActiveTransactionCount ?? 1;
    if (max === 0) {
      throw new SteveError('BAD_REQUEST', 'unblockTag needs a maxActiveTransactionCount other than 0', {
        source: 'simulator',
      });
    }
    const tag = this.#requireTag(idTag);
    this.#replaceTag(tag, max);
    return this.#tagDto(tag);
  }

  async expireTag(idTag: string): Promise<SteveTag> {
    await this.#enter();
    const tag = this.#requireTag(idTag);
    tag.expiryDate = this.#clock;
    tag.updatedAt = this.#clock;
    return this.#tagDto(tag);
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

  // port: operator commands (behaviour in simulator-commands.ts) -----------------------------

  async reset(command: ResetCommand): Promise<OperationResult> {
    await this.#enter();
    const cp = this.#reachable(command.chargeBoxId);
    return cp ? this.#commands.reset(cp, command) : offline();
  }

  async unlockConnector(command: UnlockConnectorCommand): Promise<OperationResult> {
    await this.#enter();
    const cp = this.#reachable(command.chargeBoxId);
    return cp ? this.#commands.unlockConnector(cp, command) : offline();
  }

  async changeAvailability(command: ChangeAvailabilityCommand): Promise<OperationResult> {
    await this.#enter();
    const cp = this.#reachable(command.chargeBoxId);
    return cp ? this.#commands.changeAvailability(cp, command) : offline();
  }

  async triggerMessage(command: TriggerMessageCommand): Promise<OperationResult> {
    await this.#enter();
    const cp = this.#reachable(command.chargeBoxId);
    return cp ? this.#commands.triggerMessage(cp, command) : offline();
  }

  async getConfiguration(chargeBoxId: string): Promise<OperationData<ConfigurationResult>> {
    await this.#enter();
    const cp = this.#reachable(chargeBoxId);
    return cp ? this.#commands.getConfiguration(cp) : { kind: 'FAILED', result: offline() };
  }

  async changeConfiguration(command: ChangeConfigurationCommand): Promise<OperationResult> {
    await this.#enter();
    const cp = this.#reachable(command.chargeBoxId);
    return cp ? this.#commands.changeConfiguration(cp, command) : offline();
  }

  async listChargingProfiles(): Promise<SteveChargingProfile[]> {
    await this.#enter();
    return this.#commands.listChargingProfiles();
  }

  async setChargingProfile(command: SetChargingProfileCommand): Promise<OperationResult> {
    await this.#enter();
    const cp = this.#reachable(command.chargeBoxId);
    return cp ? this.#commands.setChargingProfile(cp, command) : offline();
  }

  async clearChargingProfile(command: ClearChargingProfileCommand): Promise<OperationResult> {
    await this.#enter();
    const cp = this.#reachable(command.chargeBoxId);
    return cp ? this.#commands.clearChargingProfile(cp, command) : offline();
  }

  async getCompositeSchedule(query: {
    chargeBoxId: string;
    connectorId: number;
    durationSeconds: number;
  }): Promise<OperationData<CompositeSchedule | null>> {
    await this.#enter();
    const cp = this.#reachable(query.chargeBoxId);
    return cp ? this.#commands.getCompositeSchedule(cp, query) : { kind: 'FAILED', result: offline() };
  }

  /** Puts a free connector of some charger into Faulted now (tests and demos). */
  faultConnector(chargeBoxId: string, connectorId: number, errorCode = 'GroundFailure'): boolean {
    this.#advance(this.#now().getTime());
    const connector = this.#findChargePoint(chargeBoxId)?.connectors.find(
      (c) => c.connectorId === connectorId,
    );
    if (!connector) return false;
    this.#setStatus(connector, 'Faulted');
    connector.errorCode = errorCode;
    return true;
  }

  #scheduleFault(): void {
    this.#queue.push(this.#clock + Math.round(this.#faultPrng.exponential(4 * HOUR)), {
      type: 'callback',
      run: () => {
        const candidates = [...this.#chargePoints.values()].filter(
          (cp) =>
            cp.online && cp.role !== 'never-answers' && cp.connectors.some((c) => c.status === 'Available'),
        );
        const cp = candidates.length
          ? candidates[Math.floor(this.#faultPrng.next() * candidates.length)]
          : undefined;
        const connector = cp?.connectors.find((c) => c.status === 'Available');
        if (connector) {
          const codes = [
            'GroundFailure',
            'ConnectorLockFailure',
            'EVCommunicationError',
            'OverCurrentFailure',
          ];
          this.#setStatus(connector, 'Faulted');
          connector.errorCode = codes[Math.floor(this.#faultPrng.next() * codes.length)] ?? 'OtherError';
        }
        this.#scheduleFault();
      },
    });
  }

  // internals: entry, clock -------------------------------------------------------------------

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

  #advance(target: number): void {
    for (;;) {
      const at = this.#queue.peekAt();
      if (at === undefined || at > target) break;
      const next = this.#queue.pop()!;
      this.#clock = Math.max(this.#clock, next.at);
      this.#handle(next.event);
    }
    this.#clock = Math.max(this.#clock, target);
  }

  async #noAnswer(taskId: number): Promise<OperationResult> {
    await sleep(this.#operationWaitMs);
    return { kind: 'NO_ANSWER', taskId, detail: 'Station did not answer within the operation wait' };
  }

  // internals: events -------------------------------------------------------------------------

  #handle(event: SimEvent): void {
    switch (event.type) {
      case 'heartbeat': {
        const cp = this.#chargePoints.get(event.cpPk);
        if (!cp) return;
        if (cp.online) this.#touchHeartbeat(cp);
        this.#queue.push(this.#clock + this.#heartbeatIntervalMs, event);
        return;
      }
      case 'outage': {
        const cp = this.#chargePoints.get(event.cpPk);
        if (!cp) return;
        cp.online = false;
        const downtime =
          cp.role === 'flaky'
            ? this.#prng.between(5 * MINUTE, 45 * MINUTE)
            : this.#prng.between(2 * MINUTE, 25 * MINUTE);
        this.#queue.push(this.#clock + downtime, { type: 'reconnect', cpPk: cp.pk });
        return;
      }
      case 'reconnect': {
        const cp = this.#chargePoints.get(event.cpPk);
        if (!cp) return;
        cp.online = true;
        this.#touchHeartbeat(cp);
        // A rebooted station re-reports every connector.
        for (const c of cp.connectors) this.#setStatus(c, c.status);
        this.#scheduleOutage(cp);
        return;
      }
      case 'arrival': {
        const cp = this.#chargePoints.get(event.cpPk);
        if (!cp) return;
        const connector = cp.connectors.find((c) => c.connectorId === event.connectorId);
        if (!connector) return;
        this.#scheduleArrival(cp, connector);
        if (!cp.online || connector.status !== 'Available') return;
        const idTag = this.#prng.pick(this.#driverTags);
        if (!this.#tagEligible(idTag, true)) return;
        if (this.#prng.chance(0.12)) {
          // Some drivers reserve first; not all of them make it before the reservation expires.
          const reservation = this.#insertReservation(
            cp,
            connector,
            idTag,
            this.#clock + this.#prng.between(15, 30) * MINUTE,
            'ACCEPTED',
          );
          this.#queue.push(this.#clock + this.#prng.between(5, 40) * MINUTE, {
            type: 'reservedDriverArrives',
            reservationPk: reservation.pk,
          });
          return;
        }
        this.#setStatus(connector, 'Preparing');
        this.#queue.push(this.#clock + this.#prng.between(5_000, 30_000), {
          type: 'start',
          cpPk: cp.pk,
          connectorId: connector.connectorId,
          idTag,
          remote: false,
        });
        return;
      }
      case 'reservedDriverArrives': {
        const reservation = this.#reservations.get(event.reservationPk);
        if (!reservation || !this.#isActive(reservation)) return;
        const cp = this.#chargePoints.get(reservation.cpPk);
        const connector = cp?.connectors.find((c) => c.connectorId === reservation.connectorId);
        if (!cp || !connector || connector.status !== 'Reserved') return;
        this.#setStatus(connector, 'Preparing');
        this.#queue.push(this.#clock + this.#prng.between(5_000, 30_000), {
          type: 'start',
          cpPk: cp.pk,
          connectorId: connector.connectorId,
          idTag: reservation.idTag,
          remote: false,
        });
        return;
      }
      case 'start':
        this.#startTransaction(event.cpPk, event.connectorId, event.idTag);
        return;
      case 'noShow': {
        const connector = this.#connector(event.cpPk, event.connectorId);
        if (connector?.status === 'Preparing' && connector.txPk === null)
          this.#setStatus(connector, 'Available');
        return;
      }
      case 'sample': {
        const tx = this.#transactions.get(event.txPk);
        if (!tx || tx.stoppedAt !== null) return;
        this.#recordSample(tx);
        this.#queue.push(this.#clock + this.#meterIntervalMs, event);
        return;
      }
      case 'evFull': {
        const tx = this.#transactions.get(event.txPk);
        if (!tx || tx.stoppedAt !== null) return;
        const connector = this.#connector(tx.cpPk, tx.connectorId);
        if (connector) this.#setStatus(connector, 'SuspendedEV');
        this.#recordSample(tx);
        // The driver comes back at some point: ends with the card, or just unplugs.
        const reason = this.#prng.chance(0.6) ? 'Local' : 'EVDisconnected';
        this.#queue.push(this.#clock + this.#prng.between(2, 25) * MINUTE, {
          type: 'stop',
          txPk: tx.pk,
          reason,
        });
        return;
      }
      case 'stop':
        this.#stopTransaction(event.txPk, event.reason);
        return;
      case 'unplug': {
        const connector = this.#connector(event.cpPk, event.connectorId);
        if (connector && connector.txPk === null && connector.status === 'Finishing')
          this.#setStatus(connector, 'Available');
        return;
      }
      case 'reservationExpiry': {
        const reservation = this.#reservations.get(event.reservationPk);
        // The row stays ACCEPTED (SteVe has no EXPIRED); only the station frees the connector.
        if (!reservation || reservation.status !== 'ACCEPTED') return;
        const connector = this.#connector(reservation.cpPk, reservation.connectorId);
        if (
          connector?.status === 'Reserved' &&
          !this.#activeReservationOn(reservation.cpPk, connector.connectorId)
        ) {
          this.#setStatus(connector, 'Available');
        }
        return;
      }
      case 'callback':
        event.run();
        return;
      case 'churn':
        this.#churn();
        this.#queue.push(this.#clock + this.#prng.exponential(6 * HOUR), { type: 'churn' });
        return;
    }
  }

  #churn(): void {
    const removable = [...this.#chargePoints.values()].filter((cp) => cp.role === 'normal');
    const count = this.#chargePoints.size;
    const remove = count > this.#size + 1 || (count > Math.max(1, this.#size - 2) && this.#prng.chance(0.5));
    if (remove && removable.length > 0) this.#deleteChargePoint(this.#prng.pick(removable));
    else this.#addChargePoint('normal');
  }

  #startTransaction(cpPk: number, connectorId: number, idTag: string): void {
    const cp = this.#chargePoints.get(cpPk);
    const connector = cp?.connectors.find((c) => c.connectorId === connectorId);
    if (!cp || !connector || connector.status !== 'Preparing' || connector.txPk !== null) return;
    const powerW = Math.round(connector.powerW * this.#prng.between(0.85, 1.0));
    const targetWh = this.#prng.between(5_000, connector.powerType === 'DC' ? 60_000 : 40_000);
    const tx: SimTransaction = {
      pk: this.#nextTxPk++,
      cpPk,
      chargeBoxId: cp.chargeBoxId,
      connectorId,
      idTag,
      startedAt: this.#clock,
      meterStartWh: Math.round(connector.registerWh),
      powerW,
      fullAt: this.#clock + Math.round((targetWh / powerW) * HOUR),
      stoppedAt: null,
      meterStopWh: null,
      stopReason: null,
      stopActor: null,
      samples: [],
    };
    this.#transactions.set(tx.pk, tx);
    connector.txPk = tx.pk;
    const reservation = this.#activeReservationOn(cpPk, connectorId);
    if (reservation && reservation.idTag.toLowerCase() === idTag.toLowerCase()) {
      reservation.transactionPk = tx.pk;
      this.#updateReservation(reservation, 'USED');
    }
    this.#setStatus(connector, 'Charging');
    this.#recordSample(tx);
    this.#queue.push(this.#clock + this.#meterIntervalMs, { type: 'sample', txPk: tx.pk });
    this.#queue.push(tx.fullAt, { type: 'evFull', txPk: tx.pk });
  }

  #stopTransaction(txPk: number, reason: string): void {
    const tx = this.#transactions.get(txPk);
    if (!tx || tx.stoppedAt !== null) return;
    const energy = this.#energyAt(tx, this.#clock);
    tx.stoppedAt = this.#clock;
    tx.meterStopWh = Math.round(energy);
    tx.stopReason = reason;
    tx.stopActor = 'station';
    tx.samples.push({ at: this.#clock, energyWh: tx.meterStopWh, powerW: 0 });
    const connector = this.#connector(tx.cpPk, tx.connectorId);
    if (!connector) return;
    connector.registerWh = tx.meterStopWh;
    connector.txPk = null;
    const cp = this.#chargePoints.get(tx.cpPk);
    if (cp && this.#commands.isInoperative(cp, connector.connectorId)) {
      // A Scheduled ChangeAvailability(Inoperative) applies once the session has ended.
      this.#commands.onSessionEnded(cp, connector);
      this.#setStatus(connector, 'Unavailable');
    } else if (reason === 'EVDisconnected') {
      this.#setStatus(connector, 'Available');
    } else {
      this.#setStatus(connector, 'Finishing');
      this.#queue.push(this.#clock + this.#prng.between(30_000, 3 * MINUTE), {
        type: 'unplug',
        cpPk: tx.cpPk,
        connectorId: tx.connectorId,
      });
    }
  }

  #energyAt(tx: SimTransaction, at: number): number {
    const end = Math.min(at, tx.fullAt, tx.stoppedAt ?? Number.POSITIVE_INFINITY);
    return tx.meterStartWh + (tx.powerW * Math.max(0, end - tx.startedAt)) / HOUR;
  }

  #recordSample(tx: SimTransaction): void {
    const charging = this.#clock < tx.fullAt;
    tx.samples.push({
      at: this.#clock,
      energyWh: Math.round(this.#energyAt(tx, this.#clock)),
      powerW: charging ? tx.powerW : 0,
    });
  }

  // internals: fleet --------------------------------------------------------------------------

  #addChargePoint(role: SimChargerRole): SimChargePoint {
    const pk = this.#nextCpPk++;
    const model = this.#prng.pick(SIM_CHARGER_MODELS);
    const site = this.#prng.pick(SITES);
    const connectors: SimConnector[] = [];
    for (let connectorId = 1; connectorId <= model.connectors; connectorId++) {
      connectors.push({
        connectorId,
        evsePk: this.#nextEvsePk++,
        powerW: model.powerW,
        powerType: model.powerType,
        status: 'Available',
        statusAt: this.#clock,
        errorCode: 'NoError',
        registerWh: Math.round(this.#prng.between(100_000, 5_000_000)),
        txPk: null,
      });
    }
    const cp: SimChargePoint = {
      pk,
      chargeBoxId: `PX-${site}-${String(pk).padStart(3, '0')}`,
      vendor: model.vendor,
      model: model.model,
      firmwareVersion: `${this.#prng.int(1, 4)}.${this.#prng.int(0, 9)}.${this.#prng.int(0, 20)}`,
      description: `${model.vendor} ${model.model} (${model.powerType} ${model.powerW / 1000} kW)`,
      role,
      // Special chargers stay quiet so their behaviour is easy to see; ~60% of the rest are busy.
      background: this.#backgroundActivity && role === 'normal' && this.#prng.chance(0.6),
      online: true,
      lastHeartbeatAt: this.#clock,
      connectors,
      createdAt: this.#clock,
      updatedAt: this.#clock,
    };
    this.#chargePoints.set(pk, cp);
    this.#queue.push(this.#clock + this.#prng.between(0, this.#heartbeatIntervalMs), {
      type: 'heartbeat',
      cpPk: pk,
    });
    this.#scheduleOutage(cp);
    if (cp.background) for (const c of connectors) this.#scheduleArrival(cp, c);
    return cp;
  }

  #deleteChargePoint(cp: SimChargePoint): void {
    this.#chargePoints.delete(cp.pk);
    for (const [pk, tx] of this.#transactions) if (tx.cpPk === cp.pk) this.#transactions.delete(pk);
    for (const [pk, r] of this.#reservations) if (r.cpPk === cp.pk) this.#reservations.delete(pk);
  }

  #scheduleOutage(cp: SimChargePoint): void {
    if (!this.#outages) return;
    const mean = cp.role === 'flaky' ? 3 * HOUR : cp.role === 'normal' ? 48 * HOUR : 0;
    if (mean > 0)
      this.#queue.push(this.#clock + this.#prng.exponential(mean), { type: 'outage', cpPk: cp.pk });
  }

  #scheduleArrival(cp: SimChargePoint, connector: SimConnector): void {
    // DC sessions are short, so DC drivers come more often than AC ones.
    const mean = connector.powerType === 'DC' ? 1 * HOUR : 2.5 * HOUR;
    this.#queue.push(this.#clock + this.#prng.exponential(mean), {
      type: 'arrival',
      cpPk: cp.pk,
      connectorId: connector.connectorId,
    });
  }

  #touchHeartbeat(cp: SimChargePoint): void {
    cp.lastHeartbeatAt = this.#clock;
    cp.updatedAt = this.#clock;
  }

  #setStatus(connector: SimConnector, status: ConnectorStatusValue): void {
    connector.status = status;
    connector.statusAt = this.#clock;
  }

  #connector(cpPk: number, connectorId: number): SimConnector | undefined {
    return this.#chargePoints.get(cpPk)?.connectors.find((c) => c.connectorId === connectorId);
  }

  #findChargePoint(chargeBoxId: string): SimChargePoint | undefined {
    const key = chargeBoxId.toLowerCase();
    return [...this.#chargePoints.values()].find((cp) => cp.chargeBoxId.toLowerCase() === key);
  }

  /** SteVe only sends to stations with an open connection. */
  #reachable(chargeBoxId: string): SimChargePoint | undefined {
    const cp = this.#findChargePoint(chargeBoxId);
    return cp?.online ? cp : undefined;
  }

  // internals: tags and reservations ----------------------------------------------------------

  #insertTag(
    fields: { idTag: string } & Partial<Omit<SimTag, 'pk' | 'idTag' | 'createdAt' | 'updatedAt'>>,
  ): SimTag {
    const tag: SimTag = {
      pk: this.#nextTagPk++,
      idTag: fields.idTag,
      parentIdTag: fields.parentIdTag ?? null,
      expiryDate: fields.expiryDate ?? null,
      maxActive: fields.maxActive ?? 1,
      note: fields.note ?? null,
      createdAt: this.#clock,
      updatedAt: this.#clock,
    };
    this.#tags.set(tag.pk, tag);
    return tag;
  }

  #findTag(idTag: string): SimTag | undefined {
    const key = idTag.toLowerCase();
    return [...this.#tags.values()].find((t) => t.idTag.toLowerCase() === key);
  }

  #requireTag(idTag: string): SimTag {
    const tag = this.#findTag(idTag);
    if (!tag)
      throw new SteveError('NOT_FOUND', `OCPP tag '${idTag}' does not exist in SteVe`, {
        source: 'simulator',
        status: 404,
      });
    return tag;
  }

  /** Same semantics as the real adapter's PUT: a past expiry cannot be kept and is cleared. */
  #replaceTag(tag: SimTag, maxActive: number): void {
    if (tag.expiryDate !== null && tag.expiryDate <= this.#clock) tag.expiryDate = null;
    tag.maxActive = maxActive;
    tag.updatedAt = this.#clock;
  }

  #activeCount(idTag: string): number {
    const key = idTag.toLowerCase();
    let count = 0;
    for (const tx of this.#transactions.values())
      if (tx.stoppedAt === null && tx.idTag.toLowerCase() === key) count++;
    return count;
  }

  /** SteVe's authorisation rules: known, not blocked, not expired, (for starts) under the limit. */
  #tagEligible(idTag: string, forStart: boolean): boolean {
    const tag = this.#findTag(idTag);
    if (!tag || tag.maxActive === 0) return false;
    if (tag.expiryDate !== null && tag.expiryDate <= this.#clock) return false;
    return !forStart || tag.maxActive < 0 || this.#activeCount(idTag) < tag.maxActive;
  }

  #insertReservation(
    cp: SimChargePoint,
    connector: SimConnector,
    idTag: string,
    expiryAt: number,
    status: SteveReservationStatus,
  ): SimReservation {
    const reservation: SimReservation = {
      pk: this.#nextReservationPk++,
      cpPk: cp.pk,
      chargeBoxId: cp.chargeBoxId,
      connectorId: connector.connectorId,
      idTag,
      transactionPk: null,
      startAt: this.#clock,
      expiryAt: Math.round(expiryAt),
      status,
      statusAt: this.#clock,
      createdAt: this.#clock,
      updatedAt: this.#clock,
    };
    this.#reservations.set(reservation.pk, reservation);
    if (status === 'ACCEPTED') {
      this.#setStatus(connector, 'Reserved');
      this.#queue.push(reservation.expiryAt, { type: 'reservationExpiry', reservationPk: reservation.pk });
    }
    return reservation;
  }

  #updateReservation(reservation: SimReservation, status: SteveReservationStatus): void {
    reservation.status = status;
    reservation.statusAt = this.#clock;
    reservation.updatedAt = this.#clock;
  }

  #isActive(reservation: SimReservation): boolean {
    return reservation.status === 'ACCEPTED' && reservation.expiryAt > this.#clock;
  }

  #activeReservationOn(cpPk: number, connectorId: number): SimReservation | undefined {
    for (const r of this.#reservations.values()) {
      if (r.cpPk === cpPk && r.connectorId === connectorId && this.#isActive(r)) return r;
    }
    return undefined;
  }

  #reservedFor(cp: SimChargePoint, connector: SimConnector, idTag: string): boolean {
    if (connector.status !== 'Reserved') return false;
    const r = this.#activeReservationOn(cp.pk, connector.connectorId);
    return r !== undefined && r.idTag.toLowerCase() === idTag.toLowerCase();
  }

  // internals: DTOs ---------------------------------------------------------------------------

  #tagDto(tag: SimTag): SteveTag {
    const active = this.#activeCount(tag.idTag);
    return {
      pk: tag.pk,
      idTag: tag.idTag,
      parentIdTag: tag.parentIdTag,
      expiryDate: tag.expiryDate === null ? null : new Date(tag.expiryDate),
      maxActiveTransactionCount: tag.maxActive,
      activeTransactionCount: active,
      blocked: tag.maxActive === 0,
      note: tag.note,
      userPk: null,
      createdAt: new Date(tag.createdAt),
      updatedAt: new Date(tag.updatedAt),
    };
  }

  #transactionDto(tx: SimTransaction): SteveTransaction {
    const tag = this.#findTag(tx.idTag);
    return {
      pk: tx.pk,
      chargePointPk: tx.cpPk,
      chargeBoxId: tx.chargeBoxId,
      connectorId: tx.connectorId,
      idTag: tx.idTag,
      tagPk: tag?.pk ?? null,
      startedAt: new Date(tx.startedAt),
      startEventAt: new Date(tx.startedAt),
      meterStartWh: tx.meterStartWh,
      stoppedAt: tx.stoppedAt === null ? null : new Date(tx.stoppedAt),
      stopEventAt: tx.stoppedAt === null ? null : new Date(tx.stoppedAt),
      meterStopWh: tx.meterStopWh,
      stopReason: tx.stopReason,
      stopActor: tx.stopActor,
    };
  }

  #hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += this.#prng.int(0, 15).toString(16).toUpperCase();
    return out;
  }
}

/** Fleet layout: the 2nd charger refuses remote starts, the 3rd never answers, the 4th is flaky. */
function roleFor(index: number): SimChargerRole {
  return index === 1
    ? 'refuses-remote-start'
    : index === 2
      ? 'never-answers'
      : index === 3
        ? 'flaky'
        : 'normal';
}

function chargePointDto(cp: SimChargePoint): SteveChargePoint {
  return {
    pk: cp.pk,
    chargeBoxId: cp.chargeBoxId,
    description: cp.description,
    vendor: cp.vendor,
    model: cp.model,
    firmwareVersion: cp.firmwareVersion,
    ocppProtocol: 'ocpp1.6J',
    registrationStatus: 'Accepted',
    lastHeartbeatAt: new Date(cp.lastHeartbeatAt),
    connectors: cp.connectors.map((c) => ({
      connectorId: c.connectorId,
      evsePk: c.evsePk,
      maxPowerW: c.powerW,
      powerType: c.powerType,
    })),
    createdAt: new Date(cp.createdAt),
    updatedAt: new Date(cp.updatedAt),
  };
}

function reservationDto(r: SimReservation): SteveReservation {
  return {
    pk: r.pk,
    chargeBoxId: r.chargeBoxId,
    connectorId: r.connectorId,
    idTag: r.idTag,
    transactionPk: r.transactionPk,
    startAt: new Date(r.startAt),
    expiryAt: new Date(r.expiryAt),
    status: r.status,
    statusAt: new Date(r.statusAt),
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
  };
}

function tagCursor(t: SteveTag): TimeCursor {
  return { at: t.updatedAt ?? new Date(0), pk: t.pk };
}

function offline(): OperationResult {
  return {
    kind: 'OFFLINE',
    detail:
      'No stations are eligible for communication. Ensure that the chargeBox IDs are correct and the stations are online.',
  };
}

function tagNotEligible(): OperationResult {
  return {
    kind: 'STEVE_REFUSED',
    reason: 'TAG_NOT_ELIGIBLE',
    detail:
      'Requested OCPP Tag is not eligible for this operation. Ensure that the OCPP Tag is registered and active.',
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Tenths of a second since 2026 fit a signed 32-bit key (like SteVe's INT columns) until 2032, and a
// restart gets keys above the last run's unless that run made more rows than tenths of a second passed.
const PK_EPOCH_MS = Date.UTC(2026, 0, 1);
function simulatorPkBase(clockMs: number): number {
  return Math.max(1, Math.floor((clockMs - PK_EPOCH_MS) / 100));
}
