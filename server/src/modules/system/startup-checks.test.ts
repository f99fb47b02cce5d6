import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RealLagoAdapter } from '../../integrations/lago/real-adapter.ts';
import { LagoSandbox } from '../../integrations/lago/sandbox/sandbox.ts';
import {
  startFakeLagoServer,
  type FakeLagoServer,
} from '../../integrations/lago/sandbox/fake-lago-server.ts';
import {
  createSteveTestDatabase,
  type SteveTestDatabase,
} from '../../integrations/steve/fixtures/mariadb.ts';
import { RealSteveAdapter } from '../../integrations/steve/real-adapter.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import {
  startFakeSteveRest,
  type FakeSteveRest,
} from '../../integrations/steve/simulator/fake-steve-rest.ts';
import type { Logger } from '../../lib/logger.ts';
import { createTestApp } from '../../../test/app.ts';
import { StartupChecks, type StartupCheck } from './startup-checks.ts';

const MARIADB_URL = process.env.TEST_MARIADB_URL;

/** Collects what the checks log (level, message, fields). */
function captureLogger() {
  const lines: { level: string; msg: string; fields: object }[] = [];
  const logger = {
    child: () => logger,
    info: (fields: object, msg: string) => void lines.push({ level: 'info', msg, fields }),
    error: (fields: object, msg: string) => void lines.push({ level: 'error', msg, fields }),
    warn: (fields: object, msg: string) => void lines.push({ level: 'warn', msg, fields }),
    debug: () => undefined,
  };
  return { logger: logger as unknown as Logger, lines };
}

const byCode = (checks: StartupCheck[]) => Object.fromEntries(checks.map((c) => [c.code, c]));

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function fakeLago(options: Parameters<typeof startFakeLagoServer>[0] = {}): Promise<FakeLagoServer> {
  const server = await startFakeLagoServer(options);
  cleanup.push(() => server.close());
  return server;
}

async function fakeSteve(): Promise<FakeSteveRest> {
  const fake = await startFakeSteveRest({ username: 'polaris', password: 'right' });
  cleanup.push(() => fake.close());
  return fake;
}

function steveAdapter(fake: FakeSteveRest, password: string, dbUrl: string): RealSteveAdapter {
  const adapter = new RealSteveAdapter({ baseUrl: fake.baseUrl, username: 'polaris', password, dbUrl });
  cleanup.push(() => adapter.close());
  return adapter;
}

