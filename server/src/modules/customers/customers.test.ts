import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LagoSandbox } from '../../integrations/lago/sandbox/sandbox.ts';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { createCard, createCharger, createCompletedSessions } from '../billing/billing.fixtures.ts';

const MAP = /* GraphQL */ `
  mutation ($cardId: ID!, $customerExternalId: String!) {
    mapCardToCustomer(cardId: $cardId, customerExternalId: $customerExternalId) {
      __typename
      ... on MutationMapCardToCustomerSuccess {
        data {
          cardId
          publicId
          customer {
            externalId
            name
          }
          customerMappings {
            current
            startedAt
            endedAt
            actorId
            actor {
              email
            }
            customer {
              externalId
            }
          }
        }
      }
      ... on LagoCustomerNotFoundError {
        message
        customerExternalId
      }
      ... on LagoUnavailableError {
        message
        retryable
      }
      ... on CardNotFoundError {
        message
      }
    }
  }
`;

const CREATE = /* GraphQL */ `
  mutation ($input: CreateLagoCustomerInput!) {
    createLagoCustomer(input: $input) {
      __typename
      ... on MutationCreateLagoCustomerSuccess {
        data {
          customer {
            externalId
            name
            email
            lagoId
          }
          card {
            publicId
            customer {
              externalId
            }
            customerMappings {
              current
            }
          }
        }
      }
      ... on LagoUnavailableError {
        message
        retryable
      }
      ... on LagoCustomerExistsError {
        message
        customerExternalId
      }
      ... on InvalidCustomerInputError {
        message
        field
      }
    }
  }
`;

const PICKER = /* GraphQL */ `
  query ($search: String, $page: Int, $perPage: Int) {
    lagoCustomers(search: $search, page: $page, perPage: $perPage) {
      __typename
      ... on QueryLagoCustomersSuccess {
        data {
          nodes {
            externalId
            name
            email
          }
          currentPage
          nextPage
          prevPage
          totalPages
          totalCount
        }
      }
      ... on LagoUnavailableError {
        message
        retryable
      }
    }
  }
`;

type Result<T> = { __typename: string; data?: T; message?: string } & Record<string, unknown>;

/** What MAP selects on success. */
interface MappedCard {
  cardId: string;
  publicId: string;
  customer: { externalId: string; name: string };
  customerMappings: Array<{
    current: boolean;
    startedAt: string;
    endedAt: string | null;
    actorId: string | null;
    actor: { email: string } | null;
    customer: { externalId: string };
  }>;
}

/** What CREATE selects on success. */
interface CreatedCustomer {
  customer: { externalId: string; name: string; email: string | null; lagoId: string | null };
  card: {
    publicId: string;
    customer: { externalId: string } | null;
    customerMappings: Array<{ current: boolean }>;
  } | null;
}

/** What PICKER selects on success. */
interface CustomerPage {
  nodes: Array<{ externalId: string; name: string; email: string | null }>;
  currentPage: number;
  nextPage: number | null;
  prevPage: number | null;
  totalPages: number;
  totalCount: number;
}

let t: TestApp;
let lago: LagoSandbox;
let admin: { id: string; email: string; cookie: string };
let driverCookie: string;

beforeAll(async () => {
  lago = new LagoSandbox();
  await lago.seedDemoCustomers();
  t = await createTestApp({ app: { lago, background: false } });
  const a = await t.createUser({ role: 'admin' });
  admin = { ...a, cookie: await t.signIn(a.email, a.password) };
  const d = await t.createUser({ role: 'customer' });
  driverCookie = await t.signIn(d.email, d.password);
});
afterAll(async () => {
  await t?.stop();
});

