/**
 * The domain-event catalogue: one list for webhooks (and the API docs page). Each event is stored in
 * the outbox (`DomainEvent`) in the same transaction as the change that caused it; see
 * domain-events.ts. Add a type here, emit it where the change is written, document it in
 * docs/webhooks.md.
 */
export const EVENT_TYPES = {
  'session.started': 'A charging session began at a charger (SteVe recorded the transaction start).',
  'session.updated': 'New meter values for a running session (at most one every 30 s per session).',
  'session.completed': 'A session ended; carries its energy (kWh) and, where known, its cost.',
  'charger.state_changed': 'A charger went online, in use, reserved, unavailable, faulted or offline.',
  'reservation.created': 'A connector was reserved for a card (ReserveNow accepted, or SteVe recorded one).',
  'reservation.cancelled': 'A reservation was cancelled (by its driver, an operator, or deleted in SteVe).',
  'reservation.expired': 'A reservation ran out before its card started a session there.',
  'reservation.used': 'The reservation’s card started a session on the reserved connector.',
  'card.created': 'An EV card was registered (by an operator or imported from a SteVe tag).',
  'card.updated': 'An EV card changed: status, label, owner or customer.',
  'billing.event_refused': 'Lago refused a usage event; it will not be billed until an operator acts.',
  'command.updated': 'A charger command changed status (PENDING → ACCEPTED, REJECTED, …).',
  'sync.failed': 'A SteVe → Polaris sync run failed.',
} as const;

export type EventType = keyof typeof EVENT_TYPES;

export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(EVENT_TYPES, value);
}

/** The payload version of every type today; bumped per type when its `data` changes incompatibly. */
export const PAYLOAD_VERSION = 1;
