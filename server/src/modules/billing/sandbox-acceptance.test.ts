import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { sessionTransactionId } from '../../integrations/lago/port.ts';
import { RealLagoAdapter } from '../../integrations/lago/real-adapter.ts';
import { LagoSandbox } from '../../integrations/lago/sandbox/sandbox.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../auth/auth.service.ts';

/**
 * Acceptance (billing issue): with the sandbox, a finished simulated session's kWh appears in the
 * customer's Lago usage once; with the sandbox's network cut off (fault switch) more sessions finish,
 * and after it is restored every event arrives exactly once. Demo mode (demo cards map every fleet
 * tag to a sandbox customer), a pinned clock moved by hand, no background work.
 */

const START = new Date('2026-03-10T08:00:00.000Z');
const MINUTE = 60_000;

const SET_FAULT = `mutation ($down: Boolean!) {
  setLagoSandboxFault(down: $down) {
    __typename
    ... on MutationSetLagoSandboxFaultSuccess { data { down pendingEvents } }
    ... on SandboxNotInUseError { message }
  }
}`;

interface SetFaultData {
  setLagoSandboxFault: { __typename: string; data?: { down: boolean; pendingEvents: number } };
}

describe('billing through the Lago sandbox (acceptance)', () => {
  let t: TestApp;
  let sandbox: LagoSandbox;
  let sim: FleetSimulator;
  let adminCookie: string;
  let now = START.getTime();
  const clock = () => new Date(now);

  beforeAll(async () => {
    sim = new FleetSimulator({
      seed: 7,
      size: 6,
      now: clock,
      warmupMs: 0,
      fleetChurn: false,
      outages: false,
      meterIntervalMs: 5 * MINUTE,
    });
    sandbox = new LagoSandbox({ now: clock });
    t = await createTestApp({
      env: { DEMO_SEED: 'true' },
      app: { background: false, steve: sim, lago: sandbox, clock },
    });
    adminCookie = await t.signIn(DEMO_ADMIN_EMAIL, DEMO_PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
  });

  const db = () => t.app.services.db;

  /** Moves simulated time forward in steps, syncing after each, until `count` more sessions completed. */
  async function completeMoreSessions(count: number): Promise<void> {
    const target = (await db().chargingSession.count({ where: { status: 'COMPLETED' } })) + count;
    for (let step = 0; step < 96; step++) {
      now += 15 * MINUTE;
      await t.app.services.sync.engine.run({ trigger: 'MANUAL' });
      if ((await db().chargingSession.count({ where: { status: 'COMPLETED' } })) >= target) return;
    }
    throw new Error(`fewer than ${count} more sessions completed within 24 simulated hours`);
  }

  async function setFault(down: boolean) {
    const res = await t.graphql<SetFaultData>(SET_FAULT, { down }, { cookie: adminCookie });
    expect(res.errors).toBeUndefined();
    expect(res.data?.setLagoSandboxFault.__typename).toBe('MutationSetLagoSandboxFaultSuccess');
    return res.data!.setLagoSandboxFault.data!;
  }

  /** Every completed session, with the Lago customer its card bills. */
  async function completedSessions() {
    const sessions = await db().chargingSession.findMany({
      where: { status: 'COMPLETED' },
      select: {
        steveTransactionPk: true,
        energyKwh: true,
        card: { select: { customer: { select: { externalId: true } } } },
      },
    });
    return sessions.map((s) => ({
      transactionId: sessionTransactionId(s.steveTransactionPk),
      kwh: s.energyKwh,
      customer: s.card?.customer?.externalId ?? null,
    }));
  }

  /** Lago usage of every customer with completed sessions equals the sum of their sessions' kWh. */
  async function expectUsageMatchesDatabase() {
    const sessions = await completedSessions();
    const byCustomer = new Map<string, number>();
    for (const s of sessions) {
      expect(s.customer, `session ${s.transactionId} has a billed customer`).not.toBeNull();
      byCustomer.set(s.customer!, (byCustomer.get(s.customer!) ?? 0) + s.kwh);
    }
    for (const [customer, kwh] of byCustomer) {
      const usage = await sandbox.getCurrentUsage(customer);
      expect(usage, `usage of ${customer}`).not.toBeNull();
      expect(usage!.kwh).toBeCloseTo(kwh, 3);
    }
    return sessions;
  }

  /** Each transaction id was accepted exactly once (no duplicates stored, none missing). */
  function expectAcceptedExactlyOnce(transactionIds: string[]) {
    const counts = new Map<string, number>();
    for (const e of sandbox.store.acceptedEvents()) {
      counts.set(e.transactionId, (counts.get(e.transactionId) ?? 0) + 1);
    }
    for (const id of transactionIds) expect(counts.get(id) ?? 0, id).toBe(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  }

  it('bills every finished session exactly once, across a sandbox outage', { timeout: 30_000 }, async () => {
    // Demo mode mapped every card (drivers' and the fleet's) to a sandbox customer.
    expect(await db().evCard.count({ where: { status: 'ACTIVE', customerId: null } })).toBe(0);

    // 1. A session finishes; its kWh reaches the customer's usage, once.
    await t.app.services.sync.engine.run({ trigger: 'STARTUP' });
    await completeMoreSessions(1);
    const first = await t.app.services.billing.drainUntilIdle();
    expect(first.error).toBeNull();
    const beforeOutage = await expectUsageMatchesDatabase();
    expect(beforeOutage.length).toBeGreaterThan(0);
    expect(first.delivered).toBe(beforeOutage.length);
    expectAcceptedExactlyOnce(beforeOutage.map((s) => s.transactionId));
    expect(sandbox.store.acceptedEvents()).toHaveLength(beforeOutage.length);
    const accepted = sandbox.store.acceptedEvents().length;

    // 2. The network to the sandbox goes down; more sessions finish and cannot be delivered.
    expect(await setFault(true)).toEqual({ down: true, pendingEvents: 0 });
    expect(sandbox.fault).toEqual({ down: true });
    await completeMoreSessions(3);
    const failed = await t.app.services.billing.drainUntilIdle();
    expect(failed.error?.code).toBe('network');
    expect(failed.retried).toBeGreaterThan(0);
    expect(sandbox.store.acceptedEvents()).toHaveLength(accepted);

    const queued = await db().billingEvent.findMany({ where: { status: { not: 'DELIVERED' } } });
    const duringOutage = await completedSessions();
    expect(queued.length).toBe(duringOutage.length - beforeOutage.length);
    expect(queued.length).toBeGreaterThanOrEqual(3);
    for (const row of queued) {
      expect(row.status).toBe('PENDING');
      expect(row.attempts).toBeGreaterThan(0);
      expect(row.lastError).toMatch(/ECONNREFUSED|network|unreachable/i);
    }
    expect(await db().billingEvent.count({ where: { status: 'FAILED' } })).toBe(0);

    // 3. The network comes back: everything queued arrives, each event exactly once.
    expect(await setFault(false)).toEqual({ down: false, pendingEvents: queued.length });
    expect(sandbox.fault).toBeNull();
    const restored = await t.app.services.billing.drainUntilIdle();
    expect(restored.error).toBeNull();
    expect(restored.delivered).toBe(queued.length);
    // A second drain finds nothing left to send.
    expect((await t.app.services.billing.drainUntilIdle()).claimed).toBe(0);

    const all = await expectUsageMatchesDatabase();
    expect(all.length).toBe(duringOutage.length);
    expectAcceptedExactlyOnce(all.map((s) => s.transactionId));
    expect(sandbox.store.acceptedEvents()).toHaveLength(all.length);
    expect(await db().billingEvent.count({ where: { status: { not: 'DELIVERED' } } })).toBe(0);

    // Both switches were audited.
    const audit = await db().auditEvent.findMany({
      where: { action: 'lago.sandbox_fault_set' },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => (a.after as { down: boolean }).down)).toEqual([true, false]);
  });
});

describe('setLagoSandboxFault with a real Lago', () => {
  it('answers SandboxNotInUseError and changes nothing', { timeout: 30_000 }, async () => {
    const lago = new RealLagoAdapter({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'unused',
      fetch: () => Promise.reject(new Error('no Lago call expected')),
    });
    const t = await createTestApp({ app: { background: false, lago } });
    try {
      const admin = await t.createUser({ role: 'admin' });
      const cookie = await t.signIn(admin.email, admin.password);
      const res = await t.graphql<SetFaultData>(SET_FAULT, { down: true }, { cookie });
      expect(res.errors).toBeUndefined();
      expect(res.data?.setLagoSandboxFault.__typename).toBe('SandboxNotInUseError');
      expect(await t.app.services.db.auditEvent.count({ where: { action: 'lago.sandbox_fault_set' } })).toBe(
        0,
      );
    } finally {
      await t.stop();
    }
  });
});
