import type { CustomerCreateInput, EventBatchInput, EventInput } from 'lago-javascript-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LagoLogger } from './core.ts';
import { LagoError } from './errors.ts';
import { startFakeLagoServer, type FakeLagoServer } from './sandbox/fake-lago-server.ts';
import { sessionTransactionId, subscriptionIdFor, type UsageEvent } from './port.ts';
import { lagoApiBaseUrl, RealLagoAdapter } from './real-adapter.ts';

const API_KEY = 'lago-secret-key-0123456789abcdef';
const NOW = new Date('2026-03-15T12:00:00.000Z');

let lago: FakeLagoServer;
let adapter: RealLagoAdapter;
let logLines: string[];

const logger: LagoLogger = {
  debug: (obj, msg) => logLines.push(JSON.stringify({ obj, msg })),
  info: (obj, msg) => logLines.push(JSON.stringify({ obj, msg })),
  warn: (obj, msg) => logLines.push(JSON.stringify({ obj, msg })),
};

beforeEach(async () => {
  logLines = [];
  lago = await startFakeLagoServer({ apiKey: API_KEY, now: () => NOW });
  adapter = new RealLagoAdapter({ baseUrl: lago.origin, apiKey: API_KEY, timeoutMs: 2_000, logger });
});

afterEach(async () => {
  // Nothing in any log line may carry the key.
  for (const line of logLines) expect(line).not.toContain(API_KEY);
  expect(lago.violations).toEqual([]);
  await lago.close();
});

function event(n: number, overrides: Partial<UsageEvent> = {}): UsageEvent {
  return {
    transactionId: sessionTransactionId(1000 + n),
    externalSubscriptionId: subscriptionIdFor('cus-1'),
    timestamp: new Date(Date.UTC(2026, 2, 15, 13, 0, n, 250)),
    properties: { kwh: 10 + n / 1000 },
    ...overrides,
  };
}

async function customerWithSubscription(externalId = 'cus-1'): Promise<void> {
  await adapter.upsertCustomer({ externalId, name: 'Anna Schmidt', email: 'anna@example.com' });
  await adapter.ensureSubscription(externalId);
}

/** Runs `fn`, expects a LagoError, and checks the key is in none of its printable forms. */
async function lagoErrorOf(fn: () => Promise<unknown>): Promise<LagoError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LagoError);
    const e = error as LagoError;
    expect(e.message).not.toContain(API_KEY);
    expect(String(e.stack)).not.toContain(API_KEY);
    expect(JSON.stringify(e)).not.toContain(API_KEY);
    return e;
  }
  throw new Error('expected a LagoError');
}

describe('lagoApiBaseUrl', () => {
  it('appends /api/v1 to an origin and keeps an explicit one', () => {
    expect(lagoApiBaseUrl('http://lago:3000')).toBe('http://lago:3000/api/v1');
    expect(lagoApiBaseUrl('http://lago:3000/')).toBe('http://lago:3000/api/v1');
    expect(lagoApiBaseUrl('https://billing.example.com/api/v1/')).toBe('https://billing.example.com/api/v1');
    expect(lagoApiBaseUrl('https://example.com/lago')).toBe('https://example.com/lago/api/v1');
    expect(() => lagoApiBaseUrl('ftp://lago')).toThrow(TypeError);
  });
});

