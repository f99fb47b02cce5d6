/**
 * The Lago port against a real Lago, through the official `lago-javascript-client`.
 *
 * - Base URL: LAGO_URL is the origin of the Lago API (e.g. http://lago:3000); `/api/v1` is appended
 *   unless already there.
 * - Timeouts: every call gets an AbortSignal (default 10 s, `timeoutMs`), passed per request through
 *   the client's RequestParams; it also covers reading the response body.
 * - Rate limits: the client's own 429 retry (`rateLimitRetry`) is deliberately NOT enabled — it would
 *   sleep inside a call (up to 3 × 20 s) while the outbox holds its lease. A 429 surfaces at once as a
 *   retryable LagoError with `retryAfterMs`, and the outbox owns backoff.
 * - The API key only ever goes into the client's Authorization header; no message or log holds it.
 */
import {
  Client,
  LagoRateLimitError,
  type HttpResponse,
  type PlanCreateInput,
  type RequestParams,
} from 'lago-javascript-client';
import { LagoPortCore, type LagoLogger } from './core.ts';
import { errorFromResponse, errorFromTransport, LagoError } from './errors.ts';
import { DEFAULT_METRIC_CODE, DEFAULT_PLAN_CODE } from './port.ts';
import type { LagoWire, WireCall } from './wire.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface RealLagoAdapterOptions {
  /** LAGO_URL: the Lago API origin (http://lago:3000) or the full base (…/api/v1). */
  baseUrl: string;
  /** LAGO_API_KEY. Never logged. */
  apiKey: string;
  /** Per-call timeout in ms (default 10 000). */
  timeoutMs?: number;
  logger?: LagoLogger;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: typeof fetch;
  /** LAGO_BILLABLE_METRIC_CODE (default `kwh`). */
  metricCode?: string;
  /** LAGO_PLAN_CODE (default `ev_charging`). */
  planCode?: string;
}

export interface ProvisionOptions {
  /** Price per kWh as a decimal string (default "0.35"). */
  unitPrice?: string;
  /** ISO 4217 (default "EUR"). */
  currency?: PlanCreateInput['plan']['amount_currency'];
}

