import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import { sseSubscribe, waitUntil } from '../../../test/conformance/sse-client.ts';
import { ManualClock } from '../sync/test-helpers.ts';
import { RESERVATION_WARNING_MS } from './notifications.schema.ts';
import {
  ALREADY_RESERVED_MESSAGE,
  CHARGER_UNAVAILABLE_MESSAGE,
  NO_ACTIVE_CARD_MESSAGE,
  RESERVATION_NOT_FOUND_MESSAGE,
} from './charging.errors.ts';
import { giveCard } from './test-fixtures.ts';

const RESERVE = `mutation ($id: ID!, $n: Int) {
  reserveCharger(chargerId: $id, connectorNumber: $n) {
    __typename
    ... on Reservation { id status connectorNumber expiresAt charger { chargeBoxId } }
    ... on NoActiveCardError { message }
    ... on AccountInactiveError { message }
    ... on ChargerUnavailableError { message }
    ... on AlreadyReservedError { message }
    ... on ReservationRejectedError { message }
  }
}`;
const CANCEL = `mutation ($id: ID!) {
  cancelReservation(id: $id) {
    __typename
    ... on Reservation { id status }
    ... on ReservationNotFoundError { message }
    ... on ReservationCancelFailedError { message }
  }
}`;
const START = `mutation ($id: ID!) {
  startCharging(chargerId: $id) {
    __typename
    ... on StartChargingSuccess { startRequest { id outcome } }
    ... on ChargerUnavailableError { message }
  }
}`;

interface ReserveResult {
  reserveCharger: {
    __typename: string;
    id?: string;
    status?: string;
    connectorNumber?: number;
    expiresAt?: string;
    message?: string;
  };
}

