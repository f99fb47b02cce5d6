import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import {
  createSteveTestDatabase,
  type SteveTestDatabase,
} from '../../integrations/steve/fixtures/mariadb.ts';
import { steveDbReservations } from '../../integrations/steve/fixtures/steve-db-reservations.ts';
import { RealSteveAdapter } from '../../integrations/steve/real-adapter.ts';
import {
  startFakeSteveRest,
  type FakeSteveRest,
} from '../../integrations/steve/simulator/fake-steve-rest.ts';
import { ManualClock } from '../sync/test-helpers.ts';
import {
  ALREADY_RESERVED_MESSAGE,
  RESERVATION_NOT_FOUND_MESSAGE,
  RESERVATION_REJECTED_MESSAGE,
} from './charging.errors.ts';
import { giveCard } from './test-fixtures.ts';

/**
 * Reservations end to end through the real SteVe adapter: its REST client talks to the stand-in
 * that checks every request against SteVe's published spec and writes SteVe's `reservation` rows
 * the way SteVe does (insert WAITING first, ACCEPTED / hard delete on the answer, CANCELLED), and
 * its database reader reads them back from a real MariaDB with SteVe's schema.
 */
const SERVER_URL = process.env.TEST_MARIADB_URL;

const RESERVE = `mutation ($id: ID!, $n: Int) {
  reserveCharger(chargerId: $id, connectorNumber: $n) {
    __typename
    ... on Reservation { id status connectorNumber expiresAt }
    ... on Error { message }
  }
}`;
const CANCEL = `mutation ($id: ID!) {
  cancelReservation(id: $id) { __typename ... on Reservation { id status } ... on Error { message } }
}`;
const START = `mutation ($id: ID!) {
  startCharging(chargerId: $id) {
    __typename
    ... on StartChargingSuccess { startRequest { id outcome } }
    ... on Error { message }
  }
}`;

interface Reserved {
  reserveCharger: {
    __typename: string;
    id?: string;
    status?: string;
    connectorNumber?: number;
    message?: string;
  };
}