describe('start-up checks: Lago', () => {
  it('a wrong API key: LAGO_API fails, logged as an error, the key appears nowhere', async () => {
    const server = await fakeLago();
    const { logger, lines } = captureLogger();
    const lago = new RealLagoAdapter({ baseUrl: server.origin, apiKey: 'not-the-key-123' });
    const checks = new StartupChecks({ steve: new FleetSimulator(), lago, logger });
    const report = await checks.run();
    expect(report.ok).toBe(false);
    expect(report.checks).toEqual([
      expect.objectContaining({
        code: 'LAGO_API',
        ok: false,
        message: expect.stringContaining('LAGO_API_KEY'),
      }),
    ]);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'error', msg: expect.stringContaining('Lago refused the API key') }),
    );
    expect(JSON.stringify([report, lines])).not.toContain('not-the-key-123');
  });

  it('a missing billable metric and plan: LAGO_SETUP names both', async () => {
    const server = await fakeLago({ provision: false });
    const lago = new RealLagoAdapter({ baseUrl: server.origin, apiKey: server.apiKey });
    const report = await new StartupChecks({ steve: new FleetSimulator(), lago, ...captureLogger() }).run();
    const checks = byCode(report.checks);
    expect(checks.LAGO_API?.ok).toBe(true);
    expect(checks.LAGO_SETUP).toMatchObject({ ok: false });
    expect(checks.LAGO_SETUP?.message).toContain('billable metric "kwh" not found');
    expect(checks.LAGO_SETUP?.message).toContain('plan "ev_charging" not found');
  });

  it('a provisioned Lago passes; the stand-ins have nothing to check', async () => {
    const server = await fakeLago();
    const lago = new RealLagoAdapter({ baseUrl: server.origin, apiKey: server.apiKey });
    const real = await new StartupChecks({ steve: new FleetSimulator(), lago, ...captureLogger() }).run();
    expect(real.checks.map((c) => [c.code, c.ok])).toEqual([
      ['LAGO_API', true],
      ['LAGO_SETUP', true],
    ]);
    const standIns = await new StartupChecks({
      steve: new FleetSimulator(),
      lago: new LagoSandbox(),
      ...captureLogger(),
    }).run();
    expect(standIns).toMatchObject({ ok: true, checks: [] });
  });

  it('a Lago that was down at start clears from Health once a re-check passes', async () => {
    const server = await fakeLago();
    server.setFault({ kind: 'status', status: 503 });
    let now = new Date('2026-12-03T10:00:00Z');
    const lago = new RealLagoAdapter({ baseUrl: server.origin, apiKey: server.apiKey });
    const checks = new StartupChecks({
      steve: new FleetSimulator(),
      lago,
      now: () => now,
      recheckAfterMs: 60_000,
      ...captureLogger(),
    });
    await checks.run();
    expect(checks.healthWarnings()).toEqual([
      expect.objectContaining({ source: 'BILLING', code: 'LAGO_API', severity: 'CRITICAL' }),
    ]);
    server.setFault(null);
    // Too early for a re-check: still shown, nothing re-run.
    expect(checks.healthWarnings()).toHaveLength(1);
    await checks.settled();
    expect(checks.latest()?.ok).toBe(false);
    now = new Date(now.getTime() + 60_000);
    expect(checks.healthWarnings()).toHaveLength(1); // starts the re-check
    await checks.settled();
    expect(checks.healthWarnings()).toEqual([]);
  });

  it('shows a failing check on the operator Health card', async () => {
    const server = await fakeLago();
    const lago = new RealLagoAdapter({ baseUrl: server.origin, apiKey: 'wrong' });
    const t = await createTestApp({ app: { lago, background: false } });
    try {
      await t.app.services.startupChecks.run();
      const admin = await t.createUser({ role: 'admin' });
      const cookie = await t.signIn(admin.email, admin.password);
      const res = await t.graphql<{
        operatorHealth: { warnings: { source: string; code: string; severity: string; message: string }[] };
      }>('{ operatorHealth { warnings { source code severity message } } }', {}, { cookie });
      expect(res.errors).toBeUndefined();
      expect(res.data!.operatorHealth.warnings).toContainEqual({
        source: 'BILLING',
        code: 'LAGO_API',
        severity: 'CRITICAL',
        message: 'Lago refused the API key: check LAGO_API_KEY (Developers → API keys in Lago)',
      });
    } finally {
      await t.stop();
    }
  });
});

describe('start-up checks: SteVe REST', () => {
  it('a wrong API password and an unreachable database: STEVE_API and STEVE_DATABASE fail', async () => {
    const fake = await fakeSteve();
    const steve = steveAdapter(fake, 'wrong', 'mysql://polaris:pw@127.0.0.1:1/stevedb');
    const report = await new StartupChecks({ steve, lago: new LagoSandbox(), ...captureLogger() }).run();
    const checks = byCode(report.checks);
    expect(checks.STEVE_API).toMatchObject({ ok: false, system: 'steve' });
    expect(checks.STEVE_API?.message).toContain('refused user "polaris"');
    expect(checks.STEVE_API?.message).toContain('STEVE_API_PASSWORD');
    expect(checks.STEVE_DATABASE).toMatchObject({ ok: false });
    expect(checks.STEVE_DATABASE?.message).toContain('unreachable');
    expect(JSON.stringify(report)).not.toContain('wrong');
  });
});

