import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';
import { MAX_CARD_LABEL_LENGTH, MAX_SEARCH_LENGTH, MAX_STRING_ARGUMENT } from '../../src/lib/input-limits.ts';

const CREATE_CARD = `mutation ($idTag: String!, $label: String) {
  createCard(idTag: $idTag, label: $label) {
    __typename
    ... on InvalidCardInputError { field message }
    ... on MutationCreateCardSuccess { data { publicId label } }
  }
}`;
const CREATE_DRIVER = `mutation ($input: CreateDriverInput!) {
  createDriver(input: $input) {
    __typename
    ... on InvalidAccountInputError { field }
  }
}`;
const DRIVERS = `query ($search: String) { drivers(first: 50, search: $search) { totalCount nodes { email } } }`;
const CARDS = `query ($search: String) { evCards(first: 50, search: $search) { totalCount nodes { idTag } } }`;
const SESSIONS = `query ($search: String) { operatorSessions(first: 50, filter: { search: $search }) { totalCount } }`;
const AUDIT = `query ($actor: String) { auditEvents(first: 50, actor: $actor) { totalCount } }`;

describe('hostile input over GraphQL', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.createUser({ role: 'admin', email: 'ops@example.test' });
    cookie = await t.signIn(admin.email, admin.password);
    await t.createUser({ email: 'anna@example.test', name: 'Anna' });
    await t.createUser({ email: 'bob@example.test', name: 'Bob' });
    const card = await t.graphql(CREATE_CARD, { idTag: 'CARD-A', label: 'Work' }, { cookie });
    expect(card.errors).toBeUndefined();
  });
  afterAll(async () => {
    await t?.stop();
  });

  const expectBadInput = (res: Awaited<ReturnType<TestApp['graphql']>>, field?: string) => {
    expect(res.status).toBe(400);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    if (field) expect(res.errors?.[0]?.extensions?.field).toBe(field);
    expect(JSON.stringify(res.errors)).not.toMatch(/Unexpected error/);
  };

  it('refuses a NUL byte in searches, names and labels with BAD_USER_INPUT, not "Unexpected error"', async () => {
    for (const [query, variables] of [
      [DRIVERS, { search: 'an\u0000na' }],
      [CARDS, { search: '\u0000' }],
      [SESSIONS, { search: 'x\u0000' }],
      [AUDIT, { actor: 'x\u0000' }],
      [CREATE_CARD, { idTag: 'CARD-B', label: 'Wo\u0000rk' }],
      [CREATE_DRIVER, { input: { email: 'c@example.test', name: 'C\u0000', password: 'long enough pw' } }],
    ] as const)
      expectBadInput(await t.graphql(query, variables, { cookie }));
    // In a literal too, naming the argument.
    expectBadInput(
      await t.graphql(`{ drivers(first: 5, search: "a\\u0000") { totalCount } }`, {}, { cookie }),
      'search',
    );
  });

  it(`caps every string argument (${MAX_STRING_ARGUMENT} characters; searches ${MAX_SEARCH_LENGTH})`, async () => {
    const huge = 'x'.repeat(900_000);
    expectBadInput(await t.graphql(CREATE_CARD, { idTag: 'CARD-C', label: huge }, { cookie }), 'label');
    expectBadInput(
      await t.graphql(
        CREATE_DRIVER,
        { input: { email: `${huge}@example.test`, name: 'D', password: 'long enough pw' } },
        { cookie },
      ),
      'email',
    );
    expectBadInput(
      await t.graphql(DRIVERS, { search: 'a'.repeat(MAX_SEARCH_LENGTH + 1) }, { cookie }),
      'search',
    );
    const fine = await t.graphql(DRIVERS, { search: 'a'.repeat(MAX_SEARCH_LENGTH) }, { cookie });
    expect(fine.status).toBe(200);
    expect(await t.app.services.db.evCard.count({ where: { idTag: 'CARD-C' } })).toBe(0);
  });

  it('answers a label or email just over its own limit with the typed result', async () => {
    const label = await t.graphql<{ createCard: { __typename: string; field: string } }>(
      CREATE_CARD,
      { idTag: 'CARD-D', label: 'l'.repeat(MAX_CARD_LABEL_LENGTH + 1) },
      { cookie },
    );
    expect(label.data?.createCard).toMatchObject({ __typename: 'InvalidCardInputError', field: 'label' });
    const email = await t.graphql<{ createDriver: { __typename: string; field: string } }>(
      CREATE_DRIVER,
      { input: { email: `${'e'.repeat(250)}@example.test`, name: 'E', password: 'long enough pw' } },
      { cookie },
    );
    expect(email.data?.createDriver).toMatchObject({
      __typename: 'InvalidAccountInputError',
      field: 'email',
    });
  });

  it('treats % and _ in searches literally', async () => {
    for (const search of ['%', '_', '%%', '____']) {
      const drivers = await t.graphql<{ drivers: { totalCount: number } }>(DRIVERS, { search }, { cookie });
      expect(drivers.data?.drivers.totalCount, `drivers ${search}`).toBe(0);
      const cards = await t.graphql<{ evCards: { totalCount: number } }>(CARDS, { search }, { cookie });
      expect(cards.data?.evCards.totalCount, `cards ${search}`).toBe(0);
      const audit = await t.graphql<{ auditEvents: { totalCount: number } }>(
        AUDIT,
        { actor: search },
        { cookie },
      );
      expect(audit.data?.auditEvents.totalCount, `audit ${search}`).toBe(0);
    }
    const anna = await t.graphql<{ drivers: { totalCount: number } }>(DRIVERS, { search: 'ANN' }, { cookie });
    expect(anna.data?.drivers.totalCount).toBe(1);
    const card = await t.graphql<{ evCards: { totalCount: number } }>(CARDS, { search: 'card-' }, { cookie });
    expect(card.data?.evCards.totalCount).toBe(1);
  });
});
