import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/db.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import type { StevePort } from '../../integrations/steve/port.ts';
import type { Database } from '../../lib/db.ts';
import { createTestEngine, ManualClock } from './test-helpers.ts';

/** Swaps the case of ASCII letters: `FID-Case-15` → `fid-cASE-15`. */
const swapCase = (s: string) =>
  s.replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));

/**
 * A SteVe whose stations connect with another spelling of their charge box id and present their
 * idTags in another case than they were registered with: SteVe matches both case-insensitively,
 * so everything it records under the station spelling belongs to the registered charger and tag.
 */
function stationSpelling(inner: StevePort): StevePort {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
      switch (prop) {
        case 'listConnectorStatuses':
          return async (...args: unknown[]) => {
            const page = (await fn(...args)) as Awaited<ReturnType<StevePort['listConnectorStatuses']>>;
            return {
              ...page,
              items: page.items.map((s) => ({ ...s, chargeBoxId: swapCase(s.chargeBoxId) })),
            };
          };
        case 'listTransactions':
        case 'listStoppedTransactions':
          return async (...args: unknown[]) => {
            const page = (await fn(...args)) as Awaited<ReturnType<StevePort['listTransactions']>>;
            return {
              ...page,
              items: page.items.map((t) => ({
                ...t,
                chargeBoxId: swapCase(t.chargeBoxId),
                idTag: swapCase(t.idTag),
              })),
            };
          };
        case 'getTransactions':
          return async (...args: unknown[]) =>
            ((await fn(...args)) as Awaited<ReturnType<StevePort['getTransactions']>>).map((t) => ({
              ...t,
              chargeBoxId: swapCase(t.chargeBoxId),
              idTag: swapCase(t.idTag),
            }));
        default:
          return fn;
      }
    },
  });
}

describe('sync engine: charge box ids and idTags by SteVe’s case rule', () => {
  let database: Database;
  let sim: FleetSimulator;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('syncs and bills sessions and keeps connector statuses reported under another spelling', async () => {
    const clock = new ManualClock();
    sim = new FleetSimulator({ seed: 16, size: 8, now: clock.now, fleetChurn: false });
    const { engine } = createTestEngine(database.prisma, stationSpelling(sim), clock);
    const result = await engine.run({ trigger: 'STARTUP' });
    expect(result.status).toBe('SUCCEEDED');

    const db = database.prisma;
    const transactions = (await sim.listTransactions({ limit: 5000 })).items;
    expect(transactions.length).toBeGreaterThan(0);
    expect(await db.chargingSession.count()).toBe(transactions.length);
    const completed = transactions.filter((t) => t.stoppedAt !== null).length;
    expect(await db.billingEvent.count()).toBe(completed);
    // Every session is on its registered charger and linked to its card.
    expect(await db.chargingSession.count({ where: { cardId: null } })).toBe(0);

    const statuses = (await sim.listConnectorStatuses({ limit: 5000 })).items.filter(
      (s) => s.connectorId > 0 && s.status !== null,
    );
    const connectors = await db.connector.findMany({ select: { status: true } });
    expect(connectors.filter((c) => c.status !== null)).toHaveLength(statuses.length);
  });
});
