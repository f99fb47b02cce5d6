import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeLagoServer,
  type FakeLagoServer,
} from '../../integrations/lago/sandbox/fake-lago-server.ts';
import type { LagoPort } from '../../integrations/lago/port.ts';
import { RealLagoAdapter } from '../../integrations/lago/real-adapter.ts';
import { LagoSandbox } from '../../integrations/lago/sandbox/sandbox.ts';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { createCard, createCharger, createCompletedSessions } from '../billing/billing.fixtures.ts';

const CREATE = /* GraphQL */ `
  mutation ($input: CreateLagoCustomerInput!) {
    createLagoCustomer(input: $input) {
      __typename
    }
  }
`;

const MAP = /* GraphQL */ `
  mutation ($cardId: ID!, $customerExternalId: String!) {
    mapCardToCustomer(cardId: $cardId, customerExternalId: $customerExternalId) {
      __typename
    }
  }
`;

/**
 * Sessions that ended while their card had no customer wait in the outbox; once the card gets a
 * customer they are sent with their own stop times. Lago bills only events inside a subscription's
 * life, so the subscription Polaris creates must start no later than the earliest of them.
 */
describe.each([
  ['the Lago sandbox', 'sandbox'],
  ['the real adapter against the fake Lago server', 'http'],
] as const)('queued usage is billed once the card has a customer (%s)', (_label, kind) => {
  let t: TestApp;
  let lago: LagoPort;
  let server: FakeLagoServer | undefined;
  let admin: string;
  // Lago's clock: set just after the queued sessions ended (same billing month).
  let lagoNow = new Date();
  const clock = () => lagoNow;

  beforeAll(async () => {
    if (kind === 'sandbox') {
      lago = new LagoSandbox({ now: clock });
    } else {
      server = await startFakeLagoServer({ now: clock });
      lago = new RealLagoAdapter({ baseUrl: server.origin, apiKey: server.apiKey, timeoutMs: 2_000 });
    }
    // A customer created in Lago directly (no subscription yet, unknown to Polaris).
    await lago.upsertCustomer({ externalId: 'crm-only', name: 'Created in Lago' });
    t = await createTestApp({ app: { lago, background: false } });
    const a = await t.createUser({ role: 'admin' });
    admin = await t.signIn(a.email, a.password);
  });
  afterAll(async () => {
    await t?.stop();
    await server?.close();
  });

  async function queuedSessions(count: number) {
    const db = t.app.services.db;
    const charger = await createCharger(db);
    const card = await createCard(db);
    const pks = await createCompletedSessions(db, {
      count,
      chargerId: charger.id,
      chargeBoxId: charger.chargeBoxId,
      card,
      customerExternalId: null,
      kwh: () => 10,
    });
    const sessions = await db.chargingSession.findMany({ where: { steveTransactionPk: { in: pks } } });
    const stops = sessions.map((s) => s.stoppedAt!.getTime());
    lagoNow = new Date(Math.max(...stops) + 60_000);
    return { card, earliest: new Date(Math.min(...stops)) };
  }

  it('a customer created for the card: its subscription starts at the earliest queued session', async () => {
    const { card, earliest } = await queuedSessions(2);
    const res = await t.graphql<{ createLagoCustomer: { __typename: string } }>(
      CREATE,
      { input: { name: 'Late Customer', externalId: `late-${kind}`, cardId: card.id } },
      { cookie: admin },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.createLagoCustomer.__typename).toBe('MutationCreateLagoCustomerSuccess');
    await t.app.services.billing.drainUntilIdle();

    const sub = await lago.ensureSubscription(`late-${kind}`);
    expect(sub.startedAt?.toISOString()).toBe(earliest.toISOString());
    const usage = await lago.getCurrentUsage(`late-${kind}`);
    expect(usage).toMatchObject({ kwh: 20, eventsCount: 2 });
    if (server) {
      const [created] = server.requestsTo('POST', '/subscriptions');
      expect(created?.body).toMatchObject({ subscription: { subscription_at: earliest.toISOString() } });
      expect(server.violations).toEqual([]);
    }
  });

  it('a card mapped to a customer Polaris has not seen yet: same rule', async () => {
    const { card } = await queuedSessions(1);
    const res = await t.graphql<{ mapCardToCustomer: { __typename: string } }>(
      MAP,
      { cardId: card.id, customerExternalId: 'crm-only' },
      { cookie: admin },
    );
    expect(res.data!.mapCardToCustomer.__typename).toBe('MutationMapCardToCustomerSuccess');
    await t.app.services.billing.drainUntilIdle();
    expect(await lago.getCurrentUsage('crm-only')).toMatchObject({ kwh: 10, eventsCount: 1 });
  });
});
