/**
 * The port's behaviour on top of a `LagoWire`: mapping between Polaris' and Lago's shapes, local
 * event validation, and Lago's all-or-nothing batch rules. Shared by the real adapter and the
 * sandbox so both answer alike.
 */
import type {
  BillableMetricObject,
  CustomerCreateInput,
  CustomerObjectExtended,
  CustomerUsageObject,
  EventInputObject,
  PaginationMeta,
  PlanObject,
  SubscriptionObject,
} from 'lago-javascript-client';
import { formatDecimal, normalizeKwh, parseDecimal } from './decimal.ts';
import { LagoError } from './errors.ts';
import { findInvoiceForPeriod } from './invoices.ts';
import {
  MAX_BATCH_SIZE,
  subscriptionIdFor,
  type BatchResult,
  type PeriodInvoice,
  type CallOptions,
  type EnsureSubscriptionOptions,
  type CurrentUsage,
  type CustomerInput,
  type EventOutcome,
  type EventResult,
  type LagoCustomer,
  type LagoPort,
  type LagoSubscription,
  type ListCustomersQuery,
  type Page,
  type PageMeta,
  type SetupReport,
  type UsageEvent,
} from './port.ts';
import { tariffFromPlan, type Tariff } from './tariff.ts';
import type { LagoWire, WireCall } from './wire.ts';

/** The subset of pino's Logger the adapters use (pino's Logger fits). */
export interface LagoLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export const silentLogger: LagoLogger = { debug() {}, info() {}, warn() {} };

export interface LagoCoreOptions {
  kind: 'real' | 'sandbox';
  wire: LagoWire;
  metricCode: string;
  planCode: string;
  logger?: LagoLogger;
}

const DEFAULT_PER_PAGE = 20;
const MAX_PER_PAGE = 100;

export class LagoPortCore implements LagoPort {
  readonly kind: 'real' | 'sandbox';
  readonly metricCode: string;
  readonly planCode: string;
  protected readonly wire: LagoWire;
  protected readonly logger: LagoLogger;

  constructor(options: LagoCoreOptions) {
    this.kind = options.kind;
    this.wire = options.wire;
    this.metricCode = options.metricCode;
    this.planCode = options.planCode;
    this.logger = options.logger ?? silentLogger;
  }

  // ------------------------------------------------------------------------------------------
  // Customers

  async listCustomers(
    query: ListCustomersQuery = {},
    options: CallOptions = {},
  ): Promise<Page<LagoCustomer>> {
    const page = positiveInt(query.page ?? 1, 'page', 'listCustomers');
    const perPage = Math.min(
      positiveInt(query.perPage ?? DEFAULT_PER_PAGE, 'perPage', 'listCustomers'),
      MAX_PER_PAGE,
    );
    const searchTerm = query.searchTerm?.trim();
    const body = await this.wire.findAllCustomers(
      { page, per_page: perPage, ...(searchTerm ? { search_term: searchTerm } : {}) },
      call(options),
    );
    return { items: body.customers.map(toCustomer), meta: toMeta(body.meta) };
  }

  async getCustomer(externalId: string, options: CallOptions = {}): Promise<LagoCustomer | null> {
    requireText(externalId, 'externalId', 'getCustomer');
    try {
      const body = await this.wire.findCustomer(externalId, call(options));
      return toCustomer(body.customer);
    } catch (error) {
      if (error instanceof LagoError && error.status === 404) return null;
      throw error;
    }
  }

  async upsertCustomer(input: CustomerInput, options: CallOptions = {}): Promise<LagoCustomer> {
    const body = await this.wire.createCustomer({ customer: toCustomerInput(input) }, call(options));
    return toCustomer(body.customer);
  }

