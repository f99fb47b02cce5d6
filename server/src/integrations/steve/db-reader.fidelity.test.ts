import fc from 'fast-check';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SteveDbReader } from './db-reader.ts';
import { createSteveTestDatabase, type SteveTestDatabase } from './fixtures/mariadb.ts';
import { steveKey } from './key.ts';

const SERVER_URL = process.env.TEST_MARIADB_URL;

// Data written the way SteVe writes it, on the schema built from SteVe's own Flyway migrations.
describe.skipIf(!SERVER_URL)('steve db reader fidelity (real-migration schema)', () => {
  let db: SteveTestDatabase;
  let reader: SteveDbReader;
  const exec = async (sql: string, params: unknown[] = []) => {
    await db.admin.query(sql, params);
  };

  beforeAll(async () => {
    db = await createSteveTestDatabase(SERVER_URL!);
    reader = new SteveDbReader({ dbUrl: db.url });
    // Registered as `FID-Case-15`; the station connects as `fid-case-15`, which SteVe stores on
    // the evse rows it creates. Its tag is registered as `Tag-Ab` and presented as `TAG-AB`.
    await exec(
      `INSERT INTO charge_box (charge_box_pk, charge_box_id, ocpp_protocol) VALUES (15, 'FID-Case-15', 'ocpp1.6J')`,
    );
    await exec(`INSERT INTO evse (evse_pk, charge_box_id, evse_id) VALUES (150, 'fid-case-15', 1)`);
    await exec(`INSERT INTO ocpp_tag (ocpp_tag_pk, id_tag) VALUES (5, 'Tag-Ab')`);
    await exec(
      `INSERT INTO connector_status (evse_pk, status_timestamp, status, error_code) VALUES (150, '2026-03-01 10:00:00', 'Charging', 'NoError')`,
    );
    // tx 20 never stopped; tx 21 starts at 12:00 on the same connector, its first reading at 12:00.
    await exec(
      `INSERT INTO transaction_start (transaction_pk, event_timestamp, evse_pk, id_tag, start_timestamp, start_value) VALUES
       (20, '2026-03-01 10:00:00', 150, 'TAG-AB', '2026-03-01 10:00:00', '1000'),
       (21, '2026-03-03 12:00:00', 150, 'tag-ab', '2026-03-03 12:00:00', '9000')`,
    );
    await exec(
      `INSERT INTO connector_meter_value (evse_pk, transaction_pk, value_timestamp, value, measurand, unit) VALUES
       (150, NULL, '2026-03-01 10:30:00', '3000', 'Energy.Active.Import.Register', 'Wh'),
       (150, NULL, '2026-03-01 10:30:00', '7400', 'Power.Active.Import', 'W'),
       (150, NULL, '2026-03-03 12:00:00', '9000', 'Energy.Active.Import.Register', 'Wh'),
       (150, NULL, '2026-03-03 12:00:00', '0', 'Power.Active.Import', 'W')`,
    );
    await exec(
      `INSERT INTO reservation (reservation_pk, evse_pk, id_tag, start_datetime, expiry_datetime, status, status_timestamp)
       VALUES (30, 150, 'tag-ab', '2026-03-01 09:00:00', '2026-03-01 09:30:00', 'USED', '2026-03-01 09:00:00')`,
    );
  });

  afterAll(async () => {
    await reader?.close();
    await db?.drop();
  });

  it('reports the registered charge box id and idTag for rows carrying the station spelling', async () => {
    const [cp] = (await reader.listChargePoints()).items;
    expect(cp).toMatchObject({ chargeBoxId: 'FID-Case-15' });
    expect(cp?.connectors.map((c) => c.connectorId)).toEqual([1]);
    const statuses = await reader.listConnectorStatuses({ chargeBoxIds: ['FID-CASE-15'] });
    expect(statuses.items.map((s) => [s.chargeBoxId, s.status])).toEqual([['FID-Case-15', 'Charging']]);
    const txs = await reader.getTransactions([20, 21]);
    expect(txs.map((t) => [t.chargeBoxId, t.idTag, t.tagPk])).toEqual([
      ['FID-Case-15', 'Tag-Ab', 5],
      ['FID-Case-15', 'Tag-Ab', 5],
    ]);
    const samples = await reader.listMeterValues({ transactionPks: [20] });
    expect(new Set(samples.items.map((s) => s.chargeBoxId))).toEqual(new Set(['FID-Case-15']));
    const [reservation] = await reader.getReservations([30]);
    expect(reservation).toMatchObject({ chargeBoxId: 'FID-Case-15', idTag: 'Tag-Ab' });
    expect((await reader.listReservations()).items[0]).toMatchObject({ chargeBoxId: 'FID-Case-15' });
    expect((await reader.findLatestReservation('fid-CASE-15', 1, 'TAG-ab'))?.pk).toBe(30);
  });

  it("bounds a never-stopped transaction's readings strictly before the next start", async () => {
    const samples = (await reader.listMeterValues({ transactionPks: [20] })).items;
    expect(samples.map((s) => [s.at.toISOString(), s.energyWh, s.powerW])).toEqual([
      ['2026-03-01T10:30:00.000Z', 3000, 7400],
    ]);
    // The reading at the next start belongs to the next transaction only.
    const next = (await reader.listMeterValues({ transactionPks: [21] })).items;
    expect(next.map((s) => s.energyWh)).toEqual([9000]);
  });

  it('steveKey() equates exactly the ids the SteVe database equates', async () => {
    const alphabet = ['a', 'A', 'e', 'é', 'É', 'ä', 'Ä', 's', 'S', 'ß', 'f', 'i', 'ﬁ', '1', '-', ' ', 'Ｆ'];
    const id = fc
      .array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 4 })
      .map((cs) => cs.join(''));
    const pairs = fc.sample(fc.tuple(id, id), { numRuns: 300, seed: 16 });
    pairs.push(['FID-Case-15', 'fid-case-15'], ['ss', 'ß'], ['fi', 'ﬁ'], ['a ', 'a'], [' a', 'a']);
    const [rows] = await db.admin.query<RowDataPacket[]>(
      pairs
        .map(
          () =>
            'SELECT (CAST(? AS CHAR CHARACTER SET utf8mb3) COLLATE utf8mb3_unicode_ci = CAST(? AS CHAR CHARACTER SET utf8mb3)) AS same',
        )
        .join(' UNION ALL '),
      pairs.flat(),
    );
    const mismatches = pairs.filter(
      ([a, b], i) => (steveKey(a) === steveKey(b)) !== Boolean(Number(rows[i]!.same)),
    );
    expect(mismatches).toEqual([]);
  });
});