describe('RealLagoAdapter — customers', () => {
  it('upserts with the customer root key and the Bearer key, changing only the keys given', async () => {
    const created = await adapter.upsertCustomer({
      externalId: 'cus-1',
      name: 'Anna Schmidt',
      email: 'anna@example.com',
    });
    expect(created).toMatchObject({ externalId: 'cus-1', name: 'Anna Schmidt', email: 'anna@example.com' });
    expect(created.lagoId).toMatch(/^[0-9a-f-]{36}$/);

    const updated = await adapter.upsertCustomer({ externalId: 'cus-1', email: 'anna.s@example.com' });
    expect(updated).toMatchObject({
      lagoId: created.lagoId,
      name: 'Anna Schmidt',
      email: 'anna.s@example.com',
    });

    const posts = lago.requestsTo('POST', '/customers');
    expect(posts).toHaveLength(2);
    const expectedBody = {
      customer: { external_id: 'cus-1', email: 'anna.s@example.com' },
    } satisfies CustomerCreateInput;
    expect(posts[1]?.body).toEqual(expectedBody);
  });

  it('paginates and searches like Lago', async () => {
    for (let i = 1; i <= 5; i++) {
      await adapter.upsertCustomer({
        externalId: `cus-${i}`,
        name: i % 2 ? `Odd Person ${i}` : `Even Person ${i}`,
      });
    }
    const first = await adapter.listCustomers({ page: 1, perPage: 2 });
    expect(first.items.map((c) => c.externalId)).toEqual(['cus-5', 'cus-4']);
    expect(first.meta).toEqual({ currentPage: 1, nextPage: 2, prevPage: null, totalPages: 3, totalCount: 5 });
    const last = await adapter.listCustomers({ page: 3, perPage: 2 });
    expect(last.items.map((c) => c.externalId)).toEqual(['cus-1']);
    expect(last.meta).toEqual({ currentPage: 3, nextPage: null, prevPage: 2, totalPages: 3, totalCount: 5 });

    const odd = await adapter.listCustomers({ searchTerm: 'odd' });
    expect(odd.items.map((c) => c.externalId).sort()).toEqual(['cus-1', 'cus-3', 'cus-5']);
    expect(lago.requests.at(-1)?.query).toEqual({ page: '1', per_page: '20', search_term: 'odd' });

    const none = await adapter.listCustomers({ searchTerm: 'nobody' });
    expect(none).toEqual({
      items: [],
      meta: { currentPage: 0, nextPage: null, prevPage: null, totalPages: 0, totalCount: 0 },
    });
  });

  it('returns null for an unknown customer and encodes external ids in paths', async () => {
    expect(await adapter.getCustomer('missing')).toBeNull();
    await adapter.upsertCustomer({ externalId: 'card/42 ä?x', name: 'Odd Id' });
    expect((await adapter.getCustomer('card/42 ä?x'))?.name).toBe('Odd Id');
  });

  it('ensures the subscription idempotently, using the id convention', async () => {
    await adapter.upsertCustomer({ externalId: 'cus-1' });
    const a = await adapter.ensureSubscription('cus-1');
    const b = await adapter.ensureSubscription('cus-1');
    expect(a).toMatchObject({
      externalId: 'polaris-sub-cus-1',
      externalCustomerId: 'cus-1',
      planCode: 'ev_charging',
      status: 'active',
    });
    expect(b.lagoId).toBe(a.lagoId);
    const missing = await lagoErrorOf(() => adapter.ensureSubscription('nobody'));
    expect(missing).toMatchObject({
      code: 'not_found',
      retryable: false,
      status: 404,
      lagoCode: 'customer_not_found',
    });
  });
});

describe('RealLagoAdapter — events', () => {
  it('sends one event with root key, Unix seconds, subscription id, code and kWh', async () => {
    const result = await adapter.sendEvent(event(1, { properties: { kwh: 12.345 } }));
    expect(result).toEqual({
      transactionId: 'polaris-session-1001',
      externalSubscriptionId: 'polaris-sub-cus-1',
      status: 'delivered',
    });
    const [request] = lago.requestsTo('POST', '/events');
    const expected = {
      event: {
        transaction_id: 'polaris-session-1001',
        external_subscription_id: 'polaris-sub-cus-1',
        code: 'kwh',
        timestamp: Date.UTC(2026, 2, 15, 13, 0, 1) / 1000,
        properties: { kwh: '12.345' },
      },
    } satisfies EventInput;
    expect(request?.body).toEqual(expected);
    expect(Number.isInteger((request?.body as EventInput).event.timestamp)).toBe(true);
    expect(lago.acceptedEvents()).toHaveLength(1);
  });

  it('reports a duplicate single event as duplicate and stores it once', async () => {
    expect((await adapter.sendEvent(event(1))).status).toBe('delivered');
    expect((await adapter.sendEvent(event(1))).status).toBe('duplicate');
    expect(lago.requestsTo('POST', '/events').map((r) => r.status)).toEqual([200, 422]);
    expect(lago.store.eventCount('polaris-session-1001')).toBe(1);
  });

  it('resends a batch without the duplicate Lago rejected, marking it duplicate', async () => {
    await adapter.sendEvent(event(2));
    const result = await adapter.sendEvents([event(1), event(2), event(3)]);
    expect(result.results.map((r) => [r.transactionId, r.status])).toEqual([
      ['polaris-session-1001', 'delivered'],
      ['polaris-session-1002', 'duplicate'],
      ['polaris-session-1003', 'delivered'],
    ]);
    expect(result).toMatchObject({ delivered: 2, duplicates: 1, invalid: 0, requests: 2 });

    const batches = lago.requestsTo('POST', '/events/batch');
    expect(batches.map((r) => r.status)).toEqual([422, 200]);
    const resent = batches[1]?.body as EventBatchInput;
    expect(resent.events.map((e) => e.transaction_id)).toEqual([
      'polaris-session-1001',
      'polaris-session-1003',
    ]);
    // Exactly once each.
    for (const n of [1, 2, 3]) expect(lago.store.eventCount(`polaris-session-${1000 + n}`)).toBe(1);
  });

  it('marks events Lago rejects as invalid (with the reason) and delivers the rest', async () => {
    lago.failNext(1, {
      kind: 'status',
      status: 422,
      body: {
        status: 422,
        error: 'Unprocessable Entity',
        code: 'validation_errors',
        error_details: { '1': { code: ['value_is_invalid'] } },
      },
    });
    const result = await adapter.sendEvents([event(1), event(2), event(3)]);
    expect(result.results[1]).toMatchObject({
      status: 'invalid',
      reason: 'code: value_is_invalid',
      details: { code: ['value_is_invalid'] },
    });
    expect(result).toMatchObject({ delivered: 2, invalid: 1, requests: 2 });
    expect(lago.acceptedEvents().map((e) => e.transactionId)).toEqual([
      'polaris-session-1001',
      'polaris-session-1003',
    ]);
  });

  it('treats a repeated transaction id inside one batch as a duplicate without sending it twice', async () => {
    const result = await adapter.sendEvents([event(1), event(1)]);
    expect(result.results.map((r) => r.status)).toEqual(['delivered', 'duplicate']);
    expect((lago.requestsTo('POST', '/events/batch')[0]?.body as EventBatchInput).events).toHaveLength(1);
  });

  it('rejects invalid events locally and more than 100 events without a request', async () => {
    const result = await adapter.sendEvents([event(1, { properties: { kwh: -1 } }), event(2)]);
    expect(result.results[0]).toMatchObject({
      status: 'invalid',
      details: { 'properties.kwh': ['value_is_invalid'] },
    });
    expect(result.results[1]?.status).toBe('delivered');

    const before = lago.requests.length;
    const tooMany = await lagoErrorOf(() =>
      adapter.sendEvents(Array.from({ length: 101 }, (_, i) => event(i))),
    );
    expect(tooMany).toMatchObject({ code: 'batch_too_large', retryable: false });
    expect(lago.requests.length).toBe(before);
  });

  it('sends an empty batch as no request at all', async () => {
    expect(await adapter.sendEvents([])).toEqual({
      results: [],
      delivered: 0,
      duplicates: 0,
      invalid: 0,
      requests: 0,
    });
    expect(lago.requests).toHaveLength(0);
  });
});

