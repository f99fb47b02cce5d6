/**
 * The embedded Lago used when LAGO_URL is not set: an in-process organization (LagoStore) with the
 * `kwh` billable metric (sum_agg on properties.kwh) and a monthly pay-as-you-go plan, exposed
 * through the same port logic as the real adapter, so it answers exactly as Lago would
 * (duplicates, all-or-nothing batches, 404s, pagination).
 *
 * `setFault` makes it misbehave for demos and tests: down (network error), slow, or answering
 * 429/5xx — with the same LagoError a real outage would produce.
 */
import type { Currency } from 'lago-javascript-client';
import { LagoPortCore, type LagoLogger } from '../core.ts';
import { errorFromResponse, errorFromTransport, LagoError } from '../errors.ts';
import { DEFAULT_METRIC_CODE, DEFAULT_PLAN_CODE, type CustomerInput, type LagoCustomer } from '../port.ts';
import { SandboxInvoices } from './invoices.ts';
import { LagoApiFailure } from './failures.ts';
import { LagoStore, type LagoStoreSnapshot } from './store.ts';
import type { LagoWire, WireCall } from '../wire.ts';

export interface SandboxFault {
  /** Every call fails like an unreachable server (LagoError `network`, retryable). */
  down?: boolean;
  /** Delay before every answer (beyond timeoutMs the call fails with `timeout`). */
  latencyMs?: number;
  /** Every call answers this status (429 carries Retry-After: retryAfterSeconds, default 1). */
  status?: 429 | 500 | 502 | 503;
  retryAfterSeconds?: number;
}

export interface LagoSandboxOptions {
  /** Clock for billing periods and event times (default: real time). */
  now?: () => Date;
  /** Share a store (e.g. with a fake HTTP server); default: a fresh one. */
  store?: LagoStore;
  metricCode?: string;
  planCode?: string;
  /** Price per kWh, decimal string (default "0.35"). */
  unitPrice?: string;
  currency?: Currency;
  /** Like the real adapter's per-call timeout (default 10 000 ms); only matters with latency faults. */
  timeoutMs?: number;
  logger?: LagoLogger;
  /**
   * Awaited after every call that changed the organization, before the caller gets its answer
   * (the app saves the store here, so an accepted event is never lost to a restart).
   */
  onChange?: () => Promise<void>;
  /** A saved organization to continue (customers, subscriptions, events); see `LagoStore.snapshot`. */
  restore?: LagoStoreSnapshot;
}

/** Believable demo customers; external ids are stable so reseeding is idempotent. */
export const DEMO_CUSTOMERS: readonly (CustomerInput & { externalId: string })[] = [
  {
    externalId: 'demo-cus-001',
    name: 'Anna Schmidt',
    firstname: 'Anna',
    lastname: 'Schmidt',
    email: 'anna.schmidt@example.com',
    country: 'DE',
    currency: 'EUR',
  },
  {
    externalId: 'demo-cus-002',
    name: 'Lukas Meyer',
    firstname: 'Lukas',
    lastname: 'Meyer',
    email: 'lukas.meyer@example.com',
    country: 'DE',
    currency: 'EUR',
  },
  {
    externalId: 'demo-cus-003',
    name: 'Sofia Rossi',
    firstname: 'Sofia',
    lastname: 'Rossi',
    email: 'sofia.rossi@example.it',
    country: 'IT',
    currency: 'EUR',
  },
  {
    externalId: 'demo-cus-004',
    name: 'Jonas Berg',
    firstname: 'Jonas',
    lastname: 'Berg',
    email: 'jonas.berg@example.org',
    country: 'AT',
    currency: 'EUR',
  },
  {
    externalId: 'demo-cus-005',
    name: 'Nordwind Logistik GmbH',
    email: 'fleet@nordwind-logistik.example',
    phone: '+49 40 555 0100',
    country: 'DE',
    currency: 'EUR',
  },
  {
    externalId: 'demo-cus-006',
    name: 'Café Aurora',
    email: 'hello@cafe-aurora.example',
    country: 'NL',
    currency: 'EUR',
  },
];

export class LagoSandbox extends LagoPortCore {
  readonly store: LagoStore;
  /** Invoices of ended billing periods (derived from the store; `setPaymentStatus` for demos). */
  readonly invoices: SandboxInvoices;
  private readonly faults: { current: SandboxFault | null };