  async ensureSubscription(
    customerExternalId: string,
    options: CallOptions & EnsureSubscriptionOptions = {},
  ): Promise<LagoSubscription> {
    requireText(customerExternalId, 'customerExternalId', 'ensureSubscription');
    const startAt = options.startAt;
    if (startAt !== undefined && Number.isNaN(startAt.getTime()))
      throw new TypeError('ensureSubscription: startAt is not a valid date');
    const body = await this.wire.createSubscription(
      {
        subscription: {
          external_customer_id: customerExternalId,
          external_id: subscriptionIdFor(customerExternalId),
          plan_code: this.planCode,
          billing_time: 'calendar',
          // Omitted (not null) without a start: Lago then starts the subscription now.
          ...(startAt ? { subscription_at: startAt.toISOString() } : {}),
        },
      },
      call(options),
    );
    return toSubscription(body.subscription);
  }

  // ------------------------------------------------------------------------------------------
  // Events

  async sendEvent(event: UsageEvent, options: CallOptions = {}): Promise<EventResult> {
    const prepared = this.prepare(event);
    const ids = idsOf(event);
    if (!prepared.ok) return { ...ids, ...prepared.outcome };
    try {
      await this.wire.createEvent({ event: prepared.wire }, call(options));
      return { ...ids, status: 'delivered' };
    } catch (error) {
      if (error instanceof LagoError && error.status === 422 && error.details) {
        const outcome = outcomeFromFieldErrors(error.details);
        this.logOutcome(ids, outcome);
        return { ...ids, ...outcome };
      }
      throw error;
    }
  }

  async sendEvents(events: readonly UsageEvent[], options: CallOptions = {}): Promise<BatchResult> {
    if (events.length > MAX_BATCH_SIZE) {
      throw new LagoError(
        `Lago sendEvents: ${events.length} events exceed the batch limit of ${MAX_BATCH_SIZE}`,
        {
          code: 'batch_too_large',
          retryable: false,
          operation: 'sendEvents',
        },
      );
    }
    const outcomes: (EventOutcome | undefined)[] = new Array(events.length).fill(undefined);
    const wireEvents: (EventInputObject | undefined)[] = new Array(events.length).fill(undefined);
    // Later events with the same (subscription, transaction_id) as an earlier one: index → first index.
    const sameAs = new Map<number, number>();
    const firstByKey = new Map<string, number>();

    events.forEach((event, index) => {
      const prepared = this.prepare(event);
      if (!prepared.ok) {
        outcomes[index] = prepared.outcome;
        return;
      }
      const key = `${event.externalSubscriptionId}\u0000${event.transactionId}`;
      const first = firstByKey.get(key);
      if (first !== undefined) {
        sameAs.set(index, first);
        return;
      }
      firstByKey.set(key, index);
      wireEvents[index] = prepared.wire;
    });

    let pending = wireEvents.flatMap((wire, index) => (wire ? [index] : []));
    let requests = 0;
    while (pending.length > 0) {
      requests++;
      try {
        await this.wire.createBatchEvents(
          { events: pending.map((index) => wireEvents[index] as EventInputObject) },
          call(options),
        );
        for (const index of pending) outcomes[index] = { status: 'delivered' };
        pending = [];
      } catch (error) {
        const perEvent =
          error instanceof LagoError && error.status === 422
            ? indexKeyed(error.details, pending.length)
            : null;
        // A 422 about the batch as a whole (no_events, too_many_events …) or anything else: the call failed.
        if (!perEvent || perEvent.size === 0) throw error;
        for (const [position, fieldErrors] of perEvent) {
          const index = pending[position] as number;
          const outcome = outcomeFromFieldErrors(fieldErrors);
          outcomes[index] = outcome;
          this.logOutcome(idsOf(events[index] as UsageEvent), outcome);
        }
        // All-or-nothing: nothing was stored; resend the rest without the rejected ones.
        pending = pending.filter((_, position) => !perEvent.has(position));
        if (pending.length > 0) {
          this.logger.debug(
            { resend: pending.length, removed: perEvent.size },
            'lago batch rejected; resending the rest',
          );
        }
      }
    }

    for (const [index, first] of sameAs) {
      const firstOutcome = outcomes[first];
      outcomes[index] =
        firstOutcome?.status === 'invalid'
          ? { ...firstOutcome, reason: `same transaction_id as event #${first}: ${firstOutcome.reason}` }
          : { status: 'duplicate' };
    }

    const results = events.map((event, index): EventResult => {
      const outcome = outcomes[index] ?? { status: 'invalid', reason: 'not processed', details: {} };
      return { ...idsOf(event), ...outcome };
    });
    return {
      results,
      delivered: results.filter((r) => r.status === 'delivered').length,
      duplicates: results.filter((r) => r.status === 'duplicate').length,
      invalid: results.filter((r) => r.status === 'invalid').length,
      requests,
    };
  }

