import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LagoError } from '../errors.ts';
import { sessionTransactionId, subscriptionIdFor, type UsageEvent } from '../port.ts';
import { DEMO_CUSTOMERS, LagoSandbox } from './sandbox.ts';

let now: Date;
let sandbox: LagoSandbox;

beforeEach(() => {
  now = new Date('2026-03-10T08:00:00.000Z');
  sandbox = new LagoSandbox({ now: () => now });
});

function kwhEvent(
  pk: number,
  kwh: number | string,
  at: string,
  customer = 'cus-1',
  code?: string,
): UsageEvent {
  return {
    transactionId: sessionTransactionId(pk),
    externalSubscriptionId: subscriptionIdFor(customer),
    timestamp: new Date(at),
    properties: { kwh },
    ...(code ? { code } : {}),
  };
}

async function subscribed(customer: string): Promise<void> {
  await sandbox.upsertCustomer({ externalId: customer, name: `Customer ${customer}` });
  await sandbox.ensureSubscription(customer);
}

async function errorOf(fn: () => Promise<unknown>): Promise<LagoError> {
  const error = await fn().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LagoError);
  return error as LagoError;
}

describe('conventions', () => {
  it('derives ids deterministically', () => {
    expect(subscriptionIdFor('cus-1')).toBe('polaris-sub-cus-1');
    expect(sessionTransactionId(42)).toBe('polaris-session-42');
    expect(sessionTransactionId(42n, 2)).toBe('polaris-session-42-r2');
    expect(() => sessionTransactionId('4 2')).toThrow(TypeError);
    expect(() => subscriptionIdFor('')).toThrow(TypeError);
  });
});

