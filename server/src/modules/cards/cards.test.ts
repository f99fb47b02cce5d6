import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import { ManualClock } from '../sync/test-helpers.ts';

const CARD_FIELDS = 'publicId idTag status isPrimary owner { email } activatedAt disabledAt';
const ERRORS: Record<string, string[]> = {
  CreateCard: ['InvalidCardInputError'],
  ActivateCard: ['CardNotFoundError', 'SteveTagCommandError'],
  DisableCard: ['CardNotFoundError', 'SteveTagCommandError'],
  SetPrimaryCard: ['CardNotFoundError', 'CardStateError'],
  AssignCard: ['CardNotFoundError', 'AccountNotFoundError'],
};
const RESULT = (name: string) => `
  __typename
  ... on Mutation${name}Success { data { ${CARD_FIELDS} } }
  ${ERRORS[name]!.map((e) => `... on ${e} { message }`).join(' ')}
`;

type CardData = {
  publicId: string;
  idTag: string;
  status: string;
  isPrimary: boolean;
  owner: { email: string } | null;
};

describe('EV card operator mutations', () => {
  let t: TestApp;
  let sim: FleetSimulator;
  let admin: { id: string; email: string };
  let adminCookie: string;
  let driverCookie: string;
  let driver: { id: string; email: string };
  let driverGlobalId: string;

  const mutate = async <T = Record<string, { __typename: string; data?: CardData; message?: string }>>(
    doc: string,
    variables: Record<string, unknown> = {},
    cookie = adminCookie,
  ) => t.graphql<T>(doc, variables, { cookie });

  const audit = async (publicId: string) => {
    const res = await t.graphql<{
      auditEvents: {
        totalCount: number;
        edges: { node: { action: string; actorEmail: string; subjectId: string } }[];
      };
    }>(
      'query ($s: String) { auditEvents(first: 20, subjectId: $s) { totalCount edges { node { action actorEmail subjectId } } } }',
      { s: publicId },
      { cookie: adminCookie },
    );
    expect(res.errors).toBeUndefined();
    // The audit page's "Showing N of M actions": the total counts with the same filter.
    expect(res.data!.auditEvents.totalCount).toBe(res.data!.auditEvents.edges.length);
    return res.data!.auditEvents.edges.map((e) => e.node);
  };

  beforeAll(async () => {
    const clock = new ManualClock();
    sim = new FleetSimulator({ seed: 3, size: 2, now: clock.now, fleetChurn: false, outages: false });
    t = await createTestApp({ app: { background: false, steve: sim, clock: clock.now } });
    admin = await t.createUser({ role: 'admin', email: 'ops@cards.test' });
    adminCookie = await t.signIn(admin.email, 'correct horse battery');
    const d = await t.createUser({ role: 'customer', email: 'dana@cards.test' });
    driver = d;
    driverCookie = await t.signIn(d.email, d.password);
    const res = await t.graphql<{ drivers: { edges: { node: { id: string; email: string } }[] } }>(
      '{ drivers(first: 10) { edges { node { id email } } } }',
      {},
      { cookie: adminCookie },
    );
    driverGlobalId = res.data!.drivers.edges.find((e) => e.node.email === driver.email)!.node.id;
  });
  afterAll(async () => {
    await t?.stop();
  });

  let publicId = '';

  it('creates a PENDING card and audits it', async () => {
    const res = await mutate(
      `mutation { createCard(idTag: "NEWCARD01", label: "Van 3") { ${RESULT('CreateCard')} } }`,
    );
    expect(res.errors).toBeUndefined();
    const card = res.data!.createCard!.data!;
    expect(card).toMatchObject({ idTag: 'NEWCARD01', status: 'PENDING', isPrimary: false });
    expect(card.publicId).toMatch(/^EV-[A-Z2-9]{6}$/);
    publicId = card.publicId;
    expect(await audit(publicId)).toEqual([
      { action: 'card.created', actorEmail: admin.email, subjectId: publicId },
    ]);

    const again = await mutate(`mutation { createCard(idTag: "newcard01") { ${RESULT('CreateCard')} } }`);
    expect(again.data!.createCard!.__typename).toBe('InvalidCardInputError');
  });

  it('activates a card by creating its tag in SteVe, audited under the Public ID', async () => {
    const res = await mutate(
      `mutation ($p: String!) { activateCard(publicId: $p) { ${RESULT('ActivateCard')} } }`,
      { p: publicId },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.activateCard!.data!.status).toBe('ACTIVE');
    const tag = (await sim.listTags({ limit: 500 })).items.find((x) => x.idTag === 'NEWCARD01');
    expect(tag?.blocked).toBe(false);
    expect((await audit(publicId))[0]!.action).toBe('card.activated');
  });

  it('assigns the card to a driver (primary as their first) and sets primary, both audited', async () => {
    const res = await mutate(
      `mutation ($p: String!, $d: ID!) { assignCard(publicId: $p, driverId: $d) { ${RESULT('AssignCard')} } }`,
      { p: publicId, d: driverGlobalId },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.assignCard!.data!).toMatchObject({ owner: { email: driver.email }, isPrimary: true });
    const primary = await mutate(
      `mutation ($p: String!) { setPrimaryCard(publicId: $p) { ${RESULT('SetPrimaryCard')} } }`,
      { p: publicId },
    );
    expect(primary.data!.setPrimaryCard!.data!.isPrimary).toBe(true);
    const actions = (await audit(publicId)).map((a) => a.action);
    expect(actions.slice(0, 2)).toEqual(['card.primarySet', 'card.assigned']);
  });

  it('disables a card by blocking its tag in SteVe; the card stays listed', async () => {
    const res = await mutate(
      `mutation ($p: String!) { disableCard(publicId: $p) { ${RESULT('DisableCard')} } }`,
      { p: publicId },
    );
    expect(res.data!.disableCard!.data!).toMatchObject({ status: 'DISABLED', isPrimary: false });
    const tag = (await sim.listTags({ limit: 500 })).items.find((x) => x.idTag === 'NEWCARD01');
    expect(tag?.blocked).toBe(true);
    const list = await t.graphql<{ evCards: { edges: { node: { publicId: string; status: string } }[] } }>(
      'query ($s: String) { evCards(first: 5, search: $s) { edges { node { publicId status } } } }',
      { s: publicId.toLowerCase() },
      { cookie: adminCookie },
    );
    expect(list.data!.evCards.edges.map((e) => e.node)).toEqual([{ publicId, status: 'DISABLED' }]);
    expect((await audit(publicId))[0]!.action).toBe('card.disabled');

    const primary = await mutate(
      `mutation ($p: String!) { setPrimaryCard(publicId: $p) { ${RESULT('SetPrimaryCard')} } }`,
      { p: publicId },
    );
    expect(primary.data!.setPrimaryCard!.__typename).toBe('CardStateError');
  });

  it('answers an unknown Public ID with CardNotFoundError', async () => {
    const res = await mutate(
      `mutation { activateCard(publicId: "EV-ZZZZZZ") { ${RESULT('ActivateCard')} } }`,
    );
    expect(res.data!.activateCard!.__typename).toBe('CardNotFoundError');
  });

  it('refuses every card mutation to a driver and writes no audit event', async () => {
    const before = (await audit(publicId)).length;
    for (const doc of [
      'mutation { createCard(idTag: "DRIVERTRY") { __typename } }',
      `mutation { activateCard(publicId: "${publicId}") { __typename } }`,
      `mutation { disableCard(publicId: "${publicId}") { __typename } }`,
      `mutation { setPrimaryCard(publicId: "${publicId}") { __typename } }`,
      `mutation { assignCard(publicId: "${publicId}", driverId: "${driverGlobalId}") { __typename } }`,
    ]) {
      const res = await mutate(doc, {}, driverCookie);
      expect(res.errors?.[0]?.extensions?.code, doc).toBe('FORBIDDEN');
    }
    expect((await audit(publicId)).length).toBe(before);
  });

  it('filters the audit log by actor and refuses it to drivers', async () => {
    const byActor = await t.graphql<{ auditEvents: { edges: { node: { actorEmail: string } }[] } }>(
      '{ auditEvents(first: 50, actor: "OPS@cards") { edges { node { actorEmail } } } }',
      {},
      { cookie: adminCookie },
    );
    const emails = byActor.data!.auditEvents.edges.map((e) => e.node.actorEmail);
    expect(emails.length).toBeGreaterThanOrEqual(5);
    expect(new Set(emails)).toEqual(new Set([admin.email]));
    const nobody = await t.graphql<{ auditEvents: { edges: unknown[] } }>(
      '{ auditEvents(first: 5, actor: "nobody@else") { edges { cursor } } }',
      {},
      { cookie: adminCookie },
    );
    expect(nobody.data!.auditEvents.edges).toEqual([]);
    const refused = await t.graphql(
      '{ auditEvents(first: 1) { edges { cursor } } }',
      {},
      { cookie: driverCookie },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('exposes no mutation that edits or deletes audit events', async () => {
    const res = await t.graphql<{ __schema: { mutationType: { fields: { name: string }[] } } }>(
      '{ __schema { mutationType { fields { name } } } }',
      {},
      { cookie: adminCookie },
    );
    const names = res.data?.__schema.mutationType.fields.map((f) => f.name) ?? [];
    expect(names.filter((n) => /audit/i.test(n))).toEqual([]);
  });
});