  /** Local checks before anything is sent, and the wire shape. */
  protected prepare(
    event: UsageEvent,
  ):
    | { ok: true; wire: EventInputObject }
    | { ok: false; outcome: Extract<EventOutcome, { status: 'invalid' }> } {
    const details: Record<string, string[]> = {};
    if (typeof event.transactionId !== 'string' || event.transactionId.trim() === '') {
      details.transaction_id = ['value_is_mandatory'];
    }
    if (typeof event.externalSubscriptionId !== 'string' || event.externalSubscriptionId.trim() === '') {
      details.external_subscription_id = ['value_is_mandatory'];
    }
    const code = event.code ?? this.metricCode;
    if (typeof code !== 'string' || code.trim() === '') details.code = ['value_is_mandatory'];
    const time = event.timestamp instanceof Date ? event.timestamp.getTime() : Number.NaN;
    if (!Number.isFinite(time)) details.timestamp = ['invalid_format'];
    const kwh = normalizeKwh(event.properties?.kwh as number | string);
    if (kwh === null) details['properties.kwh'] = ['value_is_invalid'];
    if (Object.keys(details).length > 0) {
      return { ok: false, outcome: { status: 'invalid', reason: describeDetails(details), details } };
    }
    return {
      ok: true,
      wire: {
        transaction_id: event.transactionId,
        external_subscription_id: event.externalSubscriptionId,
        code,
        // Whole Unix seconds: deterministic across retries (ClickHouse keys on the timestamp too).
        timestamp: Math.floor(time / 1000),
        properties: { kwh: kwh as string },
      },
    };
  }

  private logOutcome(
    ids: { transactionId: string; externalSubscriptionId: string },
    outcome: EventOutcome,
  ): void {
    if (outcome.status === 'duplicate')
      this.logger.debug(ids, 'lago event already exists; counted as delivered');
    if (outcome.status === 'invalid')
      this.logger.warn({ ...ids, reason: outcome.reason }, 'lago rejected usage event');
  }

  // ------------------------------------------------------------------------------------------
  // Usage and setup

  async getCurrentUsage(
    customerExternalId: string,
    externalSubscriptionId: string = subscriptionIdFor(customerExternalId),
    options: CallOptions = {},
  ): Promise<CurrentUsage | null> {
    requireText(customerExternalId, 'customerExternalId', 'getCurrentUsage');
    let usage: CustomerUsageObject;
    try {
      const body = await this.wire.findCustomerCurrentUsage(
        customerExternalId,
        { external_subscription_id: externalSubscriptionId },
        call(options),
      );
      usage = body.customer_usage;
    } catch (error) {
      if (error instanceof LagoError && error.status === 404) return null;
      throw error;
    }
    let units = 0n;
    let events = 0;
    let kwhAmount = 0;
    for (const charge of usage.charges_usage ?? []) {
      if (charge.billable_metric?.code !== this.metricCode) continue;
      units += parseDecimal(charge.units) ?? 0n;
      events += charge.events_count ?? 0;
      kwhAmount += charge.amount_cents ?? 0;
    }
    const kwhUnits = formatDecimal(units);
    return {
      customerExternalId,
      externalSubscriptionId,
      fromDatetime: new Date(usage.from_datetime),
      toDatetime: new Date(usage.to_datetime),
      currency: usage.currency ?? null,
      kwhUnits,
      kwh: Number(kwhUnits),
      eventsCount: events,
      kwhAmountCents: kwhAmount,
      amountCents: usage.amount_cents,
      totalAmountCents: usage.total_amount_cents,
    };
  }

