import type { EventType } from './catalogue.ts';
import { PAYLOAD_VERSION } from './catalogue.ts';

/**
 * One example delivery body per event type, for the API docs (`webhookEventTypes.example`, /docs/api).
 * Shapes match what the emitters in emit.ts write; tests check every type has one.
 */
const at = '2026-12-03T10:15:00.000Z';
const session = 'Q2hhcmdpbmdTZXNzaW9uOjAxOTNmMmEwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMQ==';
const charger = 'Q2hhcmdlcjowMTkzZjJhMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDI=';
const card = 'RXZDYXJkOjAxOTNmMmEwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMw==';
const reservation = '0193f2a0-0000-7000-8000-000000000004';

function body(type: EventType, stream: string, sequence: number, data: Record<string, unknown>) {
  return {
    id: 'evt_0193f2a0c0de7000800000000000abcd',
    number: '1042',
    type,
    version: PAYLOAD_VERSION,
    stream,
    sequence,
    occurredAt: at,
    data,
  };
}

export const EXAMPLE_PAYLOADS: Record<EventType, ReturnType<typeof body>> = {
  'session.started': body('session.started', 'session:0193f2a0-…', 1, {
    sessionId: session,
    chargerId: charger,
    connectorNumber: 1,
    cardId: card,
    startedAt: at,
    meterStartWh: 120400,
  }),
  'session.updated': body('session.updated', 'session:0193f2a0-…', 2, {
    sessionId: session,
    energyKwh: 7.25,
    powerKw: 11,
    latestMeterAt: at,
  }),
  'session.completed': body('session.completed', 'session:0193f2a0-…', 9, {
    sessionId: session,
    chargerId: charger,
    stoppedAt: at,
    stopReason: 'Local',
    energyKwh: 21.4,
    cost: { amount: '7.49', currency: 'EUR' },
  }),
  'charger.state_changed': body('charger.state_changed', 'charger:0193f2a0-…', 17, {
    chargerId: charger,
    chargeBoxId: 'PX-0007',
    state: 'IN_USE',
    previousState: 'ONLINE',
  }),
  'reservation.created': body('reservation.created', 'reservation:0193f2a0-…', 1, {
    reservationId: reservation,
    chargerId: charger,
    connectorNumber: 2,
    cardId: card,
    expiresAt: at,
    status: 'ACCEPTED',
    reason: null,
  }),
  'reservation.cancelled': body('reservation.cancelled', 'reservation:0193f2a0-…', 2, {
    reservationId: reservation,
    chargerId: charger,
    connectorNumber: 2,
    cardId: card,
    expiresAt: at,
    status: 'CANCELLED',
    reason: 'CancelledByDriver',
  }),
  'reservation.expired': body('reservation.expired', 'reservation:0193f2a0-…', 2, {
    reservationId: reservation,
    chargerId: charger,
    connectorNumber: 2,
    cardId: card,
    expiresAt: at,
    status: 'EXPIRED',
    reason: null,
  }),
  'reservation.used': body('reservation.used', 'reservation:0193f2a0-…', 2, {
    reservationId: reservation,
    chargerId: charger,
    connectorNumber: 2,
    cardId: card,
    expiresAt: at,
    status: 'COMPLETED',
    reason: null,
  }),
  'card.created': body('card.created', 'card:0193f2a0-…', 1, {
    cardId: card,
    publicId: 'PX7K2M',
    change: 'created',
    status: 'PENDING',
    isPrimary: false,
    ownerId: null,
    customerId: null,
    label: 'Fleet van 3',
  }),
  'card.updated': body('card.updated', 'card:0193f2a0-…', 2, {
    cardId: card,
    publicId: 'PX7K2M',
    change: 'activated',
    status: 'ACTIVE',
    isPrimary: true,
    ownerId: 'VXNlcjowMTkzZjJhMA==',
    customerId: 'Q3VzdG9tZXI6MDE5M2YyYTA=',
    label: 'Fleet van 3',
  }),
  'billing.event_refused': body('billing.event_refused', 'billing:polaris-session-…', 1, {
    transactionId: 'polaris-session-0193f2a0-…',
    reason: 'value_is_invalid',
  }),
  'command.updated': body('command.updated', 'command:0193f2a0-…', 2, {
    commandId: 'Q2hhcmdlckNvbW1hbmQ6MDE5M2YyYTA=',
    chargerId: charger,
    kind: 'RESET',
    status: 'ACCEPTED',
  }),
  'sync.failed': body('sync.failed', 'sync:steve', 31, {
    runId: 'U3luY1J1bjowMTkzZjJhMA==',
    error: 'CHARGERS: SteVe database unreachable',
    finishedAt: at,
  }),
};