/** `http://lago:3000` → `http://lago:3000/api/v1`; a URL already ending in /api/v1 is kept. */
export function lagoApiBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('Lago base URL is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError('Lago base URL must start with http:// or https://');
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.origin}${path.endsWith('/api/v1') ? path : `${path}/api/v1`}`;
}

type LagoClient = ReturnType<typeof Client>;

export class RealLagoAdapter extends LagoPortCore {
  readonly baseUrl: string;
  private readonly client: LagoClient;
  private readonly clientWire: ClientWire;

  constructor(options: RealLagoAdapterOptions) {
    if (!options.apiKey) throw new TypeError('Lago API key is required');
    const baseUrl = lagoApiBaseUrl(options.baseUrl);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      throw new TypeError('timeoutMs must be a positive number');
    const customFetch = options.fetch;
    // No `rateLimitRetry`: the client then installs no retrying fetch wrapper at all (see header).
    const client = Client(options.apiKey, {
      baseUrl,
      // Wrapped so a host fetch is never called with the client as `this`.
      ...(customFetch
        ? { customFetch: (input: RequestInfo | URL, init?: RequestInit) => customFetch(input, init) }
        : {}),
    });
    const wire = new ClientWire(client, timeoutMs, options.logger);
    super({
      kind: 'real',
      wire,
      metricCode: options.metricCode ?? DEFAULT_METRIC_CODE,
      planCode: options.planCode ?? DEFAULT_PLAN_CODE,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.baseUrl = baseUrl;
    this.client = client;
    this.clientWire = wire;
  }

  /**
   * Creates what Polaris needs in a fresh Lago organization, when missing: the billable metric
   * (sum_agg on properties.kwh) and a monthly plan with a standard per-kWh charge on it.
   * Existing objects are left untouched (checkSetup reports whether they fit).
   */
  async provisionBilling(
    options: ProvisionOptions = {},
  ): Promise<{ createdMetric: boolean; createdPlan: boolean }> {
    const run = this.clientWire.run.bind(this.clientWire);
    let createdMetric = false;
    let createdPlan = false;
    let metric = await orNull(
      run('findBillableMetric', {}, (p) =>
        this.client.billableMetrics.findBillableMetric(encodeURIComponent(this.metricCode), p),
      ),
    );
    if (!metric) {
      metric = await run('createBillableMetric', {}, (p) =>
        this.client.billableMetrics.createBillableMetric(
          {
            billable_metric: {
              name: 'Energy delivered (kWh)',
              code: this.metricCode,
              aggregation_type: 'sum_agg',
              field_name: 'kwh',
              description: 'Energy of finished charging sessions, sent by Polaris Express',
            },
          },
          p,
        ),
      );
      createdMetric = true;
    }
    const plan = await orNull(
      run('findPlan', {}, (p) => this.client.plans.findPlan(encodeURIComponent(this.planCode), p)),
    );
    if (!plan) {
      await run('createPlan', {}, (p) =>
        this.client.plans.createPlan(
          {
            plan: {
              name: 'EV charging (pay as you go)',
              code: this.planCode,
              interval: 'monthly',
              amount_cents: 0,
              amount_currency: options.currency ?? 'EUR',
              pay_in_advance: false,
              charges: [
                {
                  billable_metric_id: metric.billable_metric.lago_id,
                  charge_model: 'standard',
                  pay_in_advance: false,
                  properties: { amount: options.unitPrice ?? '0.35' },
                },
              ],
            },
          },
          p,
        ),
      );
      createdPlan = true;
    }
    this.logger.info(
      { metricCode: this.metricCode, planCode: this.planCode, createdMetric, createdPlan },
      'lago billing provisioned',
    );
    return { createdMetric, createdPlan };
  }
}

async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof LagoError && error.status === 404) return null;
    throw error;
  }
}

/** LagoWire over the official client: one place that turns its answers and throws into LagoError. */
class ClientWire implements LagoWire {
  constructor(
    private readonly client: LagoClient,
    private readonly timeoutMs: number,
    private readonly logger: LagoLogger | undefined,
  ) {}

  async run<T>(
    operation: string,
    call: WireCall,
    send: (params: RequestParams) => Promise<HttpResponse<T, unknown>>,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = call.signal ? AbortSignal.any([timeout, call.signal]) : timeout;
    const started = performance.now();
    try {
      const response = await send({ signal });
      if (response.data === null || response.data === undefined) {
        // The client swallows body-read failures of 2xx answers into `.error` (e.g. our timeout
        // firing mid-body) and resolves with data null.
        if (response.error instanceof Error) throw errorFromTransport(operation, response.error, call.signal);
        throw new LagoError(`Lago ${operation} answered HTTP ${response.status} without a JSON body`, {
          code: 'unexpected_response',
          retryable: response.status >= 500,
          operation,
          status: response.status,
        });
      }
      this.log(operation, response.status, started);
      return response.data;
    } catch (thrown) {
      const error = toLagoError(operation, thrown, call.signal);
      this.log(operation, error.status, started, error);
      throw error;
    }
  }

  private log(operation: string, status: number | undefined, started: number, error?: LagoError): void {
    this.logger?.debug(
      {
        operation,
        status,
        durationMs: Math.round(performance.now() - started),
        ...(error ? { code: error.code, retryable: error.retryable } : {}),
      },
      error ? 'lago call failed' : 'lago call',
    );
  }

  createCustomer: LagoWire['createCustomer'] = (body, call) =>
    this.run('createCustomer', call, (p) => this.client.customers.createCustomer(body, p));

  findAllCustomers: LagoWire['findAllCustomers'] = (query, call) =>
    this.run('findAllCustomers', call, (p) => this.client.customers.findAllCustomers(query, p));

  // The generated client puts path parameters into the URL as they are: encode them here.
  findCustomer: LagoWire['findCustomer'] = (externalId, call) =>
    this.run('findCustomer', call, (p) =>
      this.client.customers.findCustomer(encodeURIComponent(externalId), p),
    );

  findCustomerCurrentUsage: LagoWire['findCustomerCurrentUsage'] = (externalCustomerId, query, call) =>
    this.run('findCustomerCurrentUsage', call, (p) =>
      this.client.customers.findCustomerCurrentUsage(encodeURIComponent(externalCustomerId), query, p),
    );

  createSubscription: LagoWire['createSubscription'] = (body, call) =>
    this.run('createSubscription', call, (p) => this.client.subscriptions.createSubscription(body, p));

  findSubscription: LagoWire['findSubscription'] = (externalId, call) =>
    this.run('findSubscription', call, (p) =>
      this.client.subscriptions.findSubscription(encodeURIComponent(externalId), undefined, p),
    );

  createEvent: LagoWire['createEvent'] = (body, call) =>
    this.run('createEvent', call, (p) => this.client.events.createEvent(body, p));

  createBatchEvents: LagoWire['createBatchEvents'] = (body, call) =>
    this.run('createBatchEvents', call, (p) => this.client.events.createBatchEvents(body, p));

  findBillableMetric: LagoWire['findBillableMetric'] = (code, call) =>
    this.run('findBillableMetric', call, (p) =>
      this.client.billableMetrics.findBillableMetric(encodeURIComponent(code), p),
    );

  findPlan: LagoWire['findPlan'] = (code, call) =>
    this.run('findPlan', call, (p) => this.client.plans.findPlan(encodeURIComponent(code), p));

  findAllInvoices: LagoWire['findAllInvoices'] = (query, call) =>
    this.run('findAllInvoices', call, (p) => this.client.invoices.findAllInvoices(query, p));

  findInvoice: LagoWire['findInvoice'] = (lagoId, call) =>
    this.run('findInvoice', call, (p) => this.client.invoices.findInvoice(encodeURIComponent(lagoId), p));
}

/** What the client throws: the non-2xx Response itself (body parsed into `.error`), or fetch's error. */
function toLagoError(operation: string, thrown: unknown, callerSignal: AbortSignal | undefined): LagoError {
  if (thrown instanceof LagoError) return thrown;
  if (thrown instanceof LagoRateLimitError) {
    // Only reachable if someone enables rateLimitRetry; kept so the outbox still backs off correctly.
    return new LagoError(`Lago ${operation} failed with HTTP 429 (rate limited)`, {
      code: 'rate_limited',
      retryable: true,
      operation,
      status: 429,
      ...(thrown.retryAfter > 0 ? { retryAfterMs: thrown.retryAfter } : {}),
    });
  }
  if (isResponseLike(thrown)) {
    const body = thrown.error;
    return errorFromResponse(
      operation,
      thrown.status,
      body instanceof Error ? undefined : body,
      thrown.headers,
    );
  }
  return errorFromTransport(operation, thrown, callerSignal);
}

/** Duck-typed like the client itself does: a custom fetch may bring its own Response class. */
function isResponseLike(value: unknown): value is { status: number; headers: Headers; error?: unknown } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { status?: unknown; headers?: unknown };
  return (
    typeof v.status === 'number' &&
    typeof v.headers === 'object' &&
    v.headers !== null &&
    typeof (v.headers as Headers).get === 'function'
  );
}
