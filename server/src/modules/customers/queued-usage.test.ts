import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeLagoServer,
  type FakeLagoServer,
} from '../../integrations/lago/sandbox/fake-lago-server.ts';
import type { LagoPort } from '../../integrations/lago/port.ts';
import type { LagoStore } from '../../integrations/lago/sandbox/store.ts';
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
  let store: LagoStore;
  let server: FakeLagoServer | undefined;
  let admin: string;
  // Lago's clock: set just after the queued sessions ended (same billing month).
  let lagoNow = new Date();
  const clock = () => lagoNow;

  beforeAll(async () => {
    if (kind === 'sandbox') {
      const sandbox = new LagoSandbox({ now: clock });
      lago = sandbox;
      store = sandbox.store;
    } else {
      server = await startFakeLagoServer({ now: clock });
      lago = new RealLagoAdapter({ baseUrl: server.origin, apiKey: server.apiKey, timeoutMs: 2_000 });
      store = server.store;
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
    return { card, pks, earliest: new Date(Math.min(...stops)), latest: new Date(Math.max(...stops)) };
  }

  /** The timestamps Lago stored for these sessions' events (ISO). */
  function storedTimestamps(pks: number[]): string[] {
    const ids = new Set(pks.map((pk) => `polaris-session-${pk}`));
    return store
      .acceptedEvents()
      .filter((e) => ids.has(e.transactionId))
      .map((e) => e.timestamp.toISOString());
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

  it('the customer already has a subscription that started after the queued sessions: they are billed from its start', async () => {
    const { card, pks } = await queuedSessions(2);
    // Subscribed in Lago a minute after the sessions ended (e.g. for another card); Lago keeps that start.
    const externalId = `subscribed-${kind}`;
    await lago.upsertCustomer({ externalId, name: 'Already subscribed' });
    const existing = await lago.ensureSubscription(externalId);
    lagoNow = new Date(lagoNow.getTime() + 5 * 60_000);

    const res = await t.graphql<{ mapCardToCustomer: { __typename: string } }>(
      MAP,
      { cardId: card.id, customerExternalId: externalId },
      { cookie: admin },
    );
    expect(res.data!.mapCardToCustomer.__typename).toBe('MutationMapCardToCustomerSuccess');
    await t.app.services.billing.drainUntilIdle();

    expect((await lago.ensureSubscription(externalId)).startedAt).toEqual(existing.startedAt);
    expect(await lago.getCurrentUsage(externalId)).toMatchObject({ kwh: 20, eventsCount: 2 });
    const start = new Date(Math.ceil(existing.startedAt!.getTime() / 1000) * 1000).toISOString();
    expect(storedTimestamps(pks)).toEqual([start, start]);
    // Polaris keeps the real stop times.
    const rows = await t.app.services.db.billingEvent.findMany({
      where: { transactionId: { in: pks.map((pk) => `polaris-session-${pk}`) } },
    });
    expect(rows.map((r) => (r.payload as { billedAt?: string }).billedAt)).toEqual([start, start]);
    expect(rows.every((r) => (r.payload as { stoppedAt: string }).stoppedAt < start)).toBe(true);
  });

  it('sessions from a billing period Lago has already closed are billed in the open one', async () => {
    const { card, pks, latest } = await queuedSessions(1);
    // Lago's clock: the next calendar month (the sessions' month was invoiced on its first day).
    lagoNow = new Date(Date.UTC(latest.getUTCFullYear(), latest.getUTCMonth() + 1, 2, 10));
    const res = await t.graphql<{ createLagoCustomer: { __typename: string } }>(
      CREATE,
      { input: { name: 'Next Month', externalId: `next-month-${kind}`, cardId: card.id } },
      { cookie: admin },
    );
    expect(res.data!.createLagoCustomer.__typename).toBe('MutationCreateLagoCustomerSuccess');
    await t.app.services.billing.drainUntilIdle();

    expect(await lago.getCurrentUsage(`next-month-${kind}`)).toMatchObject({ kwh: 10, eventsCount: 1 });
    const periodStart = new Date(Date.UTC(latest.getUTCFullYear(), latest.getUTCMonth() + 1, 1));
    expect(storedTimestamps(pks)).toEqual([periodStart.toISOString()]);
  });
});