describe('RealLagoAdapter — failures', () => {
  it('429 with Retry-After → retryable rate_limited, and the client does not retry by itself', async () => {
    lago.failNext(1, { kind: 'status', status: 429, retryAfterSeconds: 7 });
    const error = await lagoErrorOf(() => adapter.sendEvents([event(1)]));
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, status: 429, retryAfterMs: 7_000 });
    expect(lago.requests).toHaveLength(1);
    expect(lago.acceptedEvents()).toHaveLength(0);
  });

  it('429 with x-ratelimit-reset → retryAfterMs from the reset', async () => {
    lago.failNext(1, { kind: 'status', status: 429, rateLimitResetSeconds: 3 });
    const error = await lagoErrorOf(() => adapter.sendEvent(event(1)));
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 3_000 });
  });

  it('500 → retryable server_error; the retry then delivers exactly once', async () => {
    lago.failNext(1, { kind: 'status', status: 500 });
    const error = await lagoErrorOf(() => adapter.sendEvents([event(1), event(2)]));
    expect(error).toMatchObject({ code: 'server_error', retryable: true, status: 500 });
    const retry = await adapter.sendEvents([event(1), event(2)]);
    expect(retry.delivered).toBe(2);
    expect(lago.acceptedEvents()).toHaveLength(2);
  });

  it('no answer → retryable timeout after timeoutMs', async () => {
    const quick = new RealLagoAdapter({ baseUrl: lago.baseUrl, apiKey: API_KEY, timeoutMs: 150 });
    lago.setFault({ kind: 'hang' });
    const started = performance.now();
    const error = await lagoErrorOf(() => quick.sendEvent(event(1)));
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('connection reset or refused → retryable network error', async () => {
    lago.failNext(1, { kind: 'reset' });
    expect(await lagoErrorOf(() => adapter.getCustomer('x'))).toMatchObject({
      code: 'network',
      retryable: true,
    });

    const closed = await startFakeLagoServer({ apiKey: API_KEY });
    await closed.close();
    const nowhere = new RealLagoAdapter({ baseUrl: closed.origin, apiKey: API_KEY });
    const refused = await lagoErrorOf(() => nowhere.sendEvent(event(1)));
    expect(refused).toMatchObject({ code: 'network', retryable: true });
    expect(refused.message).toContain('ECONNREFUSED');
  });

  it('a wrong key → non-retryable unauthorized, without the key in the error', async () => {
    const wrongKey = 'wrong-key-that-must-not-leak-42';
    const wrong = new RealLagoAdapter({ baseUrl: lago.origin, apiKey: wrongKey, logger });
    const error = await lagoErrorOf(() => wrong.sendEvent(event(1)));
    expect(error).toMatchObject({ code: 'unauthorized', retryable: false, status: 401 });
    expect(JSON.stringify(error) + String(error.stack) + logLines.join('')).not.toContain(wrongKey);
  });

  it('403 and 400 are not retryable', async () => {
    lago.failNext(1, {
      kind: 'status',
      status: 403,
      body: { status: 403, error: 'Forbidden', code: 'write_action_not_allowed_for_event' },
    });
    expect(await lagoErrorOf(() => adapter.sendEvent(event(1)))).toMatchObject({
      code: 'forbidden',
      retryable: false,
      lagoCode: 'write_action_not_allowed_for_event',
    });
    lago.failNext(1, {
      kind: 'status',
      status: 400,
      body: { status: 400, error: 'BadRequest: param is missing' },
    });
    expect(await lagoErrorOf(() => adapter.sendEvents([event(1)]))).toMatchObject({
      code: 'bad_request',
      retryable: false,
    });
  });

  it('a whole-batch 422 (not keyed by index) is a non-retryable validation error', async () => {
    lago.failNext(1, {
      kind: 'status',
      status: 422,
      body: {
        status: 422,
        error: 'Unprocessable Entity',
        code: 'validation_errors',
        error_details: { events: ['too_many_events'] },
      },
    });
    expect(await lagoErrorOf(() => adapter.sendEvents([event(1)]))).toMatchObject({
      code: 'validation',
      retryable: false,
      details: { events: ['too_many_events'] },
    });
  });

  it("the caller's abort → non-retryable aborted", async () => {
    lago.setFault({ kind: 'hang' });
    const controller = new AbortController();
    const pending = lagoErrorOf(() => adapter.sendEvent(event(1), { signal: controller.signal }));
    controller.abort();
    expect(await pending).toMatchObject({ code: 'aborted', retryable: false });
  });
});

