import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LagoError } from './errors.ts';
import { sessionTransactionId, subscriptionIdFor } from './port.ts';
import { RealLagoAdapter } from './real-adapter.ts';
import { startFakeLagoServer, type FakeLagoServer } from './sandbox/fake-lago-server.ts';
import { LagoSandbox } from './sandbox/sandbox.ts';

const API_KEY = 'lago-invoice-test-key';
let now = new Date('2026-02-10T09:00:00.000Z');
let lago: FakeLagoServer;
let adapter: RealLagoAdapter;

beforeEach(async () => {
  now = new Date('2026-02-10T09:00:00.000Z');
  lago = await startFakeLagoServer({ apiKey: API_KEY, now: () => now });
  adapter = new RealLagoAdapter({ baseUrl: lago.origin, apiKey: API_KEY, timeoutMs: 2_000 });
  await adapter.upsertCustomer({ externalId: 'cus-1', name: 'Anna Schmidt' });
  await adapter.ensureSubscription('cus-1');
  // Two sessions in February (12.5 + 7.25 kWh at 0.35 EUR), one in March.
  const sent = await adapter.sendEvents([
    {
      transactionId: sessionTransactionId(1),
      externalSubscriptionId: subscriptionIdFor('cus-1'),
      timestamp: new Date('2026-02-12T18:30:00Z'),
      properties: { kwh: '12.5' },
    },
    {
      transactionId: sessionTransactionId(2),
      externalSubscriptionId: subscriptionIdFor('cus-1'),
      timestamp: new Date('2026-02-28T23:59:59Z'),
      properties: { kwh: '7.25' },
    },
  ]);
  expect(sent.delivered).toBe(2);
  now = new Date('2026-03-15T12:00:00.000Z');
  await adapter.sendEvent({
    transactionId: sessionTransactionId(3),
    externalSubscriptionId: subscriptionIdFor('cus-1'),
    timestamp: new Date('2026-03-02T08:00:00Z'),
    properties: { kwh: '3' },
  });
});

afterEach(async () => {
  expect(lago.violations).toEqual([]);
  await lago.close(); // rejects if any request departed from Lago's published spec
});

describe('getInvoiceForPeriod through the official client', () => {
  it('finds the invoice of the ended period containing the moment, with its kWh fee in minor units', async () => {
    const invoice = await adapter.getInvoiceForPeriod('cus-1', new Date('2026-02-28T23:59:59.700Z'));
    expect(invoice).toMatchObject({
      issuingDate: '2026-03-01',
      status: 'finalized',
      paymentStatus: 'pending',
      currency: 'EUR',
      periodFrom: new Date('2026-02-10T09:00:00.000Z'),
      kwhFee: { units: '19.75', amountCents: 691, currency: 'EUR', eventsCount: 2 },
      totalAmountCents: 691,
    });
    expect(invoice?.number).toMatch(/^POL-[0-9A-F]{4}-202602$/);
    expect(invoice?.periodTo.toISOString()).toBe('2026-02-28T23:59:59.999Z');
    // One list call, then one invoice read in full.
    expect(lago.requestsTo('GET', '/invoices')).toHaveLength(1);
    expect(lago.requestsTo('GET', '/invoices')[0]!.query).toMatchObject({
      external_customer_id: 'cus-1',
      issuing_date_from: '2026-02-28',
      invoice_type: 'subscription',
    });
    expect(lago.requests.filter((r) => r.path.startsWith('/invoices/'))).toHaveLength(1);
  });

  it('answers null while the period is open, and for an unknown customer', async () => {
    expect(await adapter.getInvoiceForPeriod('cus-1', new Date('2026-03-02T08:00:00Z'))).toBeNull();
    expect(await adapter.getInvoiceForPeriod('nobody', new Date('2026-02-12T08:00:00Z'))).toBeNull();
  });

  it('shows a payment Lago recorded as paid', async () => {
    const before = await adapter.getInvoiceForPeriod('cus-1', new Date('2026-02-12T18:30:00Z'));
    lago.invoices.setPaymentStatus(before!.number, 'succeeded');
    const after = await adapter.getInvoiceForPeriod('cus-1', new Date('2026-02-12T18:30:00Z'));
    expect(after?.paymentStatus).toBe('succeeded');
  });

  it('throws a retryable LagoError when Lago is down or failing', async () => {
    lago.setFault({ kind: 'status', status: 503 });
    const failing = await adapter
      .getInvoiceForPeriod('cus-1', new Date('2026-02-12T18:30:00Z'))
      .catch((e: unknown) => e);
    expect(failing).toBeInstanceOf(LagoError);
    expect(failing).toMatchObject({ code: 'server_error', retryable: true });
    lago.setFault({ kind: 'reset' });
    const down = await adapter
      .getInvoiceForPeriod('cus-1', new Date('2026-02-12T18:30:00Z'))
      .catch((e: unknown) => e);
    expect(down).toMatchObject({ code: 'network', retryable: true });
  });

  it('the sandbox issues the same invoice from the same store', async () => {
    const sandbox = new LagoSandbox({ store: lago.store, now: () => now });
    const invoice = await sandbox.getInvoiceForPeriod('cus-1', new Date('2026-02-12T18:30:00Z'));
    expect(invoice?.kwhFee).toMatchObject({ units: '19.75', amountCents: 691 });
    sandbox.setFault({ down: true });
    await expect(
      sandbox.getInvoiceForPeriod('cus-1', new Date('2026-02-12T18:30:00Z')),
    ).rejects.toMatchObject({ code: 'network' });
  });
});
