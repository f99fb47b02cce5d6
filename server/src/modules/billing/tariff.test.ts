import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { RealLagoAdapter } from '../../integrations/lago/real-adapter.ts';
import { startFakeLagoServer } from '../../integrations/lago/sandbox/fake-lago-server.ts';
import { LagoSandbox } from '../../integrations/lago/sandbox/sandbox.ts';
import type { LagoStore } from '../../integrations/lago/sandbox/store.ts';
import { costOf, tariffFromPlan, type Tariff } from '../../integrations/lago/tariff.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import { giveCard } from '../charging/test-fixtures.ts';
import { TariffCache } from './tariffs.ts';

const EUR = (amount: string): Tariff => ({
  planCode: 'p',
  currency: 'EUR',
  model: 'standard',
  interval: 'monthly',
  tiers: [{ fromKwh: 0n, toKwh: null, unitPrice: BigInt(Math.round(Number(amount) * 1e6)), flatFee: 0n }],
});

/** A plan on the kWh metric with graduated tiers: 0–10 kWh 0.40 (+1.00 flat), 11–50 0.30, above 0.25. */
function graduatedPlan(store: LagoStore, code: string) {
  const metric = store.findBillableMetric('kwh').billable_metric;
  store.createPlan({
    plan: {
      name: 'Tiered',
      code,
      interval: 'monthly',
      amount_cents: 0,
      amount_currency: 'EUR',
      pay_in_advance: false,
      charges: [
        {
          billable_metric_id: metric.lago_id,
          charge_model: 'graduated',
          properties: {
            graduated_ranges: [
              { from_value: 0, to_value: 10, per_unit_amount: '0.40', flat_amount: '1.00' },
              { from_value: 11, to_value: 50, per_unit_amount: '0.30', flat_amount: '0' },
              { from_value: 51, to_value: null, per_unit_amount: '0.25', flat_amount: '0' },
            ],
          },
        },
      ],
    },
  });
}

describe('cost arithmetic (exact, integer minor units)', () => {
  it('prices a standard tariff per kWh, rounded half up to cents', () => {
    expect(costOf(EUR('0.35'), '12.345')).toEqual({ minor: 432n, amount: '4.32', currency: 'EUR' });
    expect(costOf(EUR('0.35'), 0)).toMatchObject({ minor: 0n, amount: '0.00' });
    // 0.1 + 0.2 kWh in floats is 0.30000000000000004; the cost is still exactly 3 cents.
    expect(costOf(EUR('0.10'), 0.1 + 0.2)).toMatchObject({ minor: 3n, amount: '0.03' });
    // Half a cent rounds up: 1 kWh × 0.005.
    expect(costOf(EUR('0.005'), 1).minor).toBe(1n);
  });

  it('uses the currency’s minor unit (JPY has none)', () => {
    const yen: Tariff = {
      ...EUR('0'),
      currency: 'JPY',
      tiers: [{ ...EUR('0').tiers[0]!, unitPrice: 55_000_000n }],
    };
    expect(costOf(yen, '10.5')).toEqual({ minor: 578n, amount: '578', currency: 'JPY' });
  });

  it('prices graduated tiers the way Lago does, flat fees once a tier is reached', () => {
    const store = new LagoSandbox().store;
    graduatedPlan(store, 'tiered');
    const tariff = tariffFromPlan(store.findPlan('tiered').plan, 'kwh')!;
    expect(tariff.model).toBe('graduated');
    expect(tariff.tiers.map((t) => [t.fromKwh, t.toKwh])).toEqual([
      [0n, 10_000_000n],
      [10_000_000n, 50_000_000n],
      [50_000_000n, null],
    ]);
    expect(costOf(tariff, 0).amount).toBe('0.00');
    expect(costOf(tariff, 5).amount).toBe('3.00'); // 1.00 + 5 × 0.40
    expect(costOf(tariff, 10).amount).toBe('5.00'); // tier 2 not reached
    expect(costOf(tariff, '10.5').amount).toBe('5.15');
    expect(costOf(tariff, 60).amount).toBe('19.50'); // 1 + 4 + 40 × 0.30 + 10 × 0.25
  });

  it('prices a session on top of the kWh its customer used earlier in the billing period, as Lago bills it', () => {
    const store = new LagoSandbox().store;
    graduatedPlan(store, 'tiered');
    const tariff = tariffFromPlan(store.findPlan('tiered').plan, 'kwh')!;
    // 8 kWh already this period: 2 kWh left at 0.40 (flat fee already paid), 3 kWh at 0.30.
    expect(costOf(tariff, 5, 8).amount).toBe('1.70');
    // The sessions of a period add up to what Lago charges for the period's sum.
    expect(costOf(tariff, 8).minor + costOf(tariff, 5, 8).minor).toBe(costOf(tariff, 13).minor);
    expect(costOf(tariff, '0.001', 60).amount).toBe('0.00');
  });

  it('reads no tariff from a plan without a kWh charge', () => {
    const store = new LagoSandbox().store;
    const plan = store.findPlan('ev_charging').plan;
    expect(tariffFromPlan(plan, 'other_metric')).toBeNull();
    expect(
      tariffFromPlan({ ...plan, charges: [{ ...plan.charges![0]!, charge_model: 'package' }] }, 'kwh'),
    ).toBeNull();
  });
});

