import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLagoServer, type FakeLagoServer } from './fake-lago-server.ts';

let lago: FakeLagoServer;

// These tests probe Lago's own rules with requests its spec forbids, so the spec check is off here
// (it is on by default; see the last describe).
beforeEach(async () => {
  lago = await startFakeLagoServer({ now: () => new Date('2026-05-05T10:00:00Z'), validateSpec: false });
});
afterEach(async () => {
  await lago.close();
});

async function call(method: string, path: string, body?: unknown, key: string | null = lago.apiKey) {
  const response = await fetch(`${lago.baseUrl}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

const ev = (id: string, extra: Record<string, unknown> = {}) => ({
  transaction_id: id,
  external_subscription_id: 'polaris-sub-c',
  code: 'kwh',
  timestamp: 1777975200,
  properties: { kwh: '1.5' },
  ...extra,
});

describe('fake Lago server (HTTP)', () => {
  it('requires the Bearer key (401 shape)', async () => {
    expect(await call('GET', '/customers', undefined, null)).toMatchObject({
      status: 401,
      body: { status: 401, error: 'Unauthorized' },
    });
    expect((await call('GET', '/customers', undefined, 'other')).status).toBe(401);
  });

  it('answers customers: upsert, 404 customer_not_found, empty list meta', async () => {
    expect(await call('GET', '/customers')).toMatchObject({
      status: 200,
      body: {
        customers: [],
        meta: { current_page: 0, total_pages: 0, total_count: 0, next_page: null, prev_page: null },
      },
    });
    expect(await call('GET', '/customers/c')).toMatchObject({
      status: 404,
      body: { status: 404, error: 'Not Found', code: 'customer_not_found' },
    });
    expect(
      (await call('POST', '/customers', { customer: { external_id: 'c', name: 'C' } })).body,
    ).toMatchObject({
      customer: { external_id: 'c', name: 'C' },
    });
    expect(await call('POST', '/customers', { external_id: 'c' })).toMatchObject({ status: 400 });
  });

  it('validates events: root key, numeric timestamp, mandatory fields', async () => {
    expect((await call('POST', '/events', { transaction_id: 'x' })).status).toBe(400);
    expect(
      await call('POST', '/events', { event: ev('t1', { timestamp: '2026-05-05T10:00:00Z' }) }),
    ).toMatchObject({
      status: 422,
      body: { code: 'validation_errors', error_details: { timestamp: ['invalid_format'] } },
    });
    expect(
      await call('POST', '/events', { event: ev('t1', { external_subscription_id: undefined }) }),
    ).toMatchObject({
      status: 422,
      body: { error_details: { external_subscription_id: ['value_is_mandatory'] } },
    });
    expect(await call('POST', '/events', { event: ev('t1', { timestamp: '1777975200.5' }) })).toMatchObject({
      status: 200,
      body: {
        event: { transaction_id: 't1', lago_customer_id: null, timestamp: '2026-05-05T10:00:00.500Z' },
      },
    });
    expect(await call('POST', '/events', { event: ev('t1') })).toMatchObject({
      status: 422,
      body: { error_details: { transaction_id: ['value_already_exist'] } },
    });
    // The string timestamp is legal for Lago but not what Polaris sends: noted as a violation.
    expect(lago.violations.some((v) => v.includes('timestamp'))).toBe(true);
  });

  it('batches: no_events, too_many_events, all-or-nothing with index keys', async () => {
    expect((await call('POST', '/events/batch', { events: [] })).body).toMatchObject({
      error_details: { events: ['no_events'] },
    });
    const many = Array.from({ length: 101 }, (_, i) => ev(`m${i}`));
    expect((await call('POST', '/events/batch', { events: many })).body).toMatchObject({
      error_details: { events: ['too_many_events'] },
    });
    expect((await call('POST', '/events/batch', { events: many.slice(0, 100) })).status).toBe(200);

    const mixed = await call('POST', '/events/batch', {
      events: [ev('n1'), ev('m5'), ev('n2', { code: '' })],
    });
    expect(mixed).toMatchObject({
      status: 422,
      body: {
        error_details: {
          '1': { transaction_id: ['value_already_exist'] },
          '2': { code: ['value_is_mandatory'] },
        },
      },
    });
    expect(Object.keys(mixed.body.error_details as object)).toEqual(['1', '2']);
    expect(lago.store.eventCount('n1')).toBe(0);
    expect(lago.acceptedEvents()).toHaveLength(100);
  });

  it('injects faults: next N requests, standing faults, Retry-After header', async () => {
    lago.failNext(2, { kind: 'status', status: 429, retryAfterSeconds: 9 });
    const first = await call('GET', '/customers');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('9');
    expect((await call('GET', '/customers')).status).toBe(429);
    expect((await call('GET', '/customers')).status).toBe(200);

    lago.setFault({ kind: 'status', status: 503 });
    expect((await call('GET', '/customers')).status).toBe(503);
    lago.setFault(null);
    expect((await call('GET', '/customers')).status).toBe(200);
    expect(lago.requests.map((r) => r.fault)).toEqual(['status', 'status', null, 'status', null]);
  });

  it('serves current usage for a subscribed customer', async () => {
    await call('POST', '/customers', { customer: { external_id: 'c' } });
    await call('POST', '/subscriptions', {
      subscription: { external_customer_id: 'c', plan_code: 'ev_charging', external_id: 'polaris-sub-c' },
    });
    await call('POST', '/events/batch', { events: [ev('a'), ev('b', { properties: { kwh: 2 } })] });
    const usage = await call('GET', '/customers/c/current_usage?external_subscription_id=polaris-sub-c');
    expect(usage).toMatchObject({
      status: 200,
      body: {
        customer_usage: {
          from_datetime: '2026-05-05T10:00:00.000Z',
          to_datetime: '2026-05-31T23:59:59.999Z',
          amount_cents: 123, // 3.5 kWh × 0.35 = 1.225
          charges_usage: [{ units: '3.5', events_count: 2, billable_metric: { code: 'kwh' } }],
        },
      },
    });
  });
});

describe('fake Lago server checks requests against Lago’s published spec', () => {
  it('answers 400 to a request the spec forbids, lists it, and fails close()', async () => {
    const strict = await startFakeLagoServer();
    const post = (path: string, body: unknown) =>
      fetch(`${strict.baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${strict.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // A subscription without its required plan_code, and an unknown query parameter.
    expect(
      (await post('/subscriptions', { subscription: { external_customer_id: 'c', external_id: 's' } }))
        .status,
    ).toBe(400);
    const list = await fetch(`${strict.baseUrl}/customers?per_page=5&sort=name`, {
      headers: { authorization: `Bearer ${strict.apiKey}` },
    });
    expect(list.status).toBe(400);
    expect(strict.specViolations).toEqual([
      expect.stringContaining(
        "POST /subscriptions body/subscription: must have required property 'plan_code'",
      ),
      "GET /customers: query parameter 'sort' is not in the spec",
    ]);
    await expect(strict.close()).rejects.toThrow(/not allowed by Lago's spec/);
  });

  it('lets a conforming request through to Lago’s rules', async () => {
    const strict = await startFakeLagoServer();
    const res = await fetch(`${strict.baseUrl}/customers?page=1&per_page=5`, {
      headers: { authorization: `Bearer ${strict.apiKey}` },
    });
    expect(res.status).toBe(200);
    await strict.close();
  });
});