async function map(cardId: string, customerExternalId: string) {
  const res = await t.graphql<{ mapCardToCustomer: Result<MappedCard> }>(
    MAP,
    { cardId, customerExternalId },
    { cookie: admin.cookie },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.mapCardToCustomer;
}

describe('card → customer mapping', () => {
  it('re-pointing keeps the history and audits the previous and the new customer', async () => {
    const db = t.app.services.db;
    const card = await createCard(db);
    const first = await map(card.id, 'demo-cus-001');
    expect(first.__typename).toBe('MutationMapCardToCustomerSuccess');
    expect(first.data!.customer.externalId).toBe('demo-cus-001');

    const second = await map(card.publicId, 'demo-cus-005');
    expect(second.__typename).toBe('MutationMapCardToCustomerSuccess');
    const history = second.data!.customerMappings;
    expect(history.map((m) => [m.customer.externalId, m.current])).toEqual([
      ['demo-cus-005', true],
      ['demo-cus-001', false],
    ]);
    expect(history[1]!.endedAt).toBe(history[0]!.startedAt);
    expect(history[0]!.actor?.email).toBe(admin.email);
    expect(history[0]!.actorId).toBe(admin.id);

    const stored = await db.evCard.findUniqueOrThrow({ where: { id: card.id }, include: { customer: true } });
    expect(stored.customer?.externalId).toBe('demo-cus-005');
    expect(await db.cardCustomerMapping.count({ where: { cardId: card.id, endedAt: null } })).toBe(1);

    const audits = await db.auditEvent.findMany({
      where: { subjectType: 'EvCard', subjectId: card.publicId, action: 'card.customer_mapped' },
      orderBy: { at: 'asc' },
    });
    expect(audits).toHaveLength(2);
    expect(audits[1]!.actorId).toBe(admin.id);
    expect(audits[1]!.before).toMatchObject({
      customer: { externalId: 'demo-cus-001', name: 'Anna Schmidt' },
    });
    expect(audits[1]!.after).toMatchObject({ customer: { externalId: 'demo-cus-005' } });

    // Mapping to the current customer again changes nothing.
    await map(card.id, 'demo-cus-005');
    expect(await db.cardCustomerMapping.count({ where: { cardId: card.id } })).toBe(2);
  });

  it('refuses a customer Lago does not know, and an unknown card, as typed errors', async () => {
    const card = await createCard(t.app.services.db);
    const missing = await map(card.id, 'nobody-here');
    expect(missing).toMatchObject({
      __typename: 'LagoCustomerNotFoundError',
      customerExternalId: 'nobody-here',
    });
    expect(await t.app.services.db.cardCustomerMapping.count({ where: { cardId: card.id } })).toBe(0);
    expect((await map('no-such-card', 'demo-cus-001')).__typename).toBe('CardNotFoundError');
  });

  it('reports Lago being down as LagoUnavailableError and changes nothing', async () => {
    const card = await createCard(t.app.services.db);
    lago.setFault({ down: true });
    try {
      const res = await map(card.id, 'demo-cus-002');
      expect(res).toMatchObject({ __typename: 'LagoUnavailableError', retryable: true });
    } finally {
      lago.clearFault();
    }
    const stored = await t.app.services.db.evCard.findUniqueOrThrow({ where: { id: card.id } });
    expect(stored.customerId).toBeNull();
  });

  it('releases the card’s waiting usage events to the new customer’s subscription', async () => {
    const db = t.app.services.db;
    const charger = await createCharger(db);
    const card = await createCard(db);
    const pks = await createCompletedSessions(db, {
      count: 3,
      chargerId: charger.id,
      chargeBoxId: charger.chargeBoxId,
      card,
      customerExternalId: null,
    });
    const ids = pks.map((pk) => `polaris-session-${pk}`);
    expect(
      await db.billingEvent.count({ where: { transactionId: { in: ids }, status: 'WAITING_FOR_CUSTOMER' } }),
    ).toBe(3);
    await map(card.id, 'demo-cus-003');
    const rows = await db.billingEvent.findMany({ where: { transactionId: { in: ids } } });
    expect(rows.map((r) => [r.status, r.externalSubscriptionId])).toEqual(
      Array(3).fill(['PENDING', 'polaris-sub-demo-cus-003']),
    );
    await t.app.services.billing.drainUntilIdle();
    for (const id of ids) expect(lago.store.eventCount(id)).toBe(1);
    expect(
      (await db.billingEvent.findMany({ where: { transactionId: { in: ids } } })).every(
        (r) => r.status === 'DELIVERED',
      ),
    ).toBe(true);
  });

  it('is for operators only', async () => {
    const card = await createCard(t.app.services.db);
    const res = await t.graphql(
      MAP,
      { cardId: card.id, customerExternalId: 'demo-cus-001' },
      { cookie: driverCookie },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await t.graphql(PICKER, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('inline customer creation', () => {
  it('creates the customer in Lago first (with its subscription), mirrors it and maps the card', async () => {
    const db = t.app.services.db;
    const card = await createCard(db);
    const before = lago.store.customerCount();
    const res = await t.graphql<{ createLagoCustomer: Result<CreatedCustomer> }>(
      CREATE,
      { input: { name: 'Mila Novak', email: 'mila@example.org', externalId: 'crm-4711', cardId: card.id } },
      { cookie: admin.cookie },
    );
    expect(res.errors).toBeUndefined();
    const out = res.data!.createLagoCustomer;
    expect(out.__typename).toBe('MutationCreateLagoCustomerSuccess');
    expect(out.data!.customer).toMatchObject({
      externalId: 'crm-4711',
      name: 'Mila Novak',
      email: 'mila@example.org',
    });
    const inLago = await lago.getCustomer('crm-4711');
    expect(out.data!.customer.lagoId).toBe(inLago!.lagoId);
    expect(out.data!.card).toMatchObject({ publicId: card.publicId, customer: { externalId: 'crm-4711' } });

    expect(lago.store.customerCount()).toBe(before + 1);
    expect(inLago).toMatchObject({
      name: 'Mila Novak',
      email: 'mila@example.org',
    });
    const sub = await lago.ensureSubscription('crm-4711');
    expect(sub).toMatchObject({ externalId: 'polaris-sub-crm-4711', status: 'active' });
    expect(await db.customer.findUnique({ where: { externalId: 'crm-4711' } })).toMatchObject({
      name: 'Mila Novak',
      email: 'mila@example.org',
      lagoId: inLago!.lagoId,
    });
    const audit = await db.auditEvent.findFirst({
      where: { action: 'customer.created', subjectId: 'crm-4711' },
    });
    expect(audit?.actorId).toBe(admin.id);

    const again = await t.graphql<{ createLagoCustomer: Result<unknown> }>(
      CREATE,
      { input: { name: 'Someone Else', externalId: 'crm-4711' } },
      { cookie: admin.cookie },
    );
    expect(again.data!.createLagoCustomer.__typename).toBe('LagoCustomerExistsError');
    expect((await lago.getCustomer('crm-4711'))?.name).toBe('Mila Novak');
  });

  it('writes nothing locally when Lago is down', async () => {
    const db = t.app.services.db;
    lago.setFault({ status: 503 });
    try {
      const res = await t.graphql<{ createLagoCustomer: Result<unknown> }>(
        CREATE,
        { input: { name: 'Down Time', externalId: 'crm-down' } },
        { cookie: admin.cookie },
      );
      expect(res.data!.createLagoCustomer).toMatchObject({
        __typename: 'LagoUnavailableError',
        retryable: true,
      });
    } finally {
      lago.clearFault();
    }
    expect(await db.customer.findUnique({ where: { externalId: 'crm-down' } })).toBeNull();
    expect(await lago.getCustomer('crm-down')).toBeNull();
  });

  it('validates the input', async () => {
    const res = await t.graphql<{ createLagoCustomer: Result<unknown> }>(
      CREATE,
      { input: { name: 'X', email: 'not-an-email' } },
      { cookie: admin.cookie },
    );
    expect(res.data!.createLagoCustomer).toMatchObject({
      __typename: 'InvalidCustomerInputError',
      field: 'email',
    });
  });
});

describe('customer picker', () => {
  it('searches Lago with pagination', async () => {
    const all = await t.graphql<{ lagoCustomers: Result<CustomerPage> }>(
      PICKER,
      { perPage: 4, page: 2 },
      { cookie: admin.cookie },
    );
    const page = all.data!.lagoCustomers.data!;
    expect(page.currentPage).toBe(2);
    expect(page.prevPage).toBe(1);
    expect(page.totalCount).toBe(lago.store.customerCount());
    expect(page.totalPages).toBe(Math.ceil(page.totalCount / 4));
    expect(page.nodes.length).toBeLessThanOrEqual(4);

    const found = await t.graphql<{ lagoCustomers: Result<CustomerPage> }>(
      PICKER,
      { search: 'nordwind' },
      { cookie: admin.cookie },
    );
    expect(found.data!.lagoCustomers.data!.nodes).toEqual([
      {
        externalId: 'demo-cus-005',
        name: 'Nordwind Logistik GmbH',
        email: 'fleet@nordwind-logistik.example',
      },
    ]);
  });

  it('reports a rate limit as a typed, retryable error', async () => {
    lago.setFault({ status: 429, retryAfterSeconds: 3 });
    try {
      const res = await t.graphql<{ lagoCustomers: Result<unknown> }>(PICKER, {}, { cookie: admin.cookie });
      expect(res.data!.lagoCustomers).toMatchObject({ __typename: 'LagoUnavailableError', retryable: true });
    } finally {
      lago.clearFault();
    }
  });
});
