import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';

/** READ_ONLY keys read what an operator reads (docs/security-auth.md): Polaris' customers too. */
describe('Customer reads by API keys', () => {
  let t: TestApp;
  let adminCookie: string;
  let customerId: string;
  const keys: Record<'READ_ONLY' | 'OPERATOR', string> = { READ_ONLY: '', OPERATOR: '' };
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
    const customer = await t.app.services.db.customer.create({
      data: { externalId: 'cust-ro', name: 'Fleet Co', email: 'billing@fleet.test' },
    });
    await t.app.services.db.evCard.create({
      data: {
        idTag: 'RO-CARD',
        publicId: 'PX-RO-0001',
        origin: 'POLARIS',
        status: 'PENDING',
        customerId: customer.id,
        mappings: { create: { customerId: customer.id } },
      },
    });
    for (const role of ['READ_ONLY', 'OPERATOR'] as const) {
      const created = await t.graphql<{ createApiKey: { data: { secret: string } } }>(
        `mutation ($role: ApiKeyRole!) { createApiKey(name: "k", role: $role) { ... on MutationCreateApiKeySuccess { data { secret } } } }`,
        { role },
        { cookie: adminCookie },
      );
      keys[role] = created.data!.createApiKey.data.secret;
    }
    const listed = await t.graphql<{ evCards: { nodes: Array<{ customer: { id: string } }> } }>(
      `{ evCards(first: 5, search: "RO-CARD") { nodes { customer { id } } } }`,
      {},
      { cookie: adminCookie },
    );
    customerId = listed.data!.evCards.nodes[0]!.customer.id;
  });
  afterAll(async () => {
    await t?.stop();
  });

  for (const role of ['READ_ONLY', 'OPERATOR'] as const) {
    it(`${role} keys read evCard.customer, its mappings and node(id) of a Customer`, async () => {
      const res = await t.graphql<{
        evCards: {
          nodes: Array<{ customer: { name: string }; customerMappings: Array<{ current: boolean }> }>;
        };
        node: { name: string; email: string } | null;
      }>(
        `query ($id: ID!) {
          evCards(first: 5, search: "RO-CARD") { nodes { customer { name } customerMappings { current } } }
          node(id: $id) { ... on Customer { name email } }
        }`,
        { id: customerId },
        { apiKey: keys[role] },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data?.evCards.nodes[0]).toMatchObject({
        customer: { name: 'Fleet Co' },
        customerMappings: [{ current: true }],
      });
      expect(res.data?.node).toEqual({ name: 'Fleet Co', email: 'billing@fleet.test' });
    });
  }

  it('a driver still cannot read a Customer', async () => {
    const driver = await t.createUser();
    const cookie = await t.signIn(driver.email, driver.password);
    const res = await t.graphql(
      `query ($id: ID!) { node(id: $id) { ... on Customer { name } } }`,
      { id: customerId },
      { cookie },
    );
    expect(res.data?.node ?? null).toBeNull();
    expect(JSON.stringify(res)).not.toContain('Fleet Co');
  });
});