describe('reservations through the simulator', () => {
  let t: TestApp;
  let sim: FleetSimulator;
  let clock: ManualClock;
  const people: Record<'holder' | 'other' | 'noCard', { id: string; cookie: string }> = {} as never;
  /** A one-connector charger, so reserving it makes the whole charger RESERVED. */
  let single: { id: string; chargeBoxId: string };
  let double: { id: string; chargeBoxId: string };
  let endpointId: string;

  const sync = async () => {
    const engine = t.app.services.sync.engine;
    while (engine.running) await new Promise((r) => setTimeout(r, 10));
    await engine.run({ trigger: 'MANUAL' });
  };
  const as = <T>(who: keyof typeof people, query: string, variables: Record<string, unknown>) =>
    t.graphql<T>(query, variables, { cookie: people[who].cookie });

  beforeAll(async () => {
    clock = new ManualClock(new Date().toISOString());
    sim = new FleetSimulator({
      seed: 5,
      size: 8,
      now: clock.now,
      fleetChurn: false,
      outages: false,
      backgroundActivity: false,
      remoteStartNoShowRate: 0,
      operationWaitMs: 20,
    });
    t = await createTestApp({
      env: { RESERVATION_MINUTES: '20' },
      app: { background: false, steve: sim, clock: clock.now },
    });
    for (const who of ['holder', 'other', 'noCard'] as const) {
      const u = await t.createUser();
      people[who] = { id: u.id, cookie: await t.signIn(u.email, u.password) };
      if (who !== 'noCard') await giveCard(t.app.services.db, sim, u.id, { isPrimary: true });
    }
    await sync();
    const chargers = await t.app.services.db.charger.findMany({
      where: { chargeBoxId: { in: sim.normalChargers }, state: 'ONLINE' },
      select: { id: true, chargeBoxId: true, _count: { select: { connectors: true } } },
    });
    const pick = (n: number) => {
      const c = chargers.find((x) => x._count.connectors === n)!;
      return { id: encodeGlobalID('Charger', c.id), chargeBoxId: c.chargeBoxId };
    };
    single = pick(1);
    double = pick(2);
    // A partner subscribed to reservation events only (no worker runs: deliveries stay queued).
    endpointId = (
      await t.app.services.db.webhookEndpoint.create({
        data: {
          url: 'https://partner.example/hooks',
          secret: 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdA==',
          events: ['reservation.created', 'reservation.cancelled', 'reservation.expired', 'reservation.used'],
        },
      })
    ).id;
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses without an active card, on an offline charger and a second time — nothing sent to SteVe', async () => {
    const reserveNow = vi.spyOn(sim, 'reserveNow');
    try {
      const noCard = await as<ReserveResult>('noCard', RESERVE, { id: single.id });
      expect(noCard.data!.reserveCharger).toEqual({
        __typename: 'NoActiveCardError',
        message: NO_ACTIVE_CARD_MESSAGE,
      });
      const offline = await t.app.services.db.charger.findFirstOrThrow({
        where: { chargeBoxId: { notIn: [single.chargeBoxId, double.chargeBoxId] } },
      });
      await t.app.services.db.charger.update({ where: { id: offline.id }, data: { state: 'OFFLINE' } });
      const res = await as<ReserveResult>('other', RESERVE, { id: encodeGlobalID('Charger', offline.id) });
      expect(res.data!.reserveCharger).toEqual({
        __typename: 'ChargerUnavailableError',
        message: CHARGER_UNAVAILABLE_MESSAGE,
      });
      expect(reserveNow).not.toHaveBeenCalled();
    } finally {
      reserveNow.mockRestore();
    }
  });

  it('reserves a free connector for the configured time; others see it reserved and cannot start there', async () => {
    const res = await as<ReserveResult>('holder', RESERVE, { id: single.id });
    const r = res.data!.reserveCharger;
    expect(r).toMatchObject({ __typename: 'Reservation', status: 'ACCEPTED', connectorNumber: 1 });
    expect(new Date(r.expiresAt!).getTime() - clock.now().getTime()).toBe(20 * 60_000);

    // Twice: a typed error, no second ReserveNow.
    const reserveNow = vi.spyOn(sim, 'reserveNow');
    const again = await as<ReserveResult>('holder', RESERVE, { id: double.id });
    expect(again.data!.reserveCharger).toEqual({
      __typename: 'AlreadyReservedError',
      message: ALREADY_RESERVED_MESSAGE,
    });
    expect(reserveNow).not.toHaveBeenCalled();
    reserveNow.mockRestore();

    await sync();
    const chargers = await as<{ chargers: { nodes: { chargeBoxId: string; state: string }[] } }>(
      'other',
      '{ chargers(first: 20) { nodes { chargeBoxId state } } }',
      {},
    );
    expect(chargers.data!.chargers.nodes.find((c) => c.chargeBoxId === single.chargeBoxId)!.state).toBe(
      'RESERVED',
    );
    const remoteStart = vi.spyOn(sim, 'remoteStart');
    const start = await as<{ startCharging: { __typename: string } }>('other', START, { id: single.id });
    expect(start.data!.startCharging.__typename).toBe('ChargerUnavailableError');
    expect(remoteStart).not.toHaveBeenCalled();
    remoteStart.mockRestore();

    // The holder sees it as their active reservation.
    const mine = await as<{ activeReservation: { id: string } | null }>(
      'holder',
      '{ activeReservation { id expiresAt charger { chargeBoxId } } }',
      {},
    );
    expect(mine.data!.activeReservation?.id).toBe(r.id);
    const theirs = await as<{ activeReservation: unknown }>('other', '{ activeReservation { id } }', {});
    expect(theirs.data!.activeReservation).toBeNull();
  });

  it('someone else’s reservation id cannot be cancelled (no SteVe call); the holder starts on it', async () => {
    const mine = await as<{ activeReservation: { id: string } }>(
      'holder',
      '{ activeReservation { id } }',
      {},
    );
    const id = mine.data!.activeReservation.id;
    const cancel = vi.spyOn(sim, 'cancelReservation');
    const res = await as<{ cancelReservation: unknown }>('other', CANCEL, { id });
    expect(res.data!.cancelReservation).toEqual({
      __typename: 'ReservationNotFoundError',
      message: RESERVATION_NOT_FOUND_MESSAGE,
    });
    expect(cancel).not.toHaveBeenCalled();
    cancel.mockRestore();

    const remoteStart = vi.spyOn(sim, 'remoteStart');
    const start = await as<{ startCharging: { __typename: string; startRequest?: { outcome: string } } }>(
      'holder',
      START,
      { id: single.id },
    );
    expect(start.data!.startCharging).toMatchObject({
      __typename: 'StartChargingSuccess',
      startRequest: { outcome: 'ACCEPTED' },
    });
    expect(remoteStart).toHaveBeenCalledWith(expect.objectContaining({ connectorId: 1 }));
    remoteStart.mockRestore();
    clock.advance(5_000);
    await sync();
    const session = await t.app.services.db.chargingSession.findFirstOrThrow({
      where: { driverId: people.holder.id, status: 'ACTIVE' },
      include: { charger: true },
    });
    expect(session.charger.chargeBoxId).toBe(single.chargeBoxId);
    const used = await t.app.services.db.reservation.findUniqueOrThrow({ where: { id } });
    expect(used.status).toBe('COMPLETED');
  });

  it('cancels the driver’s own reservation; the connector is free again', async () => {
    const res = await as<ReserveResult>('other', RESERVE, { id: double.id, n: 2 });
    expect(res.data!.reserveCharger).toMatchObject({ __typename: 'Reservation', connectorNumber: 2 });
    const cancelled = await as<{ cancelReservation: { __typename: string; status?: string } }>(
      'other',
      CANCEL,
      {
        id: res.data!.reserveCharger.id,
      },
    );
    expect(cancelled.data!.cancelReservation).toEqual({
      __typename: 'Reservation',
      id: res.data!.reserveCharger.id,
      status: 'CANCELLED',
    });
    await sync();
    const connector = await t.app.services.db.connector.findFirstOrThrow({
      where: { charger: { chargeBoxId: double.chargeBoxId }, connectorId: 2 },
    });
    expect(connector.status).toBe('Available');
    // Once cancelled, the same id is over: a second cancel sends nothing.
    const cancel = vi.spyOn(sim, 'cancelReservation');
    const twice = await as<{ cancelReservation: { __typename: string } }>('other', CANCEL, {
      id: res.data!.reserveCharger.id,
    });
    expect(twice.data!.cancelReservation.__typename).toBe('ReservationNotFoundError');
    expect(cancel).not.toHaveBeenCalled();
    cancel.mockRestore();
  });

  it('notifies the driver: session ended, stopped by the charger, reservation expires in 5 minutes', async () => {
    type Note = { driverNotifications: { kind: string; message: string; chargerName: string } };
    const stream = sseSubscribe<Note>(
      t.url,
      'subscription { driverNotifications { id kind message chargerName } }',
      { cookie: people.holder.cookie, origin: t.url },
    );
    const kinds = () => stream.events.map((e) => e.data?.driverNotifications.kind);
    try {
      // The holder's session (started on the reservation above) ends at the station.
      const session = await t.app.services.db.chargingSession.findFirstOrThrow({
        where: { driverId: people.holder.id, status: 'ACTIVE' },
      });
      await waitUntil(() => stream.status === 200, 'the stream');
      await sim.remoteStop({ chargeBoxId: single.chargeBoxId, transactionPk: session.steveTransactionPk });
      clock.advance(5_000);
      await sync();
      await waitUntil(() => kinds().includes('SESSION_ENDED'), 'session ended');
      expect(stream.events[0]!.data!.driverNotifications.message).toMatch(
        /^Your session at .+ ended: [\d.]+ kWh\.$/,
      );

      // A session the charger stopped (the car left, power failed …) says so.
      await t.app.services.db.chargingSession
        .create({
          data: {
            steveTransactionPk: 900_001,
            chargerId: session.chargerId,
            connectorNumber: 1,
            idTag: session.idTag,
            driverId: people.holder.id,
            status: 'COMPLETED',
            startedAt: clock.now(),
            stoppedAt: clock.now(),
            stopReason: 'EVDisconnected',
            meterStartWh: 0,
            energyKwh: 3.5,
          },
        })
        .then((s) => t.app.services.pubsub.publish('driver:session', people.holder.id, { sessionId: s.id }));
      await waitUntil(() => kinds().includes('STOPPED_BY_CHARGER'), 'stopped by the charger');
      expect(stream.events.at(-1)!.data!.driverNotifications.message).toContain(
        'stopped by the charger (EVDisconnected)',
      );

      // A reservation 5 minutes (and a moment) from expiry warns once that moment has passed.
      const res = await as<ReserveResult>('holder', RESERVE, { id: double.id });
      expect(res.data!.reserveCharger.__typename).toBe('Reservation');
      await t.app.services.db.reservation.update({
        where: { id: res.data!.reserveCharger.id },
        data: { expiresAt: new Date(clock.now().getTime() + RESERVATION_WARNING_MS + 300) },
      });
      t.app.services.pubsub.publish('driver:reservation', people.holder.id, { userId: people.holder.id });
      await waitUntil(() => kinds().includes('RESERVATION_EXPIRING'), 'reservation expiring');
      expect(stream.events.at(-1)!.data!.driverNotifications.message).toMatch(
        /reservation at .+ expires in 5 minutes/,
      );
      expect(kinds().filter((k) => k === 'RESERVATION_EXPIRING')).toHaveLength(1);
    } finally {
      await stream.close();
    }
  });

  it('stores reservation.* events with each change (outbox) and queues them for the subscribed webhook', async () => {
    // The reservation left open above expires once its time has passed and the sync ran.
    clock.advance(21 * 60_000);
    await sync();
    const db = t.app.services.db;
    const reservations = await db.reservation.findMany({ orderBy: { createdAt: 'asc' } });
    const events = await db.domainEvent.findMany({
      where: { type: { startsWith: 'reservation.' } },
      orderBy: [{ stream: 'asc' }, { sequence: 'asc' }],
      include: { deliveries: { select: { endpointId: true } } },
    });
    const typesOf = (id: string) => events.filter((e) => e.stream === `reservation:${id}`).map((e) => e.type);
    const [used, cancelled, expired] = reservations;
    expect(reservations.map((r) => r.status)).toEqual(['COMPLETED', 'CANCELLED', 'EXPIRED']);
    expect(typesOf(used!.id)).toEqual(['reservation.created', 'reservation.used']);
    expect(typesOf(cancelled!.id)).toEqual(['reservation.created', 'reservation.cancelled']);
    expect(typesOf(expired!.id)).toEqual(['reservation.created', 'reservation.expired']);
    // Numbered per reservation, with the facts a partner needs.
    expect(events.filter((e) => e.stream === `reservation:${used!.id}`).map((e) => e.sequence)).toEqual([
      1, 2,
    ]);
    const cancel = events.find((e) => e.type === 'reservation.cancelled')!;
    expect(cancel.payload).toMatchObject({
      reservationId: cancelled!.id,
      chargerId: double.id,
      connectorNumber: 2,
      status: 'CANCELLED',
      reason: 'CancelledByDriver',
    });
    // Every one of them waits for delivery to the endpoint that asked for reservation events.
    expect(events.every((e) => e.deliveries.some((d) => d.endpointId === endpointId))).toBe(true);
  });
});
