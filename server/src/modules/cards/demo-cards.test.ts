import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { operatorHealth } from '../dashboard/dashboard.service.ts';

describe('demo EV cards', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { DEMO_SEED: 'true' }, app: { background: false } });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('gives every demo driver an active primary card billed to a sandbox customer', async () => {
    const drivers = await t.app.services.db.user.findMany({
      where: { role: 'customer', email: { endsWith: '@polaris.test' } },
      include: { cards: { include: { customer: true } } },
    });
    expect(drivers.length).toBeGreaterThanOrEqual(4);
    for (const driver of drivers) {
      expect(driver.cards).toHaveLength(1);
      const [card] = driver.cards;
      expect(card).toMatchObject({ status: 'ACTIVE', isPrimary: true });
      expect(card!.customer?.externalId).toMatch(/^demo-cus-/);
    }
  });

  it('keeps a fresh demo healthy after the first sync: no unknown tags, no card without a customer', async () => {
    await t.app.services.sync.engine.run({ trigger: 'STARTUP' });
    const health = await operatorHealth(t.app.services);
    expect(health.warnings).toEqual([]);
  });

  it('is idempotent across restarts of the seeding', async () => {
    const before = await t.app.services.db.evCard.count();
    const { seedDemoCards } = await import('./demo-cards.ts');
    const again = await seedDemoCards(t.app.services, {
      driverIds: [],
      customers: await t.app.services.lago.listCustomers({ perPage: 100 }).then((p) => p.items),
    });
    expect(again).toEqual({ driverCards: 0, fleetCards: 0 });
    expect(await t.app.services.db.evCard.count()).toBe(before);
  });
});