describe('RealLagoAdapter — usage and setup', () => {
  it("reads the open period's kWh and amount", async () => {
    await customerWithSubscription();
    await adapter.sendEvents([
      event(1, { properties: { kwh: '10.5' } }),
      event(2, { properties: { kwh: '4.25' } }),
    ]);
    const usage = await adapter.getCurrentUsage('cus-1');
    expect(usage).toMatchObject({
      externalSubscriptionId: 'polaris-sub-cus-1',
      kwhUnits: '14.75',
      kwh: 14.75,
      eventsCount: 2,
      kwhAmountCents: 516, // 14.75 × 0.35 = 5.1625
      amountCents: 516,
      currency: 'EUR',
    });
    expect(usage?.fromDatetime.toISOString()).toBe(NOW.toISOString());
    expect(usage?.toDatetime.toISOString()).toBe('2026-03-31T23:59:59.999Z');
    expect(lago.requests.at(-1)?.query).toEqual({ external_subscription_id: 'polaris-sub-cus-1' });
    expect(await adapter.getCurrentUsage('nobody')).toBeNull();
  });

  it('checkSetup reports a missing metric and plan; provisionBilling creates them', async () => {
    const empty = await startFakeLagoServer({ apiKey: API_KEY, provision: false });
    try {
      const fresh = new RealLagoAdapter({ baseUrl: empty.origin, apiKey: API_KEY });
      const before = await fresh.checkSetup();
      expect(before.ok).toBe(false);
      expect(before.problems).toHaveLength(2);
      expect(await fresh.provisionBilling({ unitPrice: '0.42' })).toEqual({
        createdMetric: true,
        createdPlan: true,
      });
      expect(await fresh.provisionBilling()).toEqual({ createdMetric: false, createdPlan: false });
      const after = await fresh.checkSetup();
      expect(after).toMatchObject({
        ok: true,
        problems: [],
        metric: { code: 'kwh', aggregationType: 'sum_agg', fieldName: 'kwh' },
        plan: { code: 'ev_charging', interval: 'monthly', currency: 'EUR', chargesMetric: true },
      });
    } finally {
      await empty.close();
    }
  });

  it('checkSetup fails loudly (throws) when the key is wrong rather than reporting "missing"', async () => {
    const wrong = new RealLagoAdapter({ baseUrl: lago.origin, apiKey: 'nope' });
    expect(await lagoErrorOf(() => wrong.checkSetup())).toMatchObject({ code: 'unauthorized' });
  });
});
