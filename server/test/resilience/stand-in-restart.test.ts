import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { sessionTransactionId } from '../../src/integrations/lago/port.ts';
import type { LagoSandbox } from '../../src/integrations/lago/sandbox/sandbox.ts';
import { FleetSimulator } from '../../src/integrations/steve/simulator/index.ts';
import { openDatabase } from '../../src/lib/db.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { StandInsLockedError } from '../../src/lib/stand-ins.ts';
import { ManualClock } from '../../src/modules/sync/test-helpers.ts';

/**
 * #15 "Nothing lost on a restart": the embedded default (PGlite in DATA_DIR, fleet simulator, Lago
 * sandbox) is stopped while charges run and started again on the same data. The same sessions go on
 * (none ends as DeletedInSteve, no session.vanished alert) and every finished one is billed once.
 */

const MINUTE = 60_000;
const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

function configFor(dataDir: string, extra: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    DEMO_SEED: 'true',
    SIMULATOR_SEED: '1515',
    SIMULATOR_CHARGERS: '10',
    ...extra,
  });
}

describe('restart of the embedded default', () => {
  let dataDir = '';
  // Near the wall clock: the sandbox bills by real time, the simulator follows this clock.
  const clock = new ManualClock(new Date(Math.floor(Date.now() / MINUTE) * MINUTE).toISOString());
  let app: App | null = null;

  const open = () =>
    buildApp({
      config: configFor(dataDir),
      logger,
      pgliteDir: path.join(dataDir, 'pglite'),
      clock: clock.now,
      background: false,
    });

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'polaris-restart-'));
  });

  afterAll(async () => {
    await app?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('continues running charges and bills each finished one exactly once', { timeout: 120_000 }, async () => {
    // 1. First run: sync until charges are running, bill what finished.
    app = await open();
    await app.services.sync.engine.run({ trigger: 'STARTUP' });
    for (let i = 0; i < 12; i++) {
      const active = await app.services.db.chargingSession.count({ where: { status: 'ACTIVE' } });
      if (active >= 2) break;
      clock.advance(10 * MINUTE);
      await app.services.sync.engine.run({ trigger: 'MANUAL' });
    }
    const runningBefore = await app.services.db.chargingSession.findMany({
      where: { status: 'ACTIVE' },
      select: { steveTransactionPk: true, energyKwh: true },
    });
    expect(runningBefore.length).toBeGreaterThanOrEqual(2);
    expect((await app.services.billing.drainUntilIdle()).error).toBeNull();
    const billedBefore = (app.services.lago as LagoSandbox).store
      .acceptedEvents()
      .map((e) => e.transactionId);
    const keysBefore = await app.services.db.chargingSession.aggregate({
      _max: { steveTransactionPk: true },
    });

    // 2. Stop, a minute passes, start again on the same data.
    await app.stop();
    app = null;
    clock.advance(MINUTE);
    app = await open();
    expect(app.services.steve).toBeInstanceOf(FleetSimulator);
    const sandbox = app.services.lago as LagoSandbox;
    // The sandbox kept its customers, subscriptions and received events.
    expect(sandbox.store.acceptedEvents().map((e) => e.transactionId)).toEqual(billedBefore);
    await app.services.sync.engine.run({ trigger: 'STARTUP' });

    // The charges that ran before the restart still run in SteVe and in Polaris, with energy going on.
    const steveActive = await app.services.steve.listTransactions({ activeOnly: true, limit: 500 });
    for (const before of runningBefore) {
      const session = await app.services.db.chargingSession.findUniqueOrThrow({
        where: { steveTransactionPk: before.steveTransactionPk },
      });
      expect(session.stopReason).not.toBe('DeletedInSteve');
      if (session.status === 'ACTIVE') {
        expect(steveActive.items.map((t) => t.pk)).toContain(before.steveTransactionPk);
        expect(session.energyKwh).toBeGreaterThanOrEqual(before.energyKwh);
      }
    }

    // 3. Time goes on until every one of them has finished; then bill.
    const pks = runningBefore.map((s) => s.steveTransactionPk);
    for (let i = 0; i < 48; i++) {
      const open = await app.services.db.chargingSession.count({
        where: { steveTransactionPk: { in: pks }, status: 'ACTIVE' },
      });
      if (open === 0) break;
      clock.advance(15 * MINUTE);
      await app.services.sync.engine.run({ trigger: 'MANUAL' });
    }
    expect((await app.services.billing.drainUntilIdle()).error).toBeNull();

    const sessions = await app.services.db.chargingSession.findMany({
      select: { steveTransactionPk: true, status: true, stopReason: true },
    });
    expect(sessions.filter((s) => s.stopReason === 'DeletedInSteve')).toEqual([]);
    expect(await app.services.db.alert.count({ where: { kind: 'session.vanished' } })).toBe(0);
    for (const pk of pks) {
      expect(sessions.find((s) => s.steveTransactionPk === pk)?.status).toBe('COMPLETED');
    }
    // No key of the first run was handed out again: new sessions have new, higher keys.
    const newSessions = sessions.filter(
      (s) => s.steveTransactionPk > (keysBefore._max.steveTransactionPk ?? 0),
    );
    expect(new Set(sessions.map((s) => s.steveTransactionPk)).size).toBe(sessions.length);

    // Every finished session reached the sandbox exactly once, those billed before the restart included.
    const counts = new Map<string, number>();
    for (const e of sandbox.store.acceptedEvents())
      counts.set(e.transactionId, (counts.get(e.transactionId) ?? 0) + 1);
    const completed = sessions.filter((s) => s.status === 'COMPLETED');
    for (const s of completed)
      expect(counts.get(sessionTransactionId(s.steveTransactionPk)), `pk ${s.steveTransactionPk}`).toBe(1);
    expect(sandbox.store.acceptedEvents()).toHaveLength(completed.length);
    expect(newSessions.length + runningBefore.length).toBeGreaterThan(0);
  });

  it('starts afresh, with unused keys, on a saved state it cannot read', { timeout: 60_000 }, async () => {
    if (!app) app = await open();
    const known = new Set(
      (await app.services.db.chargingSession.findMany({ select: { steveTransactionPk: true } })).map(
        (s) => s.steveTransactionPk,
      ),
    );
    await app.stop();
    app = null;
    // Garbage where the simulator's state was (stop() saved it last, so overwrite it afterwards).
    const database = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite'), logger });
    await database.prisma.standInState.update({
      where: { name: 'steve-simulator' },
      data: { state: new Uint8Array([1, 2, 3]) },
    });
    await database.close();
    clock.advance(MINUTE);
    app = await open();
    const fresh = await app.services.steve.listTransactions({ limit: 1000 });
    expect(fresh.items.length).toBeGreaterThan(0);
    expect(fresh.items.filter((t) => known.has(t.pk))).toEqual([]);
  });
});