describe.skipIf(!SERVER_URL)(
  'reservations through the real SteVe adapter (spec-checking stand-in, MariaDB)',
  () => {
    let t: TestApp;
    let steveDb: SteveTestDatabase;
    let fake: FakeSteveRest;
    let adapter: RealSteveAdapter;
    let clock: ManualClock;
    const people: Record<'holder' | 'other', { id: string; cookie: string; idTag: string }> = {} as never;
    const boxes = ['PX-R1', 'PX-R2', 'PX-R3', 'PX-R4'] as const;
    const chargerIds: Record<string, string> = {};

    const sql = (q: string, params: unknown[] = []) => steveDb.admin.query(q, params);
    const sync = async () => {
      const engine = t.app.services.sync.engine;
      while (engine.running) await new Promise((r) => setTimeout(r, 10));
      const run = await engine.run({ trigger: 'MANUAL' });
      expect(run.error).toBeNull();
    };
    const as = <T>(who: keyof typeof people, query: string, variables: Record<string, unknown>) =>
      t.graphql<T>(query, variables, { cookie: people[who].cookie });
    const operations = (action: string) =>
      fake.requests.filter((r) => r.path.endsWith(`/operations/${action}`)).map((r) => r.body);
    const steveRows = async () =>
      (
        await sql(
          `SELECT r.reservation_pk AS pk, e.charge_box_id AS box, r.status FROM reservation r
           JOIN evse e ON e.evse_pk = r.evse_pk ORDER BY r.reservation_pk`,
        )
      )[0] as { pk: number; box: string; status: string }[];

    beforeAll(async () => {
      steveDb = await createSteveTestDatabase(SERVER_URL!);
      for (const [i, box] of boxes.entries()) {
        await sql(
          `INSERT INTO charge_box (charge_box_pk, charge_box_id, ocpp_protocol, registration_status, last_heartbeat_timestamp)
         VALUES (?, ?, 'ocpp1.6J', 'Accepted', UTC_TIMESTAMP(6))`,
          [i + 1, box],
        );
        await sql(`INSERT INTO evse (evse_pk, charge_box_id, evse_id) VALUES (?, ?, 1)`, [i + 1, box]);
        await sql(
          `INSERT INTO connector_status (evse_pk, status_timestamp, status, error_code)
         VALUES (?, UTC_TIMESTAMP(6), 'Available', 'NoError')`,
          [i + 1],
        );
      }
      fake = await startFakeSteveRest({
        username: 'polaris',
        password: 'pw',
        reservations: steveDbReservations(steveDb.admin),
      });
      adapter = new RealSteveAdapter({
        baseUrl: fake.baseUrl,
        username: 'polaris',
        password: 'pw',
        dbUrl: steveDb.url,
        timeouts: { operationMs: 500 },
      });
      clock = new ManualClock(new Date().toISOString());
      t = await createTestApp({ app: { background: false, steve: adapter, clock: clock.now } });
      for (const who of ['holder', 'other'] as const) {
        const u = await t.createUser();
        const card = await giveCard(t.app.services.db, adapter, u.id, { isPrimary: true });
        // The tag as SteVe's database has it (the stand-in keeps its REST tags in memory).
        await sql(`INSERT INTO ocpp_tag (id_tag, max_active_transaction_count) VALUES (?, 1)`, [card.idTag]);
        people[who] = { id: u.id, cookie: await t.signIn(u.email, u.password), idTag: card.idTag };
      }
      await sync();
      for (const c of await t.app.services.db.charger.findMany({
        where: { chargeBoxId: { in: [...boxes] } },
      })) {
        expect(c.state).toBe('ONLINE');
        chargerIds[c.chargeBoxId] = encodeGlobalID('Charger', c.id);
      }
    }, 120_000);

    afterAll(async () => {
      await t?.stop();
      await adapter?.close();
      await steveDb?.drop();
      await fake?.close(); // rejects if any request broke SteVe's spec
    });

    it('reserves: ReserveNow per spec, the reservation id read back from SteVe, mirrored by the sync', async () => {
      fake.stations.set('PX-R1', { kind: 'answer', response: 'Accepted' });
      const res = await as<Reserved>('holder', RESERVE, { id: chargerIds['PX-R1'] });
      expect(res.data!.reserveCharger).toMatchObject({
        __typename: 'Reservation',
        status: 'ACCEPTED',
        connectorNumber: 1,
      });
      const [body] = operations('ReserveNow') as { expiry: string }[];
      expect(body).toEqual({
        chargeBoxIdList: ['PX-R1'],
        connectorId: 1,
        idTag: people.holder.idTag,
        expiry: expect.any(String),
      });
      expect(Date.parse(body!.expiry) - clock.now().getTime()).toBe(15 * 60_000);
      const [row] = await steveRows();
      expect(row).toMatchObject({ box: 'PX-R1', status: 'ACCEPTED' });
      const mirrored = await t.app.services.db.reservation.findUniqueOrThrow({
        where: { id: res.data!.reserveCharger.id! },
      });
      expect(mirrored.steveReservationPk).toBe(row!.pk);

      await sync();
      expect(await t.app.services.db.reservation.count()).toBe(1);
      const again = await as<Reserved>('holder', RESERVE, { id: chargerIds['PX-R2'] });
      expect(again.data!.reserveCharger).toMatchObject({ message: ALREADY_RESERVED_MESSAGE });
      expect(operations('ReserveNow')).toHaveLength(1);
    });

    it('a start on the reserved charger goes to the reserved connector with the reserving card; SteVe marks it used', async () => {
      fake.addTag({ idTag: people.holder.idTag });
      const start = await as<{ startCharging: { __typename: string } }>('holder', START, {
        id: chargerIds['PX-R1'],
      });
      expect(start.data!.startCharging.__typename).toBe('StartChargingSuccess');
      expect(operations('RemoteStartTransaction').at(-1)).toEqual({
        chargeBoxIdList: ['PX-R1'],
        idTag: people.holder.idTag,
        connectorId: 1,
      });
      // The station starts with the reservation id: SteVe records the transaction and marks it USED.
      const [row] = await steveRows();
      await sql(
        `INSERT INTO transaction_start (transaction_pk, event_timestamp, evse_pk, id_tag, start_timestamp, start_value)
       VALUES (1, UTC_TIMESTAMP(6), 1, ?, UTC_TIMESTAMP(6), '1000')`,
        [people.holder.idTag],
      );
      await sql(
        `UPDATE reservation SET status = 'USED', transaction_pk = 1, status_timestamp = UTC_TIMESTAMP(6) WHERE reservation_pk = ?`,
        [row!.pk],
      );
      clock.advance(5_000);
      await sync();
      const used = await t.app.services.db.reservation.findUniqueOrThrow({
        where: { steveReservationPk: row!.pk },
      });
      expect(used).toMatchObject({ status: 'COMPLETED', steveTransactionPk: 1 });
      const events = await t.app.services.db.domainEvent.findMany({
        where: { stream: `reservation:${used.id}` },
        orderBy: { sequence: 'asc' },
      });
      expect(events.map((e) => e.type)).toEqual(['reservation.created', 'reservation.used']);
    });

    it('cancels: CancelReservation with SteVe’s reservation id; SteVe and Polaris both say CANCELLED, one event', async () => {
      fake.stations.set('PX-R2', { kind: 'answer', response: 'Accepted' });
      const res = await as<Reserved>('other', RESERVE, { id: chargerIds['PX-R2'] });
      const id = res.data!.reserveCharger.id!;
      const { steveReservationPk } = await t.app.services.db.reservation.findUniqueOrThrow({ where: { id } });
      const cancelled = await as<{ cancelReservation: unknown }>('other', CANCEL, { id });
      expect(cancelled.data!.cancelReservation).toEqual({
        __typename: 'Reservation',
        id,
        status: 'CANCELLED',
      });
      expect(operations('CancelReservation').at(-1)).toEqual({
        chargeBoxIdList: ['PX-R2'],
        reservationId: steveReservationPk,
      });
      expect((await steveRows()).find((r) => r.pk === steveReservationPk)?.status).toBe('CANCELLED');
      await sync();
      const events = await t.app.services.db.domainEvent.findMany({ where: { stream: `reservation:${id}` } });
      expect(events.map((e) => e.type).sort()).toEqual(['reservation.cancelled', 'reservation.created']);
    });

    it('refused by the charger: the typed error, SteVe deleted its row, nothing held in Polaris', async () => {
      fake.stations.set('PX-R3', { kind: 'answer', response: 'Occupied' });
      const before = await steveRows();
      const res = await as<Reserved>('other', RESERVE, { id: chargerIds['PX-R3'] });
      expect(res.data!.reserveCharger).toEqual({
        __typename: 'ReservationRejectedError',
        message: RESERVATION_REJECTED_MESSAGE,
      });
      expect(await steveRows()).toEqual(before);
      await sync();
      const active = await as<{ activeReservation: unknown }>('other', '{ activeReservation { id } }', {});
      expect(active.data!.activeReservation).toBeNull();
    });

    it('timed out (no answer, or SteVe hangs): the typed error; the row SteVe left WAITING does not hold the driver', async () => {
      fake.stations.set('PX-R3', { kind: 'noAnswer' });
      const res = await as<Reserved>('other', RESERVE, { id: chargerIds['PX-R3'] });
      expect(res.data!.reserveCharger).toMatchObject({ message: RESERVATION_REJECTED_MESSAGE });
      const waiting = (await steveRows()).at(-1)!;
      expect(waiting).toMatchObject({ box: 'PX-R3', status: 'WAITING' });

      fake.stations.set('PX-R4', { kind: 'hang' });
      const hung = await as<Reserved>('other', RESERVE, { id: chargerIds['PX-R4'] });
      expect(hung.data!.reserveCharger).toMatchObject({ message: RESERVATION_REJECTED_MESSAGE });

      // SteVe waits 30 s for an answer and treats a later one as a failure: a WAITING row older than
      // that will never hold a connector, so the sync ends it and the driver may reserve again.
      clock.advance(2 * 60_000);
      await sync();
      const mirrored = await t.app.services.db.reservation.findUniqueOrThrow({
        where: { steveReservationPk: waiting.pk },
      });
      expect(mirrored).toMatchObject({ status: 'CANCELLED', statusReason: 'NoAnswer' });
      fake.stations.set('PX-R3', { kind: 'answer', response: 'Accepted' });
      const retry = await as<Reserved>('other', RESERVE, { id: chargerIds['PX-R3'] });
      expect(retry.data!.reserveCharger).toMatchObject({ __typename: 'Reservation', status: 'ACCEPTED' });
    });

    it('expired: the sync records the expiry SteVe never writes; cancelling it sends nothing', async () => {
      const mine = await as<{ activeReservation: { id: string } }>(
        'other',
        '{ activeReservation { id } }',
        {},
      );
      const id = mine.data!.activeReservation.id;
      clock.advance(16 * 60_000);
      await sync();
      const expired = await t.app.services.db.reservation.findUniqueOrThrow({ where: { id } });
      expect(expired.status).toBe('EXPIRED');
      const sent = operations('CancelReservation').length;
      const cancel = await as<{ cancelReservation: { message?: string } }>('other', CANCEL, { id });
      expect(cancel.data!.cancelReservation).toMatchObject({ message: RESERVATION_NOT_FOUND_MESSAGE });
      expect(operations('CancelReservation')).toHaveLength(sent);
      const events = await t.app.services.db.domainEvent.findMany({ where: { stream: `reservation:${id}` } });
      expect(events.map((e) => e.type).sort()).toEqual(['reservation.created', 'reservation.expired']);
    });
  },
);