describe('LagoSandbox — setup and customers', () => {
  it('comes provisioned with the kwh metric and a plan charging it', async () => {
    const report = await sandbox.checkSetup();
    expect(report).toMatchObject({
      ok: true,
      metric: { code: 'kwh', aggregationType: 'sum_agg', fieldName: 'kwh' },
    });
    expect(sandbox.kind).toBe('sandbox');
  });

  it('seeds believable demo customers idempotently, each with a subscription', async () => {
    const seeded = await sandbox.seedDemoCustomers();
    expect(seeded).toHaveLength(DEMO_CUSTOMERS.length);
    expect(seeded.length).toBeGreaterThanOrEqual(5);
    await sandbox.seedDemoCustomers();
    expect(sandbox.store.customerCount()).toBe(DEMO_CUSTOMERS.length);
    for (const c of seeded) {
      expect(c.email).toMatch(/@/);
      expect(sandbox.store.findSubscription(subscriptionIdFor(c.externalId)).subscription.status).toBe(
        'active',
      );
    }
    // Deterministic ids: a second sandbox seeds the same Lago ids.
    const again = await new LagoSandbox({ now: () => now }).seedDemoCustomers();
    expect(again.map((c) => c.lagoId)).toEqual(seeded.map((c) => c.lagoId));
  });

  it('lists with Lago-style pagination and search', async () => {
    await sandbox.seedDemoCustomers();
    const page = await sandbox.listCustomers({ perPage: 4, page: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.meta).toEqual({ currentPage: 2, nextPage: null, prevPage: 1, totalPages: 2, totalCount: 6 });
    const found = await sandbox.listCustomers({ searchTerm: 'ROSSI' });
    expect(found.items.map((c) => c.name)).toEqual(['Sofia Rossi']);
    expect(
      (await sandbox.listCustomers({ searchTerm: 'example.org' })).items.map((c) => c.externalId),
    ).toEqual(['demo-cus-004']);
    const empty = await new LagoSandbox().listCustomers();
    expect(empty.meta).toEqual({
      currentPage: 0,
      nextPage: null,
      prevPage: null,
      totalPages: 0,
      totalCount: 0,
    });
    expect(await sandbox.getCustomer('nope')).toBeNull();
  });

  it('upserts only the keys given and clears with null', async () => {
    await sandbox.upsertCustomer({ externalId: 'c', name: 'A', email: 'a@example.com' });
    await sandbox.upsertCustomer({ externalId: 'c', email: null });
    expect(await sandbox.getCustomer('c')).toMatchObject({ name: 'A', email: null });
    expect(await errorOf(() => sandbox.upsertCustomer({ externalId: 'c', currency: 'euro' }))).toMatchObject({
      code: 'validation',
      retryable: false,
    });
  });
});

describe('LagoSandbox — duplicates', () => {
  it('keeps the first event of a transaction id and reports repeats as duplicate', async () => {
    const first = await sandbox.sendEvent(kwhEvent(1, 5, '2026-03-10T09:00:00Z'));
    const changed = await sandbox.sendEvent(kwhEvent(1, 99, '2026-03-10T09:00:00Z'));
    expect([first.status, changed.status]).toEqual(['delivered', 'duplicate']);
    expect(sandbox.store.acceptedEvents().map((e) => e.properties.kwh)).toEqual(['5']);
  });

  it('allows the same transaction id under another subscription (Lago’s unique key)', async () => {
    await sandbox.sendEvent(kwhEvent(1, 5, '2026-03-10T09:00:00Z', 'cus-1'));
    expect((await sandbox.sendEvent(kwhEvent(1, 5, '2026-03-10T09:00:00Z', 'cus-2'))).status).toBe(
      'delivered',
    );
  });

  it('rejects a batch with a duplicate as a whole (index-keyed), and the port resends the rest', async () => {
    await sandbox.sendEvent(kwhEvent(2, 1, '2026-03-10T09:00:00Z'));
    const raw = (events: unknown[]) => {
      try {
        sandbox.store.createBatchEvents({ events });
        return null;
      } catch (error) {
        return error;
      }
    };
    const wire = (pk: number) => ({
      transaction_id: sessionTransactionId(pk),
      external_subscription_id: 'polaris-sub-cus-1',
      code: 'kwh',
      timestamp: 1773133200,
      properties: { kwh: '1' },
    });
    expect(raw([wire(1), wire(2), wire(3)])).toMatchObject({
      status: 422,
      body: {
        code: 'validation_errors',
        error_details: { '1': { transaction_id: ['value_already_exist'] } },
      },
    });
    expect(sandbox.store.acceptedEvents()).toHaveLength(1); // nothing from the rejected batch

    const result = await sandbox.sendEvents([1, 2, 3].map((pk) => kwhEvent(pk, 1, '2026-03-10T09:00:00Z')));
    expect(result.results.map((r) => r.status)).toEqual(['delivered', 'duplicate', 'delivered']);
    expect(result.requests).toBe(2);
    expect([1, 2, 3].map((pk) => sandbox.store.eventCount(sessionTransactionId(pk)))).toEqual([1, 1, 1]);
  });

  it('marks every event of an all-duplicate batch duplicate', async () => {
    const events = [1, 2].map((pk) => kwhEvent(pk, 1, '2026-03-10T09:00:00Z'));
    await sandbox.sendEvents(events);
    const again = await sandbox.sendEvents(events);
    expect(again).toMatchObject({ delivered: 0, duplicates: 2, requests: 1 });
  });
});

describe('LagoSandbox — usage per billing period', () => {
  it('sums kWh exactly within the calendar month and the subscription life', async () => {
    await subscribed('cus-1');
    await subscribed('cus-2');
    await sandbox.sendEvents([
      kwhEvent(1, 0.1, '2026-03-10T09:00:00Z'),
      kwhEvent(2, 0.2, '2026-03-12T09:00:00Z'),
      kwhEvent(3, '20.5', '2026-03-31T23:59:59Z'),
      kwhEvent(4, 7, '2026-03-01T00:00:00Z'), // before the subscription started (Mar 10, 08:00)
      kwhEvent(5, 9, '2026-04-01T00:00:00Z'), // next period
      kwhEvent(6, 3, '2026-03-11T09:00:00Z', 'cus-2'), // someone else
      kwhEvent(7, 4, '2026-03-11T09:00:00Z', 'cus-1', 'minutes'), // another metric
    ]);
    const march = await sandbox.getCurrentUsage('cus-1');
    expect(march).toMatchObject({
      kwhUnits: '20.8',
      kwh: 20.8,
      eventsCount: 3,
      kwhAmountCents: 728,
      currency: 'EUR',
    });
    expect(march?.fromDatetime.toISOString()).toBe('2026-03-10T08:00:00.000Z');

    now = new Date('2026-04-15T00:00:00Z');
    const april = await sandbox.getCurrentUsage('cus-1');
    expect(april).toMatchObject({ kwhUnits: '9', eventsCount: 1, kwhAmountCents: 315 });
    expect(april?.fromDatetime.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(april?.toDatetime.toISOString()).toBe('2026-04-30T23:59:59.999Z');
  });

  it('returns null for unknown customers or subscriptions', async () => {
    await sandbox.upsertCustomer({ externalId: 'no-sub' });
    expect(await sandbox.getCurrentUsage('no-sub')).toBeNull();
    expect(await sandbox.getCurrentUsage('ghost')).toBeNull();
  });

  it('uses the configured price and currency', async () => {
    const priced = new LagoSandbox({ now: () => now, unitPrice: '0.59', currency: 'CHF' });
    await priced.upsertCustomer({ externalId: 'c' });
    await priced.ensureSubscription('c');
    await priced.sendEvent(kwhEvent(1, 10, '2026-03-10T09:00:00Z', 'c'));
    expect(await priced.getCurrentUsage('c')).toMatchObject({ kwhAmountCents: 590, currency: 'CHF' });
  });
});

describe('LagoSandbox — fault switch', () => {
  it('down → retryable network error, nothing stored; recovery delivers exactly once', async () => {
    sandbox.setFault({ down: true });
    expect(await errorOf(() => sandbox.sendEvents([kwhEvent(1, 1, '2026-03-10T09:00:00Z')]))).toMatchObject({
      code: 'network',
      retryable: true,
    });
    expect(sandbox.store.acceptedEvents()).toHaveLength(0);
    sandbox.clearFault();
    expect((await sandbox.sendEvents([kwhEvent(1, 1, '2026-03-10T09:00:00Z')])).delivered).toBe(1);
    expect(sandbox.store.eventCount(sessionTransactionId(1))).toBe(1);
  });

  it('429 → retryable with retryAfterMs; 500 → retryable server_error', async () => {
    sandbox.setFault({ status: 429, retryAfterSeconds: 4 });
    expect(await errorOf(() => sandbox.listCustomers())).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      status: 429,
      retryAfterMs: 4_000,
    });
    sandbox.setFault({ status: 500 });
    expect(await errorOf(() => sandbox.getCustomer('x'))).toMatchObject({
      code: 'server_error',
      retryable: true,
      status: 500,
    });
    sandbox.setFault({});
    expect(sandbox.fault).toBeNull();
    expect(await sandbox.getCustomer('x')).toBeNull();
  });

  it('latency delays answers; beyond the timeout the call times out', async () => {
    vi.useFakeTimers();
    try {
      const slow = new LagoSandbox({ timeoutMs: 40 });
      slow.setFault({ latencyMs: 20 });
      let answered = false;
      const call = slow.listCustomers().then(() => (answered = true));
      await vi.advanceTimersByTimeAsync(19);
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await call;
      expect(answered).toBe(true);

      slow.setFault({ latencyMs: 1_000 });
      const timedOut = errorOf(() => slow.listCustomers());
      await vi.advanceTimersByTimeAsync(40);
      expect(await timedOut).toMatchObject({ code: 'timeout', retryable: true });
    } finally {
      vi.useRealTimers();
    }
  });

  it("a caller's abort during latency → aborted", async () => {
    sandbox.setFault({ latencyMs: 5_000 });
    const controller = new AbortController();
    const pending = errorOf(() =>
      sandbox.sendEvent(kwhEvent(1, 1, '2026-03-10T09:00:00Z'), { signal: controller.signal }),
    );
    controller.abort();
    expect(await pending).toMatchObject({ code: 'aborted', retryable: false });
    expect(sandbox.store.acceptedEvents()).toHaveLength(0);
  });
});