  async getTariff(customerExternalId: string | null, options: CallOptions = {}): Promise<Tariff | null> {
    let planCode = this.planCode;
    if (customerExternalId) {
      const found = await this.findOrNull(() =>
        this.wire.findSubscription(subscriptionIdFor(customerExternalId), call(options)),
      );
      if (found) planCode = found.subscription.plan_code;
    }
    const plan = await this.findOrNull(() => this.wire.findPlan(planCode, call(options)));
    return plan ? tariffFromPlan(plan.plan, this.metricCode) : null;
  }

  getInvoiceForPeriod(
    customerExternalId: string,
    at: Date,
    options: CallOptions = {},
  ): Promise<PeriodInvoice | null> {
    requireText(customerExternalId, 'customerExternalId', 'getInvoiceForPeriod');
    return findInvoiceForPeriod(this.wire, this.metricCode, customerExternalId, at, call(options));
  }

  async checkSetup(options: CallOptions = {}): Promise<SetupReport> {
    const problems: string[] = [];
    const metric = await this.findOrNull(() => this.wire.findBillableMetric(this.metricCode, call(options)));
    const plan = await this.findOrNull(() => this.wire.findPlan(this.planCode, call(options)));
    const m: BillableMetricObject | undefined = metric?.billable_metric;
    const p: PlanObject | undefined = plan?.plan;
    if (!m) {
      problems.push(`billable metric "${this.metricCode}" not found (expected sum_agg on field_name "kwh")`);
    } else {
      if (m.aggregation_type !== 'sum_agg') {
        problems.push(`billable metric "${m.code}" aggregates with ${m.aggregation_type}; expected sum_agg`);
      }
      if (m.field_name !== 'kwh') {
        problems.push(`billable metric "${m.code}" sums field "${m.field_name ?? ''}"; expected "kwh"`);
      }
    }
    const chargesMetric = Boolean(p?.charges?.some((c) => c.billable_metric_code === this.metricCode));
    if (!p) {
      problems.push(
        `plan "${this.planCode}" not found (expected a plan with a per-kWh charge on "${this.metricCode}")`,
      );
    } else if (!chargesMetric) {
      problems.push(`plan "${p.code}" has no charge on billable metric "${this.metricCode}"`);
    }
    return {
      ok: problems.length === 0,
      problems,
      metric: m
        ? { code: m.code, aggregationType: m.aggregation_type, fieldName: m.field_name ?? null }
        : null,
      plan: p ? { code: p.code, interval: p.interval, currency: p.amount_currency, chargesMetric } : null,
    };
  }

