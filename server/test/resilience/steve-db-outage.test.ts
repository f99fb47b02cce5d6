import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeSteveRest,
  type FakeSteveRest,
} from '../../src/integrations/steve/simulator/fake-steve-rest.ts';
import {
  createSteveTestDatabase,
  type SteveTestDatabase,
} from '../../src/integrations/steve/fixtures/mariadb.ts';
import type { StevePort } from '../../src/integrations/steve/port.ts';
import { RealSteveAdapter } from '../../src/integrations/steve/real-adapter.ts';
import type { Database } from '../../src/lib/db.ts';
import type { SyncEngine } from '../../src/modules/sync/sync.engine.ts';
import { syncHealthWarnings } from '../../src/modules/sync/sync.health.ts';
import { createTestEngine, ManualClock } from '../../src/modules/sync/test-helpers.ts';
import { createTestDatabase, services } from '../db.ts';
import { createTcpProxy } from './tcp-proxy.ts';

/**
 * SteVe's database goes away in the middle of a sync run (a TCP proxy in front of the shared
 * MariaDB is cut just before the TAGS segment): the run fails cleanly with the reason, segments
 * already committed stay, the failed one writes nothing, and the next run catches up.
 */
describe.skipIf(!services.mariadb)('SteVe database unreachable mid-sync (needs TEST_MARIADB_URL)', () => {
  let steveDb: SteveTestDatabase;
  let proxy: Awaited<ReturnType<typeof createTcpProxy>>;
  let fake: FakeSteveRest;
  let adapter: RealSteveAdapter;
  let database: Database;
  let engine: SyncEngine;
  const clock = new ManualClock();
  let cutBeforeTags = false;

  beforeAll(async () => {
    steveDb = await createSteveTestDatabase(services.mariadb!);
    const exec = (sql: string) => steveDb.admin.query(sql);
    await exec(
      `INSERT INTO charge_box (charge_box_pk, charge_box_id, ocpp_protocol) VALUES (1, 'CP-1', 'ocpp1.6J'), (2, 'CP-2', 'ocpp1.6J')`,
    );
    await exec(`INSERT INTO evse (evse_pk, charge_box_id, evse_id) VALUES (1, 'CP-1', 1), (2, 'CP-2', 1)`);
    await exec(
      `INSERT INTO ocpp_tag (ocpp_tag_pk, id_tag, max_active_transaction_count, updated_at) VALUES
       (1, 'TAG-1', 1, '2026-11-01 09:00:00'), (2, 'TAG-2', 1, '2026-11-01 09:00:01')`,
    );
    const server = new URL(services.mariadb!);
    proxy = await createTcpProxy({ host: server.hostname, port: Number(server.port || 3306) });
    const viaProxy = new URL(steveDb.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    fake = await startFakeSteveRest({ username: 'polaris', password: 'pw' });
    adapter = new RealSteveAdapter({
      baseUrl: fake.baseUrl,
      username: 'polaris',
      password: 'pw',
      dbUrl: viaProxy.href,
    });
    // Cut the link when the run reaches the TAGS segment (after CHARGERS and CONNECTOR_STATUS committed).
    const steve = new Proxy(adapter, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        const fn = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
        if (prop !== 'listTags') return fn;
        return async (...args: unknown[]) => {
          if (cutBeforeTags) await proxy.cut();
          return fn(...args);
        };
      },
    }) as StevePort;
    database = await createTestDatabase();
    engine = createTestEngine(database.prisma, steve, clock).engine;
  });
  afterAll(async () => {
    await adapter?.close();
    await proxy?.close();
    await fake?.close();
    await steveDb?.drop();
    await database?.close();
  });

  it('fails the run cleanly, keeps committed segments, writes nothing half-way, and catches up', async () => {
    const db = database.prisma;
    const first = await engine.run({ trigger: 'MANUAL' });
    expect(first.status).toBe('SUCCEEDED');
    expect(await db.charger.count()).toBe(2);
    expect(await db.evCard.count()).toBe(2);

    // New rows in SteVe, then the link dies mid-run.
    await steveDb.admin.query(
      `INSERT INTO charge_box (charge_box_pk, charge_box_id, ocpp_protocol) VALUES (3, 'CP-3', 'ocpp1.6J')`,
    );
    await steveDb.admin.query(`INSERT INTO evse (evse_pk, charge_box_id, evse_id) VALUES (3, 'CP-3', 1)`);
    await steveDb.admin.query(
      `INSERT INTO ocpp_tag (ocpp_tag_pk, id_tag, max_active_transaction_count, updated_at) VALUES (3, 'TAG-3', 1, '2026-11-01 10:00:00')`,
    );
    cutBeforeTags = true;
    clock.advance(10_000);
    const started = Date.now();
    const failed = await engine.run({ trigger: 'SCHEDULED' });
    const failedAfterMs = Date.now() - started;
    cutBeforeTags = false;
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/^TAGS: \[/);
    expect(failed.schedule.tier).toBe('BACKOFF');
    const run = await db.syncRun.findUniqueOrThrow({
      where: { id: failed.runId },
      include: { segments: { orderBy: { position: 'asc' } } },
    });
    expect(run.status).toBe('FAILED');
    expect(run.segments.map((s) => `${s.kind}:${s.status}`)).toEqual([
      'CHARGERS:SUCCEEDED',
      'CONNECTOR_STATUS:SUCCEEDED',
      'TAGS:FAILED',
      'TRANSACTIONS:SKIPPED',
      'METER_VALUES:SKIPPED',
      'RESERVATIONS:SKIPPED',
    ]);
    expect(await db.charger.count()).toBe(3);
    expect(await db.evCard.count()).toBe(2);
    const warnings = await syncHealthWarnings(db, { now: clock.now(), cadence: engine.cadence });
    expect(warnings.map((w) => w.code)).toContain('STEVE_UNREACHABLE');

    // The link returns; the next run picks up where the failed one stopped.
    await proxy.restore();
    clock.advance(failed.schedule.intervalMs);
    const next = await engine.run({ trigger: 'SCHEDULED' });
    expect(next.status).toBe('SUCCEEDED');
    expect(next.schedule.tier).not.toBe('BACKOFF');
    expect((await db.evCard.findMany({ orderBy: { idTag: 'asc' } })).map((c) => c.idTag)).toEqual([
      'TAG-1',
      'TAG-2',
      'TAG-3',
    ]);
    expect(await db.charger.count()).toBe(3);
    console.info(`steve db outage: run failed ${failedAfterMs} ms after start with "${failed.error}"`);
  });
});