describe('tariff through the official Lago client', () => {
  it('reads the customer’s plan (flat and graduated) from a Lago that validates requests against its spec', async () => {
    const fake = await startFakeLagoServer({ apiKey: 'k', provision: { unitPrice: '0.42' } });
    try {
      const lago = new RealLagoAdapter({ baseUrl: fake.origin, apiKey: 'k', timeoutMs: 2_000 });
      await lago.upsertCustomer({ externalId: 'cus-flat', name: 'Flat' });
      await lago.ensureSubscription('cus-flat');
      const flat = await lago.getTariff('cus-flat');
      expect(flat).toMatchObject({ currency: 'EUR', model: 'standard' });
      expect(flat!.tiers[0]!.unitPrice).toBe(420_000n);

      graduatedPlan(fake.store, 'tiered');
      await lago.upsertCustomer({ externalId: 'cus-tier', name: 'Tier' });
      fake.store.createSubscription({
        subscription: {
          external_customer_id: 'cus-tier',
          plan_code: 'tiered',
          external_id: 'polaris-sub-cus-tier',
        },
      });
      const tiered = await lago.getTariff('cus-tier');
      expect(tiered?.model).toBe('graduated');
      expect(tiered?.tiers).toHaveLength(3);
      // No subscription yet: the configured plan.
      expect((await lago.getTariff('cus-new'))?.tiers[0]!.unitPrice).toBe(420_000n);
      expect(fake.violations).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('caches answers, and "unavailable" only briefly while Lago is down', async () => {
    const lago = new LagoSandbox();
    let calls = 0;
    const original = lago.getTariff.bind(lago);
    lago.getTariff = (id, o) => {
      calls += 1;
      return original(id, o);
    };
    let now = 0;
    const warnings: unknown[] = [];
    const cache = new TariffCache(
      lago,
      (e) => warnings.push(e),
      () => now,
    );
    lago.setFault({ down: true });
    expect(await cache.get(null)).toBeNull();
    expect(warnings).toHaveLength(1);
    lago.clearFault();
    expect(await cache.get(null)).toBeNull(); // still the cached failure
    now += 31_000;
    expect((await cache.get(null))?.currency).toBe('EUR');
    now += 60_000;
    await cache.get(null); // a tariff is kept 5 minutes
    expect(calls).toBe(2);
    now += 5 * 60_000;
    await Promise.all([cache.get(null), cache.get(null)]); // one call for both
    expect(calls).toBe(3);
  });
});

describe('tariff and cost over GraphQL', () => {
  let t: TestApp;
  let lago: LagoSandbox;
  let sim: FleetSimulator;
  let driverCookie: string;
  const TARIFF = '{ tariff { currency currencyDigits model tiers { fromKwh toKwh unitPrice flatFee } } }';

  beforeAll(async () => {
    sim = new FleetSimulator({
      seed: 3,
      size: 4,
      fleetChurn: false,
      outages: false,
      backgroundActivity: false,
    });
    lago = new LagoSandbox({ unitPrice: '0.39' });
    await lago.seedDemoCustomers();
    graduatedPlan(lago.store, 'tiered');
    t = await createTestApp({ app: { background: false, steve: sim, lago } });
    const u = await t.createUser();
    driverCookie = await t.signIn(u.email, u.password);
    await giveCard(t.app.services.db, sim, u.id, { isPrimary: true });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });
  afterEach(() => lago.clearFault());

  it('shows a card without a customer the default plan’s price', async () => {
    const res = await t.graphql<{ tariff: unknown }>(TARIFF, {}, { cookie: driverCookie });
    expect(res.errors).toBeUndefined();
    expect(res.data!.tariff).toEqual({
      currency: 'EUR',
      currencyDigits: 2,
      model: 'STANDARD',
      tiers: [{ fromKwh: '0', toKwh: null, unitPrice: '0.39', flatFee: '0' }],
    });
  });

  it('shows a graduated plan’s tiers to a driver whose card bills to a customer on it', async () => {
    const u = await t.createUser();
    const cookie = await t.signIn(u.email, u.password);
    const card = await giveCard(t.app.services.db, sim, u.id, { isPrimary: true });
    const customer = await t.app.services.db.customer.create({
      data: { externalId: 'demo-cus-002', name: 'Lukas Meyer' },
    });
    await t.app.services.db.evCard.update({ where: { id: card.id }, data: { customerId: customer.id } });
    lago.store.createSubscription({
      subscription: {
        external_customer_id: 'demo-cus-002',
        plan_code: 'tiered',
        external_id: 'polaris-sub-demo-cus-002',
      },
    });
    const res = await t.graphql<{ tariff: { model: string; tiers: unknown[] } }>(TARIFF, {}, { cookie });
    expect(res.data!.tariff.model).toBe('GRADUATED');
    expect(res.data!.tariff.tiers).toEqual([
      { fromKwh: '0', toKwh: '10', unitPrice: '0.4', flatFee: '1' },
      { fromKwh: '10', toKwh: '50', unitPrice: '0.3', flatFee: '0' },
      { fromKwh: '50', toKwh: null, unitPrice: '0.25', flatFee: '0' },
    ]);

    // Costs follow Lago's period: a finished 8 kWh session, then a running one at 5 kWh so far.
    await t.app.services.sync.engine.run({ trigger: 'MANUAL' });
    const charger = await t.app.services.db.charger.findFirstOrThrow();
    const now = Date.now();
    const session = (pk: number, kwh: number, stoppedAt: Date | null) =>
      t.app.services.db.chargingSession.create({
        data: {
          steveTransactionPk: pk,
          chargerId: charger.id,
          connectorNumber: 1,
          idTag: card.idTag,
          cardId: card.id,
          driverId: u.id,
          status: stoppedAt ? 'COMPLETED' : 'ACTIVE',
          startedAt: new Date(now - 1_000),
          firstMeterAt: new Date(now - 1_000),
          stoppedAt,
          meterStartWh: 0,
          energyKwh: kwh,
        },
      });
    await session(800_001, 8, new Date(now - 500));
    await session(800_002, 5, null);
    const costs = await t.graphql<{ sessions: { nodes: { energyKwh: number; cost: { amount: string } }[] } }>(
      '{ sessions(first: 10) { nodes { energyKwh cost { amount } } } }',
      {},
      { cookie },
    );
    expect(costs.errors).toBeUndefined();
    expect(costs.data!.sessions.nodes.map((n) => [n.energyKwh, n.cost.amount]).sort()).toEqual([
      [5, '1.70'],
      [8, '4.20'],
    ]);
  });

  it('answers null ("price unavailable") without an error while Lago is down', async () => {
    const u = await t.createUser();
    const cookie = await t.signIn(u.email, u.password);
    const card = await giveCard(t.app.services.db, sim, u.id, { isPrimary: true });
    const customer = await t.app.services.db.customer.create({
      data: { externalId: 'demo-cus-003', name: 'Sofia' },
    });
    await t.app.services.db.evCard.update({ where: { id: card.id }, data: { customerId: customer.id } });
    lago.setFault({ down: true });
    const res = await t.graphql<{ tariff: unknown }>(TARIFF, {}, { cookie });
    expect(res.errors).toBeUndefined();
    expect(res.data!.tariff).toBeNull();
  });
});
