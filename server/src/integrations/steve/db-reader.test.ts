import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SteveDbReader } from './db-reader.ts';
import { SteveError } from './errors.ts';
import { createSteveTestDatabase, type SteveTestDatabase } from './fixtures/mariadb.ts';
import type { MeterSampleCursor, SteveMeterSample, SteveTransaction, TimeCursor } from './port.ts';

const SERVER_URL = process.env.TEST_MARIADB_URL;

async function expectSchemaRefusal(reader: SteveDbReader): Promise<SteveError> {
  const error = await reader.listChargePoints().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SteveError);
  expect((error as SteveError).code).toBe('SCHEMA_UNSUPPORTED');
  return error as SteveError;
}

describe.skipIf(!SERVER_URL)('steve db reader (MariaDB, SteVe schema 1.1.6 fixture)', () => {
  let db: SteveTestDatabase;
  let reader: SteveDbReader;

  const exec = async (sql: string, params: unknown[] = []) => {
    await db.admin.query(sql, params);
  };

  beforeAll(async () => {
    db = await createSteveTestDatabase(SERVER_URL!);
    reader = new SteveDbReader({ dbUrl: db.url });

    // Three stations; CP-B has two connectors with powers, CP-A a station-wide evse 0 row and a site.
    await exec(
      `INSERT INTO address (address_pk, street, house_number, zip_code, city, country, latitude, longitude) VALUES
       (1, 'Hafenstraße', '12', '20457', 'Hamburg', 'DE', 53.54321, 9.98765)`,
    );
    await exec(
      `INSERT INTO charge_box (charge_box_pk, charge_box_id, ocpp_protocol, charge_point_vendor, charge_point_model, fw_version,
         last_heartbeat_timestamp, description, address_pk) VALUES
       (1, 'CP-A', 'ocpp1.6J', 'ABB', 'Terra AC', '1.2.3', '2026-03-01 11:59:00.123456', 'Depot', 1),
       (2, 'CP-B', 'ocpp1.6J', 'Alfen', 'Eve Double', NULL, NULL, NULL, NULL),
       (3, 'CP-C', NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
    );
    await exec(
      `INSERT INTO evse (evse_pk, charge_box_id, evse_id) VALUES (1, 'CP-A', 0), (2, 'CP-A', 1), (3, 'CP-B', 1), (4, 'CP-B', 2), (5, 'CP-C', 1)`,
    );
    await exec(
      `INSERT INTO evse_connector (evse_pk, connector_id, power_type, max_electric_power, connector_type) VALUES (3, 1, 'AC_3_PHASE', 11000, NULL), (4, 1, 'DC', 50000, 'CCS2')`,
    );
    await exec(
      `INSERT INTO connector_status (evse_pk, status_timestamp, status, error_code, error_info) VALUES
       (1, '2026-03-01 10:00:00', 'Available', 'NoError', NULL),
       (2, '2026-03-01 10:00:00', 'Available', 'NoError', NULL),
       (2, '2026-03-01 10:05:00', 'Preparing', 'NoError', NULL),
       (2, '2026-03-01 10:05:02', 'Charging', 'NoError', NULL),
       (2, '2026-03-01 09:00:00', 'Faulted', 'GroundFailure', 'late delivery of an old status'),
       (3, '2026-03-01 08:00:00', 'Available', 'NoError', NULL),
       (3, '2026-03-01 08:00:00', 'Faulted', 'HighTemperature', 'tie on the timestamp')`,
    );
    await exec(
      `INSERT INTO ocpp_tag (ocpp_tag_pk, id_tag, max_active_transaction_count, note, updated_at, expiry_date) VALUES
       (1, 'TAG-1', 1, 'first', '2026-03-01 09:00:00.000100', NULL),
       (2, 'TAG-2', 0, NULL, '2026-03-01 09:00:00.000900', '2027-01-01 00:00:00'),
       (3, 'TAG-3', -1, NULL, '2026-03-01 09:00:01', NULL)`,
    );
    await exec(`INSERT INTO user (user_pk, first_name) VALUES (7, 'Ada')`);
    await exec(`INSERT INTO user_ocpp_tag (user_pk, ocpp_tag_pk) VALUES (7, 1)`);
    await exec(
      `INSERT INTO transaction_start (transaction_pk, event_timestamp, evse_pk, id_tag, start_timestamp, start_value) VALUES
       (1, '2026-03-01 08:00:00.5', 2, 'TAG-1', '2026-03-01 08:00:00', '1000'),
       (2, '2026-03-01 09:00:00', 3, 'TAG-3', '2026-03-01 09:00:00', '50000'),
       (3, '2026-03-01 10:05:02', 2, 'TAG-1', '2026-03-01 10:05:02', '9000'),
       (4, '2026-03-01 10:10:00', 4, 'TAG-3', '2026-03-01 10:10:00', '70000')`,
    );
    // tx 1: manual stop superseded by the station's own; tx 2: two stops in one millisecond.
    await exec(
      `INSERT INTO transaction_stop (transaction_pk, event_timestamp, event_actor, stop_timestamp, stop_value, stop_reason) VALUES
       (1, '2026-03-01 09:00:00.000100', 'manual', '2026-03-01 09:00:00', '8000', NULL),
       (1, '2026-03-01 09:30:00', 'station', '2026-03-01 09:29:00', '8500', 'Local'),
       (2, '2026-03-01 09:30:00.000200', 'station', '2026-03-01 09:40:00', '60000', 'Remote')`,
    );
    // Meter values: tagged rows for tx 3 (kWh, per-phase power), untagged rows inside tx 1's window.
    await exec(
      `INSERT INTO connector_meter_value (evse_pk, transaction_pk, value_timestamp, value, measurand, unit, phase, format) VALUES
       (2, 3, '2026-03-01 10:06:00', '9.5', 'Energy.Active.Import.Register', 'kWh', NULL, 'Raw'),
       (2, 3, '2026-03-01 10:06:00', '3700', 'Power.Active.Import', 'W', 'L1', NULL),
       (2, 3, '2026-03-01 10:06:00', '3600', 'Power.Active.Import', 'W', 'L2', NULL),
       (2, 3, '2026-03-01 10:06:00', '61', 'SoC', 'Percent', NULL, NULL),
       (2, 3, '2026-03-01 10:07:00', '9700', NULL, NULL, NULL, NULL),
       (2, 3, '2026-03-01 10:07:00', 'abcdef', 'Energy.Active.Import.Register', NULL, NULL, 'SignedData'),
       (2, 3, '2026-03-01 10:08:00', '9900', 'Energy.Active.Import.Register', 'Wh', NULL, NULL),
       (2, 3, '2026-03-01 10:08:00', '7.2', 'Power.Active.Import', 'kW', NULL, NULL),
       (2, NULL, '2026-03-01 08:30:00', '4000', 'Energy.Active.Import.Register', 'Wh', NULL, NULL),
       (2, NULL, '2026-03-01 09:10:00', '7000', 'Energy.Active.Import.Register', 'Wh', NULL, NULL),
       (2, NULL, '2026-03-01 09:45:00', '8600', 'Energy.Active.Import.Register', 'Wh', NULL, NULL)`,
    );
    await exec(
      `INSERT INTO reservation (reservation_pk, evse_pk, id_tag, start_datetime, expiry_datetime, status, status_timestamp, updated_at) VALUES
       (1, 3, 'TAG-1', '2026-03-01 07:00:00', '2026-03-01 07:30:00', 'ACCEPTED', '2026-03-01 07:00:00', '2026-03-01 07:00:00.5'),
       (2, 4, 'TAG-3', '2026-03-01 10:00:00', '2026-03-01 10:30:00', 'USED', '2026-03-01 10:10:00', '2026-03-01 10:10:00')`,
    );
    await exec(`UPDATE reservation SET transaction_pk = 4 WHERE reservation_pk = 2`);
  });

  afterAll(async () => {
    await reader?.close();
    await db?.drop();
  });

  it('accepts the supported schema version', async () => {
    expect(await reader.schemaVersion()).toBe('1.1.6');
  });

  it('lists charge points with their connectors (not evse 0), paged by pk', async () => {
    const first = await reader.listChargePoints({ limit: 2 });
    expect(first.items.map((cp) => cp.chargeBoxId)).toEqual(['CP-A', 'CP-B']);
    expect(first).toMatchObject({ cursor: 2, hasMore: true });
    const [a, b] = first.items;
    expect(a).toMatchObject({
      pk: 1,
      vendor: 'ABB',
      model: 'Terra AC',
      firmwareVersion: '1.2.3',
      ocppProtocol: 'ocpp1.6J',
      registrationStatus: 'Accepted',
      description: 'Depot',
    });
    expect(a?.lastHeartbeatAt?.toISOString()).toBe('2026-03-01T11:59:00.123Z');
    expect(a?.location).toEqual({
      latitude: 53.54321,
      longitude: 9.98765,
      address: 'Hafenstraße 12, 20457 Hamburg, DE',
    });
    expect(b?.location).toEqual({ latitude: null, longitude: null, address: null });
    expect(a?.connectors).toEqual([
      { connectorId: 1, evsePk: 2, maxPowerW: null, powerType: null, connectorType: null },
    ]);
    expect(b?.connectors).toEqual([
      { connectorId: 1, evsePk: 3, maxPowerW: 11000, powerType: 'AC', connectorType: null },
      { connectorId: 2, evsePk: 4, maxPowerW: 50000, powerType: 'DC', connectorType: 'CCS2' },
    ]);
    const rest = await reader.listChargePoints({ afterPk: first.cursor, limit: 2 });
    expect(rest.items.map((cp) => cp.chargeBoxId)).toEqual(['CP-C']);
    expect(rest.hasMore).toBe(false);
  });

  it('gives the latest status per connector by station timestamp, with deterministic ties', async () => {
    const page = await reader.listConnectorStatuses();
    const byEvse = new Map(page.items.map((s) => [s.evsePk, s]));
    expect(byEvse.get(1)).toMatchObject({ chargeBoxId: 'CP-A', connectorId: 0, status: 'Available' });
    // The late-delivered 09:00 Faulted row does not override the 10:05:02 Charging row.
    expect(byEvse.get(2)).toMatchObject({ connectorId: 1, status: 'Charging', errorCode: 'NoError' });
    expect(byEvse.get(2)?.statusAt?.toISOString()).toBe('2026-03-01T10:05:02.000Z');
    expect(byEvse.get(3)).toMatchObject({ status: 'Faulted', errorCode: 'HighTemperature' });
    expect(byEvse.get(5)).toMatchObject({ chargeBoxId: 'CP-C', status: null, statusAt: null });
    const onlyB = await reader.listConnectorStatuses({ chargeBoxIds: ['cp-b'] });
    expect(onlyB.items.map((s) => s.evsePk)).toEqual([3, 4]);
    const paged = await reader.listConnectorStatuses({ afterPk: 2, limit: 2 });
    expect(paged.items.map((s) => s.evsePk)).toEqual([3, 4]);
    expect(paged).toMatchObject({ cursor: 4, hasMore: true });
  });

  it('lists transactions by pk with the latest stop row (a superseded manual stop is replaced)', async () => {
    const page = await reader.listTransactions({ afterPk: 0, limit: 10 });
    expect(page.items.map((t) => t.pk)).toEqual([1, 2, 3, 4]);
    const tx1 = page.items[0]!;
    expect(tx1).toMatchObject({
      chargeBoxId: 'CP-A',
      chargePointPk: 1,
      connectorId: 1,
      idTag: 'TAG-1',
      tagPk: 1,
      meterStartWh: 1000,
      meterStopWh: 8500,
      stopReason: 'Local',
      stopActor: 'station',
    });
    expect(tx1.startedAt.toISOString()).toBe('2026-03-01T08:00:00.000Z');
    expect(tx1.startEventAt.toISOString()).toBe('2026-03-01T08:00:00.500Z');
    expect(tx1.stoppedAt?.toISOString()).toBe('2026-03-01T09:29:00.000Z');
    const active = await reader.listTransactions({ activeOnly: true });
    expect(active.items.map((t) => t.pk)).toEqual([3, 4]);
    expect(active.items[0]).toMatchObject({ stoppedAt: null, meterStopWh: null, stopActor: null });
    const after2 = await reader.listTransactions({ afterPk: 2, limit: 1 });
    expect(after2).toMatchObject({ cursor: 3, hasMore: true });
    expect((await reader.getTransactions([4, 2, 99, 2])).map((t) => t.pk)).toEqual([2, 4]);
  });

  it('pages stop events by (event time, pk) without repeats or gaps, even for sub-millisecond timestamps', async () => {
    const seen: Array<[number, string | null]> = [];
    let cursor: TimeCursor = { at: new Date(0), pk: 0 };
    for (let guard = 0; guard < 10; guard++) {
      const page = await reader.listStoppedTransactions({ after: cursor, limit: 1 });
      for (const t of page.items) seen.push([t.pk, t.stopActor]);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    // tx 1 shows up for both of its stop rows, each time with the latest stop data.
    expect(seen).toEqual([
      [1, 'station'],
      [1, 'station'],
      [2, 'station'],
    ]);
    const since = await reader.listStoppedTransactions({
      after: { at: new Date('2026-03-01T09:30:00.000Z'), pk: 1 },
    });
    expect(since.items.map((t: SteveTransaction) => t.pk)).toEqual([2]);
    // From a transaction pk on (a key range: SteVe has no index on the stop time).
    const recent = await reader.listStoppedTransactions({ after: null, minTransactionPk: 2 });
    expect(recent.items.map((t: SteveTransaction) => t.pk)).toEqual([2]);
    const none = await reader.listStoppedTransactions({ after: null, minTransactionPk: 3 });
    expect(none.items).toEqual([]);
  });

  it('lists tags by (updated_at, pk) with active counts and owner', async () => {
    const all = await reader.listTags();
    expect(all.items.map((t) => t.idTag)).toEqual(['TAG-1', 'TAG-2', 'TAG-3']);
    expect(all.items[0]).toMatchObject({
      pk: 1,
      userPk: 7,
      note: 'first',
      activeTransactionCount: 1,
      blocked: false,
    });
    expect(all.items[1]).toMatchObject({
      blocked: true,
      maxActiveTransactionCount: 0,
      activeTransactionCount: 0,
    });
    expect(all.items[1]?.expiryDate?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(all.items[2]).toMatchObject({ maxActiveTransactionCount: -1, activeTransactionCount: 1 });
    // TAG-1 and TAG-2 share a millisecond: the pk breaks the tie and paging stays exact.
    const one = await reader.listTags({ limit: 1 });
    const two = await reader.listTags({ after: one.cursor, limit: 1 });
    const three = await reader.listTags({ after: two.cursor, limit: 5 });
    expect([...one.items, ...two.items, ...three.items].map((t) => t.pk)).toEqual([1, 2, 3]);
    expect(three.hasMore).toBe(false);

    await db.admin.query(
      `UPDATE ocpp_tag SET max_active_transaction_count = 0, updated_at = '2026-03-02 00:00:00' WHERE ocpp_tag_pk = 1`,
    );
    const changed = await reader.listTags({ after: three.cursor });
    expect(changed.items.map((t) => [t.idTag, t.blocked])).toEqual([['TAG-1', true]]);
    await db.admin.query(`UPDATE ocpp_tag SET max_active_transaction_count = 1 WHERE ocpp_tag_pk = 1`);
  });

  it('folds meter values per instant: kWh→Wh, summed phases, SignedData skipped, untagged rows by window', async () => {
    const page = await reader.listMeterValues({ transactionPks: [3, 1], limit: 100 });
    const tx3 = page.items.filter((s) => s.transactionPk === 3);
    expect(tx3.map((s) => [s.at.toISOString(), s.energyWh, s.powerW, s.socPercent])).toEqual([
      ['2026-03-01T10:06:00.000Z', 9500, 7300, 61],
      ['2026-03-01T10:07:00.000Z', 9700, null, null],
      ['2026-03-01T10:08:00.000Z', 9900, 7200, null],
    ]);
    const tx1 = page.items.filter((s) => s.transactionPk === 1);
    // 09:45 is after tx 1's final stop (09:29) so it is not attributed to it.
    expect(tx1.map((s) => s.energyWh)).toEqual([4000, 7000]);
    expect(tx1[0]).toMatchObject({ chargeBoxId: 'CP-A', connectorId: 1 });
    expect(page.items.map((s) => s.transactionPk)).toEqual([1, 1, 3, 3, 3]);

    const paged: SteveMeterSample[] = [];
    let after: MeterSampleCursor | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const next = await reader.listMeterValues({ transactionPks: [1, 3], after, limit: 2 });
      paged.push(...next.items);
      after = next.cursor;
      if (!next.hasMore) break;
    }
    expect(paged).toEqual(page.items);
    expect((await reader.listMeterValues({ transactionPks: [] })).items).toEqual([]);
  });

  it('lists reservations by updated_at, DATETIME columns read as UTC', async () => {
    const page = await reader.listReservations();
    expect(page.items.map((r) => r.pk)).toEqual([1, 2]);
    expect(page.items[0]).toMatchObject({
      chargeBoxId: 'CP-B',
      connectorId: 1,
      idTag: 'TAG-1',
      status: 'ACCEPTED',
      transactionPk: null,
    });
    expect(page.items[0]?.expiryAt.toISOString()).toBe('2026-03-01T07:30:00.000Z');
    expect(page.items[1]).toMatchObject({ status: 'USED', transactionPk: 4, connectorId: 2 });
    const later = await reader.listReservations({
      after: page.items[0] && { at: page.items[0].updatedAt, pk: 1 },
    });
    expect(later.items.map((r) => r.pk)).toEqual([2]);
    expect((await reader.findLatestReservation('CP-B', 2, 'TAG-3'))?.pk).toBe(2);
  });

  it('reads samples after an instant (`since`) across many transactions, in the same order', async () => {
    const all = await reader.listMeterValues({ transactionPks: [3, 1], limit: 100 });
    const since = new Date('2026-03-01T09:00:00.000Z');
    const later = await reader.listMeterValues({ transactionPks: [3, 1], since, limit: 100 });
    expect(later.items).toEqual(all.items.filter((s) => s.at > since));
    expect(later.items.map((s) => [s.transactionPk, s.energyWh])).toEqual([
      [1, 7000],
      [3, 9500],
      [3, 9700],
      [3, 9900],
    ]);
    // Strictly after: a sample exactly at `since` is not repeated.
    const edge = await reader.listMeterValues({
      transactionPks: [3],
      since: new Date('2026-03-01T10:07:00.000Z'),
    });
    expect(edge.items.map((s) => s.energyWh)).toEqual([9900]);
  });

  it('lists every tag pk and reads reservations by pk, deleted ones absent (hard deletes)', async () => {
    await exec(`INSERT INTO ocpp_tag (ocpp_tag_pk, id_tag) VALUES (8, 'TAG-DOOMED')`);
    await exec(
      `INSERT INTO reservation (reservation_pk, evse_pk, id_tag, start_datetime, expiry_datetime, status, status_timestamp)
       VALUES (8, 3, 'TAG-DOOMED', '2026-03-01 11:00:00', '2026-03-01 11:30:00', 'WAITING', '2026-03-01 11:00:00')`,
    );
    expect((await reader.listTagPks()).items).toEqual([1, 2, 3, 8]);
    const paged = await reader.listTagPks({ afterPk: 1, limit: 2 });
    expect(paged).toEqual({ items: [2, 3], cursor: 3, hasMore: true });
    expect((await reader.getReservations([8, 2, 404])).map((r) => [r.pk, r.status])).toEqual([
      [2, 'USED'],
      [8, 'WAITING'],
    ]);

    // Deleting the tag cascades to its reservations, as SteVe's REST delete does.
    await exec(`DELETE FROM ocpp_tag WHERE ocpp_tag_pk = 8`);
    expect((await reader.listTagPks()).items).toEqual([1, 2, 3]);
    expect((await reader.getReservations([8, 2])).map((r) => r.pk)).toEqual([2]);
    expect(await reader.getReservations([])).toEqual([]);
  });

  it('lists stored charging profiles with their periods (power_limit, as SteVe names it since 1.0.3)', async () => {
    await exec(
      `INSERT INTO charging_profile (charging_profile_pk, stack_level, charging_profile_purpose, charging_profile_kind,
         charging_rate_unit, description) VALUES
       (1, 1, 'TxDefaultProfile', 'Absolute', 'A', 'Grid peak'),
       (2, 2, 'TxProfile', 'Relative', 'W', NULL)`,
    );
    await exec(
      `INSERT INTO charging_schedule_period (charging_profile_pk, start_period_in_seconds, power_limit, number_phases) VALUES
       (1, 0, 16.0, 3), (2, 7200, 7400.0, NULL), (2, 0, 11000.0, 3)`,
    );
    expect(await reader.listChargingProfiles()).toEqual([
      {
        pk: 1,
        description: 'Grid peak',
        stackLevel: 1,
        purpose: 'TxDefaultProfile',
        kind: 'Absolute',
        chargingRateUnit: 'A',
        periods: [{ startPeriodSeconds: 0, limit: 16, numberPhases: 3 }],
      },
      {
        pk: 2,
        description: null,
        stackLevel: 2,
        purpose: 'TxProfile',
        kind: 'Relative',
        chargingRateUnit: 'W',
        periods: [
          { startPeriodSeconds: 0, limit: 11000, numberPhases: 3 },
          { startPeriodSeconds: 7200, limit: 7400, numberPhases: null },
        ],
      },
    ]);
  });

  it('loses a deleted charge point with its whole history, as SteVe cascades', async () => {
    await exec(`INSERT INTO charge_box (charge_box_pk, charge_box_id) VALUES (9, 'CP-GONE')`);
    await exec(`INSERT INTO evse (evse_pk, charge_box_id, evse_id) VALUES (9, 'CP-GONE', 1)`);
    await exec(
      `INSERT INTO transaction_start (transaction_pk, evse_pk, id_tag, start_timestamp, start_value) VALUES (9, 9, 'TAG-2', NOW(6), '1')`,
    );
    expect((await reader.getTransactions([9])).map((t) => t.chargeBoxId)).toEqual(['CP-GONE']);
    await exec(`DELETE FROM charge_box WHERE charge_box_pk = 9`);
    expect((await reader.listChargePoints()).items.map((cp) => cp.pk)).toEqual([1, 2, 3]);
    expect(await reader.getTransactions([9])).toEqual([]);
  });
});

describe.skipIf(!SERVER_URL)('steve db reader schema check (MariaDB)', () => {
  it('refuses an unknown schema version, naming it and the supported ones', async () => {
    const db = await createSteveTestDatabase(SERVER_URL!);
    const reader = new SteveDbReader({ dbUrl: db.url });
    try {
      // A newer SteVe (or a fork) adds a migration this reader does not know.
      await db.admin.query(
        `INSERT INTO schema_version (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
         SELECT MAX(installed_rank) + 1, '1.1.7', 'future', 'SQL', 'V1_1_7__future.sql', 1, 'steve', 1, 1 FROM schema_version`,
      );
      const error = await expectSchemaRefusal(reader);
      expect(error.message).toContain('1.1.7');
      expect(error.message).toContain('supported schema versions: 1.1.5, 1.1.6');
      // The verdict is cached: an unsupported schema does not become supported by retrying.
      await expectSchemaRefusal(reader);
    } finally {
      await reader.close();
      await db.drop();
    }
  });

  it('records the history Flyway records for the real migrations and reads a 1.1.5 head', async () => {
    const db = await createSteveTestDatabase(SERVER_URL!, { schemaVersion: '1.1.5' });
    const reader = new SteveDbReader({ dbUrl: db.url });
    try {
      const [rows] = await db.admin.query<RowDataPacket[]>(
        'SELECT installed_rank, version, type, script FROM schema_version ORDER BY installed_rank',
      );
      expect(rows.map((r) => String(r.version))).toEqual([
        '1.0.5',
        '1.0.6',
        '1.0.7',
        '1.0.8',
        '1.0.9',
        '1.1.0',
        '1.1.1',
        '1.1.2',
        '1.1.3',
        '1.1.4',
        '1.1.5',
      ]);
      expect(rows[0]).toMatchObject({ type: 'SQL_BASELINE', script: 'B1_0_5__stevedb.sql' });
      expect(await reader.schemaVersion()).toBe('1.1.5');
      expect((await reader.listReservations()).items).toEqual([]);
    } finally {
      await reader.close();
      await db.drop();
    }
  });

  it('refuses a 1.1.4 head (no reservation status timestamp) and a failed migration', async () => {
    const old = await createSteveTestDatabase(SERVER_URL!, { schemaVersion: '1.1.4' });
    const oldReader = new SteveDbReader({ dbUrl: old.url });
    try {
      const error = await expectSchemaRefusal(oldReader);
      expect(error.message).toContain('schema version 1.1.4 is not supported');
    } finally {
      await oldReader.close();
      await old.drop();
    }
    const failed = await createSteveTestDatabase(SERVER_URL!);
    const failedReader = new SteveDbReader({ dbUrl: failed.url });
    try {
      await failed.admin.query(`UPDATE schema_version SET success = 0 WHERE version = '1.1.6'`);
      const error = await expectSchemaRefusal(failedReader);
      expect(error.message).toContain('failed Flyway migration (version 1.1.6)');
    } finally {
      await failedReader.close();
      await failed.drop();
    }
  });

  it('refuses a database without a schema_version table', async () => {
    const db = await createSteveTestDatabase(SERVER_URL!, { schema: false });
    const reader = new SteveDbReader({ dbUrl: db.url });
    try {
      const error = await expectSchemaRefusal(reader);
      expect(error.message).toContain("'schema_version'");
      expect(error.message).toContain('1.1.6');
    } finally {
      await reader.close();
      await db.drop();
    }
  });

  it('maps wrong credentials to AUTH and a closed port to UNREACHABLE', async () => {
    const url = new URL(SERVER_URL!);
    url.username = 'polaris_nobody';
    url.password = 'wrong';
    const denied = new SteveDbReader({ dbUrl: url.href });
    await expect(denied.schemaVersion()).rejects.toMatchObject({ code: 'AUTH' });
    await denied.close();
    const closed = new SteveDbReader({ dbUrl: 'mysql://root@127.0.0.1:1/stevedb' });
    await expect(closed.schemaVersion()).rejects.toMatchObject({ code: 'UNREACHABLE' });
    await closed.close();
  });
});