describe.skipIf(!MARIADB_URL)('start-up checks: SteVe database (MariaDB, real Flyway schema)', () => {
  let root: mysql.Connection;
  const users: string[] = [];
  const databases: SteveTestDatabase[] = [];

  beforeAll(async () => {
    root = await mysql.createConnection({ uri: MARIADB_URL! });
  });
  afterAll(async () => {
    for (const user of users) await root.query(`DROP USER IF EXISTS '${user}'@'%'`);
    for (const db of databases) await db.drop();
    await root.end();
  });

  async function steveDb(options: { schemaVersion?: string } = {}) {
    const db = await createSteveTestDatabase(MARIADB_URL!, options);
    databases.push(db);
    return db;
  }

  /** A new account with SELECT on the given tables of `db` (all: the whole database). */
  async function account(db: SteveTestDatabase, tables: string[] | 'all', password = 'right-pw') {
    const user = `pol_${randomBytes(4).toString('hex')}`;
    users.push(user);
    await root.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
    if (tables === 'all') await root.query(`GRANT SELECT ON \`${db.name}\`.* TO '${user}'@'%'`);
    for (const table of tables === 'all' ? [] : tables)
      await root.query(`GRANT SELECT ON \`${db.name}\`.\`${table}\` TO '${user}'@'%'`);
    return (pw: string = password) => {
      const url = new URL(db.url);
      url.username = user;
      url.password = pw;
      return url.href;
    };
  }

  async function run(dbUrl: string) {
    const fake = await fakeSteve();
    const steve = steveAdapter(fake, 'right', dbUrl);
    return new StartupChecks({ steve, lago: new LagoSandbox(), ...captureLogger() }).run();
  }

  it('a SELECT-only account on a current SteVe passes every check', async () => {
    const db = await steveDb();
    const url = await account(db, 'all');
    const report = await run(url());
    expect(report.checks.map((c) => [c.code, c.ok])).toEqual([
      ['STEVE_API', true],
      ['STEVE_DATABASE', true],
      ['STEVE_GRANTS', true],
      ['STEVE_SCHEMA', true],
    ]);
    expect(byCode(report.checks).STEVE_SCHEMA?.message).toBe('SteVe schema version 1.1.6');
  });

  it('a wrong database password: STEVE_DATABASE fails, the rest is not tried', async () => {
    const db = await steveDb();
    const url = await account(db, 'all');
    const report = await run(url('not-it'));
    const checks = byCode(report.checks);
    expect(checks.STEVE_DATABASE).toMatchObject({ ok: false });
    expect(checks.STEVE_DATABASE?.message).toContain('refused the account in STEVE_DB_URL');
    expect(checks.STEVE_GRANTS).toBeUndefined();
    expect(JSON.stringify(report)).not.toContain('not-it');
  });

  it('a missing grant: STEVE_GRANTS names the tables the account cannot read', async () => {
    const db = await steveDb();
    const url = await account(db, [
      'schema_version',
      'charge_box',
      'evse',
      'evse_connector',
      'connector_status',
      'ocpp_tag',
      'user_ocpp_tag',
      'transaction_start',
      'transaction_stop',
    ]);
    const checks = byCode((await run(url())).checks);
    expect(checks.STEVE_DATABASE?.ok).toBe(true);
    expect(checks.STEVE_GRANTS).toMatchObject({ ok: false });
    expect(checks.STEVE_GRANTS?.message).toContain('lacks SELECT on connector_meter_value, reservation');
    expect(checks.STEVE_SCHEMA?.ok).toBe(true);
  });

  it('an older SteVe schema: STEVE_SCHEMA fails with the supported versions', async () => {
    const db = await steveDb({ schemaVersion: '1.1.4' });
    const url = await account(db, 'all');
    const checks = byCode((await run(url())).checks);
    expect(checks.STEVE_SCHEMA).toMatchObject({ ok: false });
    expect(checks.STEVE_SCHEMA?.message).toContain('schema version 1.1.4 is not supported');
    expect(checks.STEVE_SCHEMA?.message).toContain('supported schema versions: 1.1.5, 1.1.6');
  });
});
