import { encodeGlobalID } from '@pothos/plugin-relay';
import type { DomainEventDraft } from './domain-events.ts';
import { streamOf } from './domain-events.ts';

/**
 * Builders for the events writers emit, so each type's payload is written in one place. Ids are
 * the GraphQL global ids partners use with `node(id:)`.
 */

export const sessionGid = (id: string): string => encodeGlobalID('ChargingSession', id);
export const chargerGid = (id: string): string => encodeGlobalID('Charger', id);
export const cardGid = (id: string): string => encodeGlobalID('EvCard', id);

interface SessionFacts {
  id: string;
  chargerId: string;
  connectorNumber: number;
  startedAt: Date;
  meterStartWh: number;
  cardId: string | null;
}

export function sessionStarted(s: SessionFacts, at: Date): DomainEventDraft {
  return {
    type: 'session.started',
    stream: streamOf('session', s.id),
    occurredAt: at,
    data: {
      sessionId: sessionGid(s.id),
      chargerId: chargerGid(s.chargerId),
      connectorNumber: s.connectorNumber,
      cardId: s.cardId ? cardGid(s.cardId) : null,
      startedAt: s.startedAt.toISOString(),
      meterStartWh: s.meterStartWh,
    },
  };
}

export function sessionUpdated(
  s: { id: string; energyKwh: number | null; powerKw: number | null; latestMeterAt: Date | null },
  at: Date,
): DomainEventDraft {
  return {
    type: 'session.updated',
    stream: streamOf('session', s.id),
    occurredAt: at,
    data: {
      sessionId: sessionGid(s.id),
      energyKwh: s.energyKwh,
      powerKw: s.powerKw,
      latestMeterAt: s.latestMeterAt?.toISOString() ?? null,
    },
  };
}

export function sessionCompleted(
  s: {
    id: string;
    chargerId: string;
    stoppedAt: Date | null;
    stopReason: string | null;
    energyKwh: number | null;
    /** Cost so far as a decimal string in `currency`, when the session's tariff is known. */
    cost?: { amount: string; currency: string } | null;
  },
  at: Date,
): DomainEventDraft {
  return {
    type: 'session.completed',
    stream: streamOf('session', s.id),
    occurredAt: at,
    data: {
      sessionId: sessionGid(s.id),
      chargerId: chargerGid(s.chargerId),
      stoppedAt: s.stoppedAt?.toISOString() ?? null,
      stopReason: s.stopReason,
      energyKwh: s.energyKwh,
      cost: s.cost ?? null,
    },
  };
}

export function chargerStateChanged(
  c: { id: string; chargeBoxId: string; state: string; previous: string },
  at: Date,
): DomainEventDraft {
  return {
    type: 'charger.state_changed',
    stream: streamOf('charger', c.id),
    occurredAt: at,
    data: {
      chargerId: chargerGid(c.id),
      chargeBoxId: c.chargeBoxId,
      state: c.state,
      previousState: c.previous,
    },
  };
}

/** `card.created` / `card.updated`; `change` says what happened (the audit action's verb). */
export function cardChanged(
  card: {
    id: string;
    publicId: string;
    status: string;
    isPrimary: boolean;
    ownerId: string | null;
    customerId: string | null;
    label: string | null;
  },
  change: 'created' | 'activated' | 'disabled' | 'assigned' | 'primarySet',
  at: Date,
): DomainEventDraft {
  return {
    type: change === 'created' ? 'card.created' : 'card.updated',
    stream: streamOf('card', card.id),
    occurredAt: at,
    data: {
      cardId: cardGid(card.id),
      publicId: card.publicId,
      change,
      status: card.status,
      isPrimary: card.isPrimary,
      ownerId: card.ownerId ? encodeGlobalID('User', card.ownerId) : null,
      customerId: card.customerId ? encodeGlobalID('Customer', card.customerId) : null,
      label: card.label,
    },
  };
}

/** Lago refused a usage event (it stays unbilled until an operator acts). */
export function billingEventRefused(transactionId: string, reason: string, at: Date): DomainEventDraft {
  return {
    type: 'billing.event_refused',
    stream: streamOf('billing', transactionId),
    occurredAt: at,
    data: { transactionId, reason },
  };
}

/** `command.updated`: an operator command to a charger was stored (PENDING) or got its outcome. */
export function commandUpdated(
  c: { id: string; chargerId: string; kind: string; status: string },
  at: Date,
): DomainEventDraft {
  return {
    type: 'command.updated',
    stream: streamOf('command', c.id),
    occurredAt: at,
    data: {
      commandId: encodeGlobalID('ChargerCommand', c.id),
      chargerId: chargerGid(c.chargerId),
      kind: c.kind,
      status: c.status,
    },
  };
}

/** What a reservation event says about it. */
export interface ReservationFacts {
  id: string;
  chargerId: string;
  connectorNumber: number;
  cardId: string | null;
  expiresAt: Date;
  status: string;
  statusReason: string | null;
}

export type ReservationEventType =
  'reservation.created' | 'reservation.cancelled' | 'reservation.expired' | 'reservation.used';

/**
 * A reservation event. `reservationId` is `Reservation.id` as GraphQL exposes it (what
 * `cancelReservation` takes); the stream is the reservation's, so created → ended stay in order.
 */
export function reservationChanged(
  r: ReservationFacts,
  type: ReservationEventType,
  at: Date,
): DomainEventDraft {
  return {
    type,
    stream: streamOf('reservation', r.id),
    occurredAt: at,
    data: {
      reservationId: r.id,
      chargerId: chargerGid(r.chargerId),
      connectorNumber: r.connectorNumber,
      cardId: r.cardId ? cardGid(r.cardId) : null,
      expiresAt: r.expiresAt.toISOString(),
      status: r.status,
      reason: r.statusReason,
    },
  };
}

/** The event for a reservation that reached `status` (null while it is still open). */
export function reservationEndType(status: string): ReservationEventType | null {
  switch (status) {
    case 'CANCELLED':
      return 'reservation.cancelled';
    case 'EXPIRED':
      return 'reservation.expired';
    case 'COMPLETED':
      return 'reservation.used';
    default:
      return null;
  }
}
