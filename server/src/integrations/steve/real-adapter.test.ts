import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSteveRest, type FakeSteveRest } from './simulator/fake-steve-rest.ts';
import { createSteveTestDatabase, type SteveTestDatabase } from './fixtures/mariadb.ts';
import { RealSteveAdapter } from './real-adapter.ts';

const SERVER_URL = process.env.TEST_MARIADB_URL;

describe('RealSteveAdapter tag commands (fake SteVe REST)', () => {
  let fake: FakeSteveRest;
  let adapter: RealSteveAdapter;

  beforeEach(async () => {
    fake = await startFakeSteveRest({ username: 'polaris', password: 'pw' });
    // Tag commands never touch the database; the pool does not connect until a query runs.
    adapter = new RealSteveAdapter({
      baseUrl: fake.baseUrl,
      username: 'polaris',
      password: 'pw',
      dbUrl: 'mysql://nobody@127.0.0.1:1/stevedb',
    });
  });

  afterEach(async () => {
    await adapter.close();
    await fake.close();
  });

  it('blocks with a full PUT that keeps every other field, and unblocks the same way', async () => {
    const expiry = new Date(Date.now() + 30 * 86_400_000).toISOString();
    fake.addTag({
      idTag: 'CARD-A',
      parentIdTag: 'FLEET',
      expiryDate: expiry,
      maxActiveTransactionCount: 3,
      note: 'van 4',
    });
    const blocked = await adapter.blockTag('card-a');
    expect(blocked).toMatchObject({
      idTag: 'CARD-A',
      blocked: true,
      maxActiveTransactionCount: 0,
      note: 'van 4',
      parentIdTag: 'FLEET',
    });
    const put = fake.requests.find((r) => r.method === 'PUT');
    expect(put?.body).toEqual({
      idTag: 'CARD-A',
      parentIdTag: 'FLEET',
      expiryDate: expiry,
      maxActiveTransactionCount: 0,
      note: 'van 4',
    });

    const unblocked = await adapter.unblockTag('CARD-A', { maxActiveTransactionCount: 3 });
    expect(unblocked).toMatchObject({ blocked: false, maxActiveTransactionCount: 3, note: 'van 4' });
    expect(unblocked.expiryDate?.toISOString()).toBe(expiry);
    expect((await adapter.unblockTag('CARD-A')).maxActiveTransactionCount).toBe(1);
  });

  it('expires through PATCH …/expire, creates through POST, and reports unknown / duplicate tags', async () => {
    const created = await adapter.createTag({ idTag: 'CARD-B', note: 'new' });
    expect(created).toMatchObject({ idTag: 'CARD-B', maxActiveTransactionCount: 1, createdAt: null });
    await expect(adapter.createTag({ idTag: 'CARD-B' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const expired = await adapter.expireTag('CARD-B');
    expect(expired.expiryDate!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      path: `/steve/api/v1/ocppTags/${created.pk}/expire`,
    });
    await expect(adapter.blockTag('NOPE')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('clears a past expiry on unblock, since SteVe only accepts a future one', async () => {
    fake.addTag({
      idTag: 'CARD-C',
      expiryDate: new Date(Date.now() - 1000).toISOString(),
      maxActiveTransactionCount: 0,
    });
    const unblocked = await adapter.unblockTag('CARD-C');
    expect(unblocked).toMatchObject({ blocked: false, expiryDate: null });
  });

  it('passes operation results through: OFFLINE, ACCEPTED, NO_ANSWER', async () => {
    fake.addTag({ idTag: 'CARD-D' });
    fake.stations.set('CP-1', { kind: 'answer', response: 'Accepted' });
    fake.stations.set('CP-2', { kind: 'noAnswer' });
    expect(await adapter.remoteStart({ chargeBoxId: 'CP-9', idTag: 'CARD-D' })).toMatchObject({
      kind: 'OFFLINE',
    });
    expect(await adapter.remoteStart({ chargeBoxId: 'CP-1', idTag: 'CARD-D', connectorId: 1 })).toMatchObject(
      { kind: 'ACCEPTED' },
    );
    expect(await adapter.remoteStop({ chargeBoxId: 'CP-2', transactionPk: 5 })).toMatchObject({
      kind: 'NO_ANSWER',
    });
    expect(fake.requests.at(-1)?.body).toEqual({ chargeBoxIdList: ['CP-2'], transactionId: 5 });
  });
});

describe.skipIf(!SERVER_URL)('RealSteveAdapter with MariaDB and a fake SteVe REST', () => {
  let fake: FakeSteveRest;
  let db: SteveTestDatabase;
  let adapter: RealSteveAdapter;

  beforeEach(async () => {
    fake = await startFakeSteveRest({ username: 'polaris', password: 'pw' });
    db = await createSteveTestDatabase(SERVER_URL!);
    adapter = new RealSteveAdapter({
      baseUrl: fake.baseUrl,
      username: 'polaris',
      password: 'pw',
      dbUrl: db.url,
    });
  });

  afterEach(async () => {
    await adapter.close();
    await db.drop();
    await fake.close();
  });

  it('reads the reservation id of an accepted ReserveNow back from the database', async () => {
    fake.addTag({ idTag: 'CARD-E' });
    fake.stations.set('CP-R', { kind: 'answer', response: 'Accepted' });
    // What SteVe does before sending ReserveNow: insert the row, then mark it ACCEPTED.
    await db.admin.query(`INSERT INTO charge_box (charge_box_pk, charge_box_id) VALUES (1, 'CP-R')`);
    await db.admin.query(`INSERT INTO evse (evse_pk, charge_box_id, evse_id) VALUES (1, 'CP-R', 1)`);
    await db.admin.query(`INSERT INTO ocpp_tag (id_tag) VALUES ('CARD-E')`);
    await db.admin.query(
      `INSERT INTO reservation (reservation_pk, evse_pk, id_tag, start_datetime, expiry_datetime, status) VALUES
       (41, 1, 'CARD-E', UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 1 HOUR, 'ACCEPTED')`,
    );
    const result = await adapter.reserveNow({
      chargeBoxId: 'CP-R',
      connectorId: 1,
      idTag: 'CARD-E',
      expiry: new Date(Date.now() + 3_600_000),
    });
    expect(result).toMatchObject({ kind: 'ACCEPTED', reservationId: 41 });
    expect((await adapter.listReservations()).items.map((r) => r.pk)).toEqual([41]);
  });

  it('reports health of both halves', async () => {
    expect(await adapter.health()).toEqual({ ok: true, mode: 'real', schemaVersion: '1.1.6', problems: [] });
    const wrongPassword = new RealSteveAdapter({
      baseUrl: fake.baseUrl,
      username: 'polaris',
      password: 'nope',
      dbUrl: db.url,
    });
    const health = await wrongPassword.health();
    await wrongPassword.close();
    expect(health.ok).toBe(false);
    expect(health.problems.join(' ')).toContain('401');
    expect(health.problems.join(' ')).not.toContain('nope');
  });
});
