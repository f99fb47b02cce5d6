import type { PubSub } from '../../lib/pubsub.ts';
import type { DomainEventDraft } from '../events/domain-events.ts';

/**
 * What one write (a page of a segment, or a single row change) changed, collected while its
 * transaction is open and published only after it committed (`RunEvents.publish`).
 */
export class Changes {
  /** Session id → its driver (null: none), for `session:updated` and `driver:session`. */
  readonly sessions = new Map<string, string | null>();
  /** Sessions that completed: METER_VALUES reads their last samples once more in the same run. */
  readonly completedSessions = new Set<string>();
  readonly startRequests = new Set<string>();
  /** Chargers whose product state changed. */
  readonly chargers = new Set<string>();
  /** An alert was written: `alerts:changed` goes out once. */
  alerts = false;
  /** Domain events (webhooks): stored in the same transaction by `commitPage`/`commitChanges`. */
  readonly events: DomainEventDraft[] = [];

  emit(event: DomainEventDraft): void {
    this.events.push(event);
  }

  session(id: string, driverId: string | null): void {
    this.sessions.set(id, driverId);
  }
}

/** The events of one sync run: each committed page's `Changes` are published right after it. */
export class RunEvents {
  readonly #pubsub: PubSub;
  readonly runId: string;
  /** Every session completed in this run so far. */
  readonly completedSessions = new Set<string>();

  constructor(pubsub: PubSub, runId: string) {
    this.#pubsub = pubsub;
    this.runId = runId;
  }

  /** The run's or a segment's progress changed (`sync:progress`). */
  progress(): void {
    this.#pubsub.publish('sync:progress', { runId: this.runId });
  }

  /** Call after the transaction that collected `changes` committed. */
  publish(changes: Changes): void {
    publishChanges(this.#pubsub, changes);
    for (const id of changes.completedSessions) this.completedSessions.add(id);
  }
}

/** Publishes what a committed write changed (also used without a run, e.g. by change capture). */
export function publishChanges(pubsub: PubSub, changes: Changes): void {
  for (const [sessionId, driverId] of changes.sessions) {
    pubsub.publish('session:updated', { sessionId });
    if (driverId) pubsub.publish('driver:session', driverId, { sessionId });
  }
  for (const startRequestId of changes.startRequests) {
    pubsub.publish('startRequest:updated', startRequestId, { startRequestId });
  }
  for (const chargerId of changes.chargers) pubsub.publish('charger:stateChanged', { chargerId });
  if (changes.alerts) pubsub.publish('alerts:changed', { at: new Date().toISOString() });
  if (changes.events.length) pubsub.publish('events:recorded', { at: new Date().toISOString() });
}