  constructor(options: LagoSandboxOptions = {}) {
    const store = options.store ?? new LagoStore(options.now ? { now: options.now } : {});
    if (options.restore) store.restore(options.restore);
    const metricCode = options.metricCode ?? DEFAULT_METRIC_CODE;
    const planCode = options.planCode ?? DEFAULT_PLAN_CODE;
    store.provisionPolaris({
      metricCode,
      planCode,
      ...(options.unitPrice ? { unitPrice: options.unitPrice } : {}),
      ...(options.currency ? { currency: options.currency } : {}),
    });
    const faults = { current: null as SandboxFault | null };
    const invoices = new SandboxInvoices(store, options.now);
    super({
      kind: 'sandbox',
      wire: new StoreWire(store, invoices, faults, options.timeoutMs ?? 10_000, options.onChange),
      metricCode,
      planCode,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.store = store;
    this.invoices = invoices;
    this.faults = faults;
  }

  /** Turns a fault on (replacing the previous one); `null` or `{}` clears it. */
  setFault(fault: SandboxFault | null): void {
    this.faults.current = fault && Object.keys(fault).length > 0 ? { ...fault } : null;
    this.logger.info({ fault: this.faults.current }, 'lago sandbox fault set');
  }

  clearFault(): void {
    this.setFault(null);
  }

  get fault(): SandboxFault | null {
    return this.faults.current;
  }

  /** Creates (or refreshes) the demo customers, each with its Polaris subscription. */
  async seedDemoCustomers(): Promise<LagoCustomer[]> {
    const customers: LagoCustomer[] = [];
    for (const input of DEMO_CUSTOMERS) {
      customers.push(await this.upsertCustomer(input));
      await this.ensureSubscription(input.externalId);
    }
    return customers;
  }
}

/** LagoWire over the store, with the sandbox's faults applied before each call. */
class StoreWire implements LagoWire {
  constructor(
    private readonly store: LagoStore,
    private readonly invoices: SandboxInvoices,
    private readonly faults: { current: SandboxFault | null },
    private readonly timeoutMs: number,
    private readonly onChange: (() => Promise<void>) | undefined,
  ) {}

  /** A call that changes the store: its answer waits until `onChange` (saving) is done. */
  private async change<T>(operation: string, call: WireCall, handle: () => T): Promise<T> {
    const result = await this.run(operation, call, handle);
    try {
      await this.onChange?.();
    } catch (error) {
      // Not saved: answer like a server error, so the caller retries (the retry is a duplicate).
      throw new LagoError(`Lago sandbox could not save its state after ${operation}`, {
        code: 'server_error',
        retryable: true,
        operation,
        cause: error,
      });
    }
    return result;
  }

  private async run<T>(operation: string, call: WireCall, handle: () => T): Promise<T> {
    const fault = this.faults.current;
    if (fault?.latencyMs) await delay(operation, Math.min(fault.latencyMs, this.timeoutMs), call.signal);
    if (fault?.latencyMs && fault.latencyMs > this.timeoutMs) {
      throw new LagoError(`Lago ${operation} timed out`, { code: 'timeout', retryable: true, operation });
    }
    if (call.signal?.aborted) throw errorFromTransport(operation, call.signal.reason, call.signal);
    if (fault?.down) {
      const refused = Object.assign(new Error('connect ECONNREFUSED (sandbox down)'), {
        code: 'ECONNREFUSED',
      });
      throw errorFromTransport(operation, refused);
    }
    if (fault?.status) {
      const headers = new Headers();
      if (fault.status === 429) headers.set('retry-after', String(fault.retryAfterSeconds ?? 1));
      const error = fault.status === 429 ? 'Too Many Requests' : 'Internal Server Error';
      throw errorFromResponse(operation, fault.status, { status: fault.status, error }, headers);
    }
    try {
      // A copy, as over the wire: callers never share objects with the store.
      return structuredClone(handle());
    } catch (error) {
      if (error instanceof LagoApiFailure) throw errorFromResponse(operation, error.status, error.body);
      throw error;
    }
  }

  createCustomer: LagoWire['createCustomer'] = (body, call) =>
    this.change('createCustomer', call, () => this.store.createCustomer(body));
  findAllCustomers: LagoWire['findAllCustomers'] = (query, call) =>
    this.run('findAllCustomers', call, () => this.store.listCustomers({ ...query }));
  findCustomer: LagoWire['findCustomer'] = (externalId, call) =>
    this.run('findCustomer', call, () => this.store.findCustomer(externalId));
  findCustomerCurrentUsage: LagoWire['findCustomerCurrentUsage'] = (customerId, query, call) =>
    this.run('findCustomerCurrentUsage', call, () =>
      this.store.currentUsage(customerId, query.external_subscription_id),
    );
  createSubscription: LagoWire['createSubscription'] = (body, call) =>
    this.change('createSubscription', call, () => this.store.createSubscription(body));
  findSubscription: LagoWire['findSubscription'] = (externalId, call) =>
    this.run('findSubscription', call, () => this.store.findSubscription(externalId));
  createEvent: LagoWire['createEvent'] = (body, call) =>
    this.change('createEvent', call, () => this.store.createEvent(body));
  createBatchEvents: LagoWire['createBatchEvents'] = (body, call) =>
    this.change('createBatchEvents', call, () => this.store.createBatchEvents(body));
  findBillableMetric: LagoWire['findBillableMetric'] = (code, call) =>
    this.run('findBillableMetric', call, () => this.store.findBillableMetric(code));
  findPlan: LagoWire['findPlan'] = (code, call) =>
    this.run('findPlan', call, () => this.store.findPlan(code));
  findAllInvoices: LagoWire['findAllInvoices'] = (query, call) =>
    this.run('findAllInvoices', call, () => this.invoices.list({ ...query }));
  findInvoice: LagoWire['findInvoice'] = (lagoId, call) =>
    this.run('findInvoice', call, () => this.invoices.find(lagoId));
}

function delay(operation: string, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(errorFromTransport(operation, signal.reason, signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(errorFromTransport(operation, signal?.reason, signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