const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL;

describe.skipIf(!TEST_POSTGRES_URL)('one instance on the stand-ins (PostgreSQL)', () => {
  const name = `polaris_standins_${randomBytes(5).toString('hex')}`;
  let databaseUrl = '';
  let dataDir = '';
  const apps: App[] = [];

  const open = (extra: Record<string, string> = {}) =>
    buildApp({
      config: configFor(dataDir, { DATABASE_URL: databaseUrl, DEMO_SEED: 'false', ...extra }),
      logger,
      background: false,
    });

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'polaris-standins-'));
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(TEST_POSTGRES_URL!);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  });

  afterAll(async () => {
    for (const a of apps) await a.stop();
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it(
    'refuses a second instance with the simulator, naming what to configure; a later one starts',
    { timeout: 60_000 },
    async () => {
      const first = await open();
      apps.push(first);
      const second = open();
      await expect(second).rejects.toBeInstanceOf(StandInsLockedError);
      await expect(second).rejects.toThrow(
        /fleet simulator and Lago sandbox.*STEVE_URL.*LAGO_URL.*STAND_IN_STATE=memory/s,
      );

      // STAND_IN_STATE=memory: an instance with its own, unsaved stand-ins is allowed.
      const own = await open({ STAND_IN_STATE: 'memory' });
      await own.stop();

      // Once the first has stopped, the next instance takes over — with the first one's fleet.
      const before = await first.services.steve.listTransactions({ limit: 500 });
      await first.stop();
      apps.pop();
      const next = await open();
      apps.push(next);
      const after = await next.services.steve.listTransactions({ limit: 500 });
      expect(after.items.map((t) => t.pk).slice(0, before.items.length)).toEqual(
        before.items.map((t) => t.pk),
      );
    },
  );
});
