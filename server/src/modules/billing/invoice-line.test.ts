import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { sessionTransactionId, subscriptionIdFor } from '../../integrations/lago/port.ts';
import { LagoSandbox } from '../../integrations/lago/sandbox/sandbox.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import { giveCard } from '../charging/test-fixtures.ts';
import { invoiceCache } from './invoice-lines.ts';

const LINE = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on ChargingSession {
        energyKwh
        invoiceLine {
          state
          periodFrom
          periodTo
          invoice {
            number
            status
            issuingDate
            kwhUnits
            kwhAmount {
              amount
              amountMinor
              currency
            }
          }
        }
      }
    }
  }
`;

interface Line {
  node: {
    energyKwh: number;
    invoiceLine: {
      state: string;
      periodFrom: string;
      periodTo: string;
      invoice: { number: string; status: string; kwhUnits: string; kwhAmount: { amount: string } } | null;
    } | null;
  } | null;
}

const CREATE_KEY = `mutation ($role: ApiKeyRole!) { createApiKey(name: "k", role: $role) {
  ... on MutationCreateApiKeySuccess { data { secret } } } }`;

describe('ChargingSession.invoiceLine', () => {
  let t: TestApp;
  let lago: LagoSandbox;
  let driverCookie: string;
  let otherCookie: string;
  let adminCookie: string;
  let pastId: string;
  let currentId: string;
  const now = new Date();
  const past = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 15, 12));

  beforeAll(async () => {
    const sim = new FleetSimulator({
      seed: 5,
      size: 2,
      fleetChurn: false,
      outages: false,
      backgroundActivity: false,
    });
    lago = new LagoSandbox({ unitPrice: '0.40' });
    t = await createTestApp({ app: { background: false, steve: sim, lago } });
    const driver = await t.createUser();
    driverCookie = await t.signIn(driver.email, driver.password);
    const other = await t.createUser();
    otherCookie = await t.signIn(other.email, other.password);
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);

    const card = await giveCard(t.app.services.db, sim, driver.id, { isPrimary: true });
    const customer = await t.app.services.db.customer.create({
      data: { externalId: 'cus-inv', name: 'Ines' },
    });
    await t.app.services.db.evCard.update({ where: { id: card.id }, data: { customerId: customer.id } });
    await lago.upsertCustomer({ externalId: 'cus-inv', name: 'Ines' });
    await lago.ensureSubscription('cus-inv', {
      startAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 1)),
    });
    // Lago has the past session's event and another one of the same period: one fee for both.
    await lago.sendEvents([
      {
        transactionId: sessionTransactionId(900_001),
        externalSubscriptionId: subscriptionIdFor('cus-inv'),
        timestamp: past,
        properties: { kwh: '10' },
      },
      {
        transactionId: sessionTransactionId(900_003),
        externalSubscriptionId: subscriptionIdFor('cus-inv'),
        timestamp: new Date(past.getTime() + 3_600_000),
        properties: { kwh: '5.5' },
      },
    ]);

    await t.app.services.sync.engine.run({ trigger: 'MANUAL' });
    const charger = await t.app.services.db.charger.findFirstOrThrow();
    const session = (pk: number, kwh: number, stoppedAt: Date) =>
      t.app.services.db.chargingSession.create({
        data: {
          steveTransactionPk: pk,
          chargerId: charger.id,
          connectorNumber: 1,
          idTag: card.idTag,
          cardId: card.id,
          driverId: driver.id,
          status: 'COMPLETED',
          startedAt: new Date(stoppedAt.getTime() - 60_000),
          firstMeterAt: new Date(stoppedAt.getTime() - 60_000),
          stoppedAt,
          meterStartWh: 0,
          energyKwh: kwh,
        },
      });
    await session(900_001, 10, past);
    await session(900_002, 4, new Date(now.getTime() - 60_000));
    const list = await t.graphql<{ sessions: { nodes: { id: string; energyKwh: number }[] } }>(
      '{ sessions(first: 10) { nodes { id energyKwh } } }',
      {},
      { cookie: driverCookie },
    );
    pastId = list.data!.sessions.nodes.find((n) => n.energyKwh === 10)!.id;
    currentId = list.data!.sessions.nodes.find((n) => n.energyKwh === 4)!.id;
  }, 90_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('shows the driver the kWh fee of the invoice of the session’s ended period', async () => {
    const res = await t.graphql<Line>(LINE, { id: pastId }, { cookie: driverCookie });
    expect(res.errors).toBeUndefined();
    const line = res.data!.node!.invoiceLine!;
    expect(line.state).toBe('INVOICED');
    expect(line.invoice).toMatchObject({
      status: 'FINALIZED',
      kwhUnits: '15.5',
      kwhAmount: { amount: '6.20', amountMinor: 620, currency: 'EUR' },
    });
    expect(new Date(line.periodFrom).getTime()).toBeLessThanOrEqual(past.getTime());
    expect(new Date(line.periodTo).getTime()).toBeGreaterThanOrEqual(past.getTime());
  });

  it('says a session of the open period is not invoiced yet, with its period', async () => {
    const res = await t.graphql<Line>(LINE, { id: currentId }, { cookie: driverCookie });
    expect(res.errors).toBeUndefined();
    const line = res.data!.node!.invoiceLine!;
    expect(line.state).toBe('NOT_INVOICED');
    expect(line.invoice).toBeNull();
    expect(new Date(line.periodFrom).getUTCDate()).toBe(1);
  });

  it('is visible to operators and billing keys, not to other drivers or read-only keys', async () => {
    expect((await t.graphql<Line>(LINE, { id: pastId }, { cookie: otherCookie })).data!.node).toBeNull();
    const admin = await t.graphql<Line>(LINE, { id: pastId }, { cookie: adminCookie });
    expect(admin.data!.node!.invoiceLine!.state).toBe('INVOICED');

    const key = async (role: string) =>
      (
        await t.graphql<{ createApiKey: { data: { secret: string } } }>(
          CREATE_KEY,
          { role },
          { cookie: adminCookie },
        )
      ).data!.createApiKey.data.secret;
    const billing = await t.graphql<Line>(LINE, { id: pastId }, { apiKey: await key('OPERATOR') });
    expect(billing.data!.node!.invoiceLine!.state).toBe('INVOICED');
    const readOnly = await t.graphql<Line>(LINE, { id: pastId }, { apiKey: await key('READ_ONLY') });
    expect(readOnly.data?.node?.invoiceLine ?? null).toBeNull();
    expect(readOnly.errors?.[0]?.path).toEqual(['node', 'invoiceLine']);
  });

  it('answers UNAVAILABLE, not an error, while Lago is down', async () => {
    invoiceCache(t.app.services).clear();
    lago.setFault({ down: true });
    try {
      const res = await t.graphql<Line>(LINE, { id: pastId }, { cookie: driverCookie });
      expect(res.errors).toBeUndefined();
      expect(res.data!.node!.invoiceLine).toMatchObject({ state: 'UNAVAILABLE', invoice: null });
      expect(res.data!.node!.energyKwh).toBe(10);
    } finally {
      lago.clearFault();
    }
  });
});
