import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  binlogMariaDbAvailable,
  purgeBinaryLogs,
  startBinlogMariaDb,
  type BinlogMariaDb,
} from '../../../test/mariadb-binlog.ts';
import { isSchemaChange, SteveBinlogReader } from './binlog-reader.ts';
import { createSteveTestDatabase, type SteveTestDatabase } from './fixtures/mariadb.ts';
import type { SteveChangeBatch, SteveChangeStream, SteveChangeStreamError } from './port.ts';

const available = binlogMariaDbAvailable();
const NAME = 'steve binlog reader (own mariadbd with log_bin, SteVe schema from Flyway)';
if (!available.ok) console.log(`skipped: ${NAME}: ${available.reason}`);

/** Collects batches and resolves waiters when a condition on them holds. */
function collector() {
  const batches: SteveChangeBatch[] = [];
  const waiters: { check: () => boolean; resolve: () => void }[] = [];
  return {
    batches,
    push(batch: SteveChangeBatch) {
      batches.push(batch);
      for (const w of [...waiters]) if (w.check()) w.resolve();
    },
    until(check: () => boolean): Promise<void> {
      if (check()) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ check, resolve }));
    },
  };
}

describe.skipIf(!available.ok)(NAME, () => {
  let server: BinlogMariaDb;
  let steve: SteveTestDatabase;

  beforeAll(async () => {
    server = await startBinlogMariaDb({ serverId: 11 });
    steve = await createSteveTestDatabase(server.url);
  }, 90_000);

  afterAll(async () => {
    await steve?.drop();
    await server?.stop();
  });

  it('names nothing missing on a server with log_bin, ROW format and a root account', async () => {
    const support = await new SteveBinlogReader({ dbUrl: steve.url }).support();
    expect(support.problems).toEqual([]);
    expect(support.ok).toBe(true);
    expect(support.position?.file).toMatch(/binlog\.\d+/);
  });

  it('names the missing grants for a SELECT-only account', async () => {
    await steve.admin.query(`CREATE USER 'reader'@'%' IDENTIFIED BY 'pw'`);
    await steve.admin.query(`GRANT SELECT ON \`${steve.name}\`.* TO 'reader'@'%'`);
    const url = new URL(steve.url);
    url.username = 'reader';
    url.password = 'pw';
    const support = await new SteveBinlogReader({ dbUrl: url.href }).support();
    expect(support.ok).toBe(false);
    expect(support.problems).toEqual([
      'missing grant REPLICATION SLAVE ON *.* (needed to read the binary log)',
      'missing grant BINLOG MONITOR ON *.* (needed to read the binlog position)',
    ]);
  });

  it('streams one batch per SteVe transaction, with the keys of each row and a resumable position', async () => {
    const reader = new SteveBinlogReader({ dbUrl: steve.url });
    const seen = collector();
    const ends: SteveChangeStreamError[] = [];
    const stream: SteveChangeStream = await reader.watch({
      from: null,
      serverId: 101,
      onBatch: async (b) => seen.push(b),
      onEnd: (e) => ends.push(e),
    });
    try {
      await steve.admin.query(`INSERT INTO charge_box (charge_box_pk, charge_box_id) VALUES (1, 'CP-1')`);
      await steve.admin.query(`INSERT INTO evse (evse_pk, charge_box_id, evse_id) VALUES (1, 'CP-1', 1)`);
      await steve.admin.query(`INSERT INTO ocpp_tag (ocpp_tag_pk, id_tag) VALUES (1, 'TAG-1')`);
      await steve.admin.query(
        `INSERT INTO transaction_start (transaction_pk, event_timestamp, evse_pk, id_tag, start_timestamp, start_value)
         VALUES (1, NOW(6), 1, 'TAG-1', NOW(6), '100')`,
      );
      await steve.admin.query('START TRANSACTION');
      await steve.admin.query(
        `INSERT INTO connector_meter_value (evse_pk, transaction_pk, value_timestamp, value, measurand, unit)
         VALUES (1, 1, NOW(6), '150', 'Energy.Active.Import.Register', 'Wh'), (1, 1, NOW(6), '7000', 'Power.Active.Import', 'W')`,
      );
      await steve.admin.query('COMMIT');
      await steve.admin.query(`DELETE FROM ocpp_tag WHERE ocpp_tag_pk = 1 AND 0`); // no row: no batch
      await steve.admin.query(`UPDATE charge_box SET description = 'Depot' WHERE charge_box_pk = 1`);
      await seen.until(() => seen.batches.length >= 6);
      expect(seen.batches.map((b) => b.changes)).toEqual([
        [{ table: 'charge_box', chargePointPk: 1, deleted: false }],
        [{ table: 'evse', evsePk: 1, chargeBoxId: 'CP-1', deleted: false }],
        [{ table: 'ocpp_tag', tagPk: 1, deleted: false }],
        [{ table: 'transaction_start', transactionPk: 1, deleted: false }],
        [
          { table: 'connector_meter_value', evsePk: 1, transactionPk: 1 },
          { table: 'connector_meter_value', evsePk: 1, transactionPk: 1 },
        ],
        [{ table: 'charge_box', chargePointPk: 1, deleted: false }],
      ]);
      const positions = seen.batches.map((b) => b.position);
      expect(positions.every((p) => p.gtid && /^0-11-\d+$/.test(p.gtid))).toBe(true);
      expect(new Set(positions.map((p) => p.gtid)).size).toBe(positions.length);
      expect(ends).toEqual([]);
    } finally {
      await stream.stop();
    }

    // Resuming after the fourth batch replays exactly the last two.
    const again = collector();
    const resumed = await reader.watch({
      from: seen.batches[3]!.position,
      serverId: 101,
      onBatch: async (b) => again.push(b),
      onEnd: () => undefined,
    });
    try {
      await again.until(() => again.batches.length >= 2);
      expect(again.batches.map((b) => b.changes[0]!.table)).toEqual(['connector_meter_value', 'charge_box']);
    } finally {
      await resumed.stop();
    }
  });

  it('ends the stream with SCHEMA_CHANGED on DDL of a followed table, POSITION_LOST on a purged position', async () => {
    const reader = new SteveBinlogReader({ dbUrl: steve.url });
    const ended: SteveChangeStreamError[] = [];
    let done!: () => void;
    const endedOnce = new Promise<void>((resolve) => (done = resolve));
    const stream = await reader.watch({
      from: null,
      serverId: 102,
      onBatch: async () => undefined,
      onEnd: (e) => {
        ended.push(e);
        done();
      },
    });
    await steve.admin.query('ALTER TABLE connector_meter_value ADD COLUMN polaris_test INT NULL');
    await endedOnce;
    await stream.stop();
    expect(ended.map((e) => e.kind)).toEqual(['SCHEMA_CHANGED']);

    const old = (await reader.support()).position!;
    const admin = await mysql.createConnection(server.url);
    await admin.query('FLUSH BINARY LOGS');
    await admin.query(
      `INSERT INTO \`${steve.name}\`.charge_box (charge_box_pk, charge_box_id) VALUES (2, 'CP-2')`,
    );
    await admin.query('FLUSH BINARY LOGS');
    await purgeBinaryLogs(admin);
    await admin.end();
    // The server accepts the dump request, then reports the missing binlog on the stream.
    const lost = await new Promise<SteveChangeStreamError>((resolve, reject) => {
      reader
        .watch({ from: old, serverId: 103, onBatch: async () => undefined, onEnd: resolve })
        .catch(reject);
    });
    expect(lost.kind).toBe('POSITION_LOST');
  });

  it('recognises DDL on followed tables only', () => {
    expect(isSchemaChange('ALTER TABLE `connector_meter_value` ADD x INT')).toBe(true);
    expect(isSchemaChange('/* x */ DROP TABLE evse')).toBe(true);
    expect(isSchemaChange('ALTER TABLE web_user ADD x INT')).toBe(false);
    expect(isSchemaChange('INSERT INTO evse VALUES (1)')).toBe(false);
  });
});
