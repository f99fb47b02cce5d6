import type { ConnectorStatusValue } from '../port.ts';
import { EventQueue, type EventQueueSnapshot } from './event-queue.ts';
import type {
  SimChargePoint,
  SimConnector,
  SimCounters,
  SimEvent,
  SimReservation,
  SimSettings,
  SimTag,
  SimTransaction,
} from './model/types.ts';
import { Prng } from './prng.ts';

/** The saved form of a world: plain JSON (Maps as arrays in key order). */
export interface WorldSnapshot {
  version: 1;
  clock: number;
  prngState: number;
  queue: EventQueueSnapshot;
  counters: SimCounters;
  chargePoints: SimChargePoint[];
  transactions: SimTransaction[];
  tags: SimTag[];
  reservations: SimReservation[];
  driverTags: string[];
}

/**
 * The simulated world every model function and behaviour works on: the fleet's records, the clock,
 * the PRNG and the queue of what happens next. It holds data and the smallest shared helpers only;
 * the rules live in model/ and behaviours/.
 */
export class SimWorld {
  readonly chargePoints: Map<number, SimChargePoint>;
  readonly transactions: Map<number, SimTransaction>;
  readonly tags: Map<number, SimTag>;
  readonly reservations: Map<number, SimReservation>;
  readonly driverTags: string[];
  readonly counters: SimCounters;
  readonly queue: EventQueue;
  readonly prng: Prng;
  /** Simulated time reached so far (epoch ms). */
  clock: number;

  constructor(
    readonly settings: SimSettings,
    init: { seed: number; clock: number; pkBase: number } | { snapshot: WorldSnapshot },
  ) {
    if ('snapshot' in init) {
      const s = structuredClone(init.snapshot);
      this.chargePoints = new Map(s.chargePoints.map((cp) => [cp.pk, cp]));
      this.transactions = new Map(s.transactions.map((tx) => [tx.pk, tx]));
      this.tags = new Map(s.tags.map((tag) => [tag.pk, tag]));
      this.reservations = new Map(s.reservations.map((r) => [r.pk, r]));
      this.driverTags = s.driverTags;
      this.counters = s.counters;
      this.queue = new EventQueue(s.queue);
      this.prng = Prng.resume(s.prngState);
      this.clock = s.clock;
      return;
    }
    this.chargePoints = new Map();
    this.transactions = new Map();
    this.tags = new Map();
    this.reservations = new Map();
    this.driverTags = [];
    const { pkBase } = init;
    this.counters = { cpPk: 1, evsePk: 1, txPk: pkBase, tagPk: pkBase, reservationPk: pkBase, taskId: 1 };
    this.queue = new EventQueue();
    this.prng = new Prng(init.seed);
    this.clock = init.clock;
  }

  snapshot(): WorldSnapshot {
    return structuredClone({
      version: 1,
      clock: this.clock,
      prngState: this.prng.state,
      queue: this.queue.snapshot(),
      counters: this.counters,
      chargePoints: [...this.chargePoints.values()],
      transactions: [...this.transactions.values()],
      tags: [...this.tags.values()],
      reservations: [...this.reservations.values()],
      driverTags: this.driverTags,
    });
  }

  /** Schedules an event `delayMs` after the current simulated time. */
  after(delayMs: number, event: SimEvent): void {
    this.queue.push(this.clock + delayMs, event);
  }

  nextTaskId(): number {
    return this.counters.taskId++;
  }

  /** A StatusNotification: the status (and, when given, the OCPP error code) at the current time. */
  setStatus(connector: SimConnector, status: ConnectorStatusValue, errorCode?: string): void {
    connector.status = status;
    connector.statusAt = this.clock;
    if (errorCode !== undefined) connector.errorCode = errorCode;
  }

  connector(cpPk: number, connectorId: number): SimConnector | undefined {
    return this.chargePoints.get(cpPk)?.connectors.find((c) => c.connectorId === connectorId);
  }

  findChargePoint(chargeBoxId: string): SimChargePoint | undefined {
    const key = chargeBoxId.toLowerCase();
    return [...this.chargePoints.values()].find((cp) => cp.chargeBoxId.toLowerCase() === key);
  }

  /** SteVe only sends to stations with an open connection. */
  reachable(chargeBoxId: string): SimChargePoint | undefined {
    const cp = this.findChargePoint(chargeBoxId);
    return cp?.online ? cp : undefined;
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += this.prng.int(0, 15).toString(16).toUpperCase();
    return out;
  }
}