describe('LagoSandbox state across a restart', () => {
  it('keeps customers, subscriptions and received events, and waits for saving before answering', async () => {
    const saved: ReturnType<LagoSandbox['store']['snapshot']>[] = [];
    const clock = () => new Date('2026-03-10T08:00:00Z');
    const first = new LagoSandbox({
      now: clock,
      onChange: async () => {
        saved.push(first.store.snapshot());
      },
    });
    await first.seedDemoCustomers();
    const customer = DEMO_CUSTOMERS[0]!.externalId;
    const event: UsageEvent = {
      transactionId: sessionTransactionId(4711),
      externalSubscriptionId: subscriptionIdFor(customer),
      timestamp: new Date('2026-03-10T09:00:00Z'),
      properties: { kwh: '12.5' },
    };
    expect(await first.sendEvent(event)).toMatchObject({ status: 'delivered' });
    // The answer came after the save that holds the event.
    expect(saved.at(-1)!.events.map((e) => e.transactionId)).toEqual([event.transactionId]);

    const second = new LagoSandbox({ now: clock, restore: saved.at(-1)! });
    expect(second.store.customerCount()).toBe(DEMO_CUSTOMERS.length);
    expect((await second.getCurrentUsage(customer))?.kwh).toBeCloseTo(12.5, 6);
    // The same event again is a duplicate, not a second charge.
    expect(await second.sendEvent(event)).toMatchObject({ status: 'duplicate' });
    expect(second.store.eventCount(event.transactionId)).toBe(1);
    // Re-seeding on start is idempotent: no second customer or subscription.
    await second.seedDemoCustomers();
    expect(second.store.customerCount()).toBe(DEMO_CUSTOMERS.length);
  });
});

describe('LagoSandbox when saving its state fails', () => {
  it('answers a retryable server error, and the retry counts as delivered once', async () => {
    let failSave = true;
    const sandbox = new LagoSandbox({
      now: () => new Date('2026-03-10T08:00:00Z'),
      onChange: async () => {
        if (failSave) throw new Error('database down');
      },
    });
    failSave = false;
    await sandbox.seedDemoCustomers();
    failSave = true;
    const customer = DEMO_CUSTOMERS[1]!.externalId;
    const event: UsageEvent = {
      transactionId: sessionTransactionId(815),
      externalSubscriptionId: subscriptionIdFor(customer),
      timestamp: new Date('2026-03-10T09:00:00Z'),
      properties: { kwh: '3' },
    };
    await expect(sandbox.sendEvent(event)).rejects.toMatchObject({ code: 'server_error', retryable: true });
    failSave = false;
    expect(await sandbox.sendEvent(event)).toMatchObject({ status: 'duplicate' });
    expect(sandbox.store.eventCount(event.transactionId)).toBe(1);
  });
});