  private async findOrNull<T>(load: () => Promise<T>): Promise<T | null> {
    try {
      return await load();
    } catch (error) {
      if (error instanceof LagoError && error.status === 404) return null;
      throw error;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers (exported for the tests and the sandbox)

function call(options: CallOptions): WireCall {
  return options.signal ? { signal: options.signal } : {};
}

function idsOf(event: UsageEvent): { transactionId: string; externalSubscriptionId: string } {
  return { transactionId: event.transactionId, externalSubscriptionId: event.externalSubscriptionId };
}

function positiveInt(value: number, name: string, operation: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new LagoError(`Lago ${operation}: ${name} must be a positive integer`, {
      code: 'validation',
      retryable: false,
      operation,
    });
  }
  return value;
}

function requireText(value: string, name: string, operation: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new LagoError(`Lago ${operation}: ${name} must not be empty`, {
      code: 'validation',
      retryable: false,
      operation,
    });
  }
}

/** error_details of a batch 422, keyed by array index → that event's field errors. */
export function indexKeyed(
  details: Record<string, unknown> | undefined,
  length: number,
): Map<number, Record<string, unknown>> | null {
  if (!details) return null;
  const result = new Map<number, Record<string, unknown>>();
  for (const [key, value] of Object.entries(details)) {
    if (!/^\d+$/.test(key)) continue;
    const position = Number(key);
    if (position >= length || typeof value !== 'object' || value === null) continue;
    result.set(position, value as Record<string, unknown>);
  }
  return result;
}

/** One event's field errors → duplicate (transaction_id already exists) or invalid. */
export function outcomeFromFieldErrors(fieldErrors: Record<string, unknown>): EventOutcome {
  const details: Record<string, string[]> = {};
  for (const [field, codes] of Object.entries(fieldErrors)) {
    details[field] = Array.isArray(codes) ? codes.map(String) : [String(codes)];
  }
  // Lago already holds this transaction_id for the subscription: whatever else is wrong, it is delivered.
  if (details.transaction_id?.includes('value_already_exist')) return { status: 'duplicate' };
  return { status: 'invalid', reason: describeDetails(details) || 'rejected by Lago', details };
}

function describeDetails(details: Record<string, string[]>): string {
  return Object.entries(details)
    .map(([field, codes]) => `${field}: ${codes.join(', ')}`)
    .join('; ');
}

export function toCustomer(c: CustomerObjectExtended): LagoCustomer {
  return {
    lagoId: c.lago_id,
    externalId: c.external_id,
    name: c.name ?? null,
    firstname: c.firstname ?? null,
    lastname: c.lastname ?? null,
    email: c.email ?? null,
    phone: c.phone ?? null,
    currency: c.currency ?? null,
    country: c.country ?? null,
    createdAt: new Date(c.created_at),
  };
}

export function toMeta(meta: PaginationMeta): PageMeta {
  return {
    currentPage: meta.current_page,
    nextPage: meta.next_page ?? null,
    prevPage: meta.prev_page ?? null,
    totalPages: meta.total_pages,
    totalCount: meta.total_count,
  };
}

function toSubscription(s: SubscriptionObject): LagoSubscription {
  return {
    lagoId: s.lago_id,
    externalId: s.external_id,
    externalCustomerId: s.external_customer_id,
    planCode: s.plan_code,
    status: s.status,
    startedAt: s.started_at ? new Date(s.started_at) : null,
    currentPeriodStartedAt: s.current_billing_period_started_at
      ? new Date(s.current_billing_period_started_at)
      : null,
  };
}

type WireCustomer = CustomerCreateInput['customer'];

export function toCustomerInput(input: CustomerInput): WireCustomer {
  const op = 'upsertCustomer';
  requireText(input.externalId, 'externalId', op);
  const out: WireCustomer = { external_id: input.externalId };
  if (input.name !== undefined) out.name = input.name;
  if (input.firstname !== undefined) out.firstname = input.firstname;
  if (input.lastname !== undefined) out.lastname = input.lastname;
  if (input.email !== undefined) out.email = input.email;
  if (input.phone !== undefined) out.phone = input.phone;
  if (input.currency !== undefined) {
    if (input.currency !== null && !/^[A-Z]{3}$/.test(input.currency)) {
      throw new LagoError(`Lago ${op}: currency must be an ISO 4217 code`, {
        code: 'validation',
        retryable: false,
        operation: op,
      });
    }
    // Shape-checked here; Lago validates membership of its currency list (422 otherwise).
    out.currency = input.currency as WireCustomer['currency'];
  }
  if (input.country !== undefined) {
    if (input.country !== null && !/^[A-Z]{2}$/.test(input.country)) {
      throw new LagoError(`Lago ${op}: country must be an ISO 3166 alpha-2 code`, {
        code: 'validation',
        retryable: false,
        operation: op,
      });
    }
    out.country = input.country as WireCustomer['country'];
  }
  return out;
}
