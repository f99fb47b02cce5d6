/**
 * An in-memory Lago organization: the rules of Lago's API that Polaris depends on, written once and
 * used by both the in-process sandbox (sandbox.ts) and the fake HTTP server (fake-lago-server.ts).
 *
 * Methods take request bodies as `unknown` (as they arrive over HTTP), validate them the way Lago
 * does, and return Lago's response bodies typed with the official client's types. Failures throw
 * `LagoApiFailure` carrying Lago's HTTP status and JSON error body.
 *
 * Deliberate simplifications (documented in docs/lago-integration.md): one organization, calendar
 * monthly billing periods in UTC, sum_agg/count_agg metrics, standard (per-unit) charges, no taxes.
 * Stricter than Lago on one point: an event without external_subscription_id is rejected (Lago
 * accepts it but never bills it — for Polaris that is always a bug).
 */
import type {
  BillableMetric,
  BillableMetricObject,
  ChargeObject,
  Currency,
  Customer,
  CustomerChargeUsageObject,
  CustomerObjectExtended,
  CustomersPaginated,
  CustomerUsage,
  EventCreated,
  EventObject,
  EventsCreated,
  Plan,
  PlanObject,
  SubscriptionExtended,
  SubscriptionObject,
} from 'lago-javascript-client';
import { amountCents, formatDecimal, parseDecimal } from '../decimal.ts';
import { costOf, tariffFromPlan } from '../tariff.ts';
import { MAX_BATCH_SIZE } from '../port.ts';
import { badRequest, notFound, unprocessable } from './failures.ts';
import { asObject, graduatedRanges, monthOf, pageParam, paginate, root } from './request-body.ts';

export interface StoredEvent {
  lagoId: string;
  transactionId: string;
  externalSubscriptionId: string;
  code: string;
  /** Event time (from the Unix-seconds timestamp, or reception time). */
  timestamp: Date;
  properties: Record<string, unknown>;
  receivedAt: Date;
}

export interface LagoStoreOptions {
  /** The clock (billing periods, default timestamps, created_at). Default: real time. */
  now?: () => Date;
}

export interface PolarisProvisioning {
  metricCode?: string;
  planCode?: string;
  /** Price per kWh as a decimal string, e.g. "0.35". */
  unitPrice?: string;
  currency?: Currency;
}

interface StoredSubscription {
  wire: SubscriptionObject;
}

const ID_PREFIX = {
  customer: 'c0570000',
  metric: 'b1110000',
  plan: 'a1a00000',
  charge: 'c4a00000',
  subscription: '5ab00000',
  event: 'e0e00000',
} as const;

const CUSTOMER_FIELDS = [
  'name',
  'firstname',
  'lastname',
  'email',
  'phone',
  'currency',
  'country',
  'address_line1',
  'address_line2',
  'city',
  'state',
  'zipcode',
  'legal_name',
  'legal_number',
  'tax_identification_number',
  'url',
  'timezone',
  'customer_type',
  'net_payment_term',
] as const;

const AGGREGATIONS = [
  'count_agg',
  'sum_agg',
  'max_agg',
  'unique_count_agg',
  'weighted_sum_agg',
  'latest_agg',
] as const;
const INTERVALS = ['weekly', 'monthly', 'quarterly', 'semiannual', 'yearly'] as const;

export class LagoStore {
  private readonly now: () => Date;
  private sequence = 0;
  private readonly customers = new Map<string, CustomerObjectExtended>();
  private readonly metrics = new Map<string, BillableMetricObject>();
  private readonly plans = new Map<string, PlanObject>();
  private readonly subscriptions = new Map<string, StoredSubscription>();
  /** Unique key (external_subscription_id, transaction_id), as in Lago's PostgreSQL event store. */
  private readonly eventsByKey = new Map<string, StoredEvent>();
  private readonly events: StoredEvent[] = [];

  constructor(options: LagoStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  private nextId(kind: keyof typeof ID_PREFIX): string {
    this.sequence++;
    return `${ID_PREFIX[kind]}-0000-4000-8000-${this.sequence.toString(16).padStart(12, '0')}`;
  }

  /** Creates the billable metric and plan Polaris expects (idempotent). */
  provisionPolaris(options: PolarisProvisioning = {}): { metric: BillableMetricObject; plan: PlanObject } {
    const metricCode = options.metricCode ?? 'kwh';
    const planCode = options.planCode ?? 'ev_charging';
    const metric =
      this.metrics.get(metricCode) ??
      this.createBillableMetric({
        billable_metric: {
          name: 'Energy delivered (kWh)',
          code: metricCode,
          aggregation_type: 'sum_agg',
          field_name: 'kwh',
          description: 'Sum of properties.kwh over the billing period',
        },
      }).billable_metric;
    const plan =
      this.plans.get(planCode) ??
      this.createPlan({
        plan: {
          name: 'EV charging (pay as you go)',
          code: planCode,
          interval: 'monthly',
          amount_cents: 0,
          amount_currency: options.currency ?? 'EUR',
          pay_in_advance: false,
          charges: [
            {
              billable_metric_id: metric.lago_id,
              charge_model: 'standard',
              properties: { amount: options.unitPrice ?? '0.35' },
            },
          ],
        },
      }).plan;
    return { metric, plan };
  }

  // ------------------------------------------------------------------------------------------
  // Customers

  createCustomer(body: unknown): Customer {
    const input = root(body, 'customer');
    const externalId = input.external_id;
    if (typeof externalId !== 'string' || externalId.trim() === '') {
      throw unprocessable({ external_id: ['value_is_mandatory'] });
    }
    if (input.email != null && (typeof input.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(input.email))) {
      throw unprocessable({ email: ['invalid_email_format'] });
    }
    if (
      input.currency != null &&
      (typeof input.currency !== 'string' || !/^[A-Z]{3}$/.test(input.currency))
    ) {
      throw unprocessable({ currency: ['value_is_invalid'] });
    }
    const now = this.now().toISOString();
    let customer = this.customers.get(externalId);
    if (!customer) {
      const lagoId = this.nextId('customer');
      customer = {
        lago_id: lagoId,
        sequential_id: this.customers.size + 1,
        slug: `POL-${String(this.customers.size + 1).padStart(4, '0')}`,
        external_id: externalId,
        applicable_timezone: 'UTC',
        account_type: 'customer',
        created_at: now,
        updated_at: now,
        metadata: [],
        taxes: [],
      };
      this.customers.set(externalId, customer);
    }
    // Upsert semantics: only keys present change; null clears.
    const record = customer as unknown as Record<string, unknown>;
    for (const field of CUSTOMER_FIELDS) {
      if (field in input) record[field] = input[field] ?? null;
    }
    customer.updated_at = now;
    return { customer: structuredClone(customer) };
  }

  listCustomers(query: Record<string, unknown> = {}): CustomersPaginated {
    const page = pageParam(query.page, 1);
    const perPage = pageParam(query.per_page, 100);
    const term = typeof query.search_term === 'string' ? query.search_term.trim().toLowerCase() : '';
    const externalId = typeof query.external_id === 'string' ? query.external_id : undefined;
    const all = [...this.customers.values()]
      .filter((c) => externalId === undefined || c.external_id === externalId)
      .filter(
        (c) =>
          !term ||
          [c.name, c.firstname, c.lastname, c.legal_name, c.external_id, c.email].some((v) =>
            v?.toLowerCase().includes(term),
          ),
      )
      // Newest first, like Lago's customer list.
      .sort((a, b) => b.sequential_id - a.sequential_id);
    const { items, meta } = paginate(all, page, perPage);
    return { customers: items.map((c) => structuredClone(c)), meta };
  }

  findCustomer(externalId: string): Customer {
    const customer = this.customers.get(externalId);
    if (!customer) throw notFound('customer');
    return { customer: structuredClone(customer) };
  }

  // ------------------------------------------------------------------------------------------
  // Billable metrics and plans

  createBillableMetric(body: unknown): BillableMetric {
    const input = root(body, 'billable_metric');
    const errors: Record<string, string[]> = {};
    if (typeof input.name !== 'string' || !input.name) errors.name = ['value_is_mandatory'];
    if (typeof input.code !== 'string' || !input.code) errors.code = ['value_is_mandatory'];
    else if (this.metrics.has(input.code)) errors.code = ['value_already_exist'];
    const aggregation = AGGREGATIONS.find((a) => a === input.aggregation_type);
    if (!aggregation) errors.aggregation_type = ['value_is_invalid'];
    if (
      aggregation &&
      aggregation !== 'count_agg' &&
      (typeof input.field_name !== 'string' || !input.field_name)
    ) {
      errors.field_name = ['value_is_mandatory'];
    }
    if (Object.keys(errors).length > 0 || !aggregation) throw unprocessable(errors);
    const metric: BillableMetricObject = {
      lago_id: this.nextId('metric'),
      name: input.name as string,
      code: input.code as string,
      description: typeof input.description === 'string' ? input.description : null,
      recurring: input.recurring === true,
      created_at: this.now().toISOString(),
      field_name: typeof input.field_name === 'string' ? input.field_name : null,
      aggregation_type: aggregation,
      filters: [],
    };
    this.metrics.set(metric.code, metric);
    return { billable_metric: structuredClone(metric) };
  }

  findBillableMetric(code: string): BillableMetric {
    const metric = this.metrics.get(code);
    if (!metric) throw notFound('billable_metric');
    return { billable_metric: structuredClone(metric) };
  }

  createPlan(body: unknown): Plan {
    const input = root(body, 'plan');
    const errors: Record<string, string[]> = {};
    for (const field of ['name', 'code', 'amount_currency'] as const) {
      if (typeof input[field] !== 'string' || !input[field]) errors[field] = ['value_is_mandatory'];
    }
    if (typeof input.code === 'string' && this.plans.has(input.code)) errors.code = ['value_already_exist'];
    const interval = INTERVALS.find((i) => i === input.interval);
    if (!interval) errors.interval = ['value_is_invalid'];
    if (!Number.isInteger(input.amount_cents)) errors.amount_cents = ['value_is_mandatory'];
    if (typeof input.pay_in_advance !== 'boolean') errors.pay_in_advance = ['value_is_mandatory'];
    if (Object.keys(errors).length > 0 || !interval) throw unprocessable(errors);

    const now = this.now().toISOString();
    const charges: ChargeObject[] = [];
    for (const raw of Array.isArray(input.charges) ? (input.charges as unknown[]) : []) {
      const charge = asObject(raw);
      const metric = [...this.metrics.values()].find((m) => m.lago_id === charge.billable_metric_id);
      if (!metric) throw notFound('billable_metric');
      const model = charge.charge_model;
      if (model !== 'standard' && model !== 'graduated')
        throw unprocessable({ charge_model: ['value_is_invalid'] });
      const properties = asObject(charge.properties);
      if (model === 'standard' && parseDecimal(properties.amount) === null)
        throw unprocessable({ 'properties.amount': ['value_is_invalid'] });
      const ranges = model === 'graduated' ? graduatedRanges(properties.graduated_ranges) : null;
      if (model === 'graduated' && !ranges)
        throw unprocessable({ 'properties.graduated_ranges': ['invalid_graduated_ranges'] });
      charges.push({
        lago_id: this.nextId('charge'),
        lago_billable_metric_id: metric.lago_id,
        billable_metric_code: metric.code,
        created_at: now,
        charge_model: model,
        pay_in_advance: charge.pay_in_advance === true,
        invoiceable: true,
        // Lago sends null for arrears charges; the client's type omits the null.
        regroup_paid_fees: null as unknown as 'invoice',
        prorated: false,
        min_amount_cents: 0,
        properties: ranges ? { graduated_ranges: ranges } : { amount: String(properties.amount) },
        filters: [],
      });
    }
    const plan: PlanObject = {
      lago_id: this.nextId('plan'),
      name: input.name as string,
      code: input.code as string,
      created_at: now,
      interval,
      amount_cents: input.amount_cents as number,
      amount_currency: input.amount_currency as Currency,
      pay_in_advance: input.pay_in_advance as boolean,
      charges,
    };
    this.plans.set(plan.code, plan);
    return { plan: structuredClone(plan) };
  }

  findPlan(code: string): Plan {
    const plan = this.plans.get(code);
    if (!plan) throw notFound('plan');
    return { plan: structuredClone(plan) };
  }

  // ------------------------------------------------------------------------------------------
  // Subscriptions

  createSubscription(body: unknown): SubscriptionExtended {
    const input = root(body, 'subscription');
    const errors: Record<string, string[]> = {};
    for (const field of ['external_customer_id', 'plan_code', 'external_id'] as const) {
      if (typeof input[field] !== 'string' || !input[field]) errors[field] = ['value_is_mandatory'];
    }
    if (Object.keys(errors).length > 0) throw unprocessable(errors);
    const customer = this.customers.get(input.external_customer_id as string);
    if (!customer) throw notFound('customer');
    const plan = this.plans.get(input.plan_code as string);
    if (!plan) throw notFound('plan');
    const externalId = input.external_id as string;

    const existing = this.subscriptions.get(externalId);
    if (existing) {
      if (existing.wire.external_customer_id !== customer.external_id) {
        throw unprocessable({ external_id: ['value_already_exist'] });
      }
      // Same external id and plan: Lago returns the existing subscription (idempotent create);
      // its subscription_at is not changed (Lago only moves the start of a pending subscription).
      if (existing.wire.plan_code !== plan.code) {
        existing.wire.previous_plan_code = existing.wire.plan_code;
        existing.wire.plan_code = plan.code;
      }
      return { subscription: this.presentSubscription(existing.wire) };
    }

    const now = this.now();
    const startAt = typeof input.subscription_at === 'string' ? new Date(input.subscription_at) : now;
    if (Number.isNaN(startAt.getTime())) throw unprocessable({ subscription_at: ['invalid_date'] });
    const active = startAt.getTime() <= now.getTime();
    const period = monthOf(now);
    const wire: SubscriptionObject = {
      lago_id: this.nextId('subscription'),
      external_id: externalId,
      lago_customer_id: customer.lago_id,
      external_customer_id: customer.external_id,
      billing_time: input.billing_time === 'anniversary' ? 'anniversary' : 'calendar',
      name: typeof input.name === 'string' ? input.name : null,
      plan_code: plan.code,
      plan_amount_cents: plan.amount_cents,
      plan_amount_currency: plan.amount_currency,
      status: active ? 'active' : 'pending',
      created_at: now.toISOString(),
      canceled_at: null,
      started_at: active ? startAt.toISOString() : null,
      ending_at: null,
      subscription_at: startAt.toISOString(),
      terminated_at: null,
      previous_plan_code: null,
      next_plan_code: null,
      downgrade_plan_date: null,
      trial_ended_at: null,
      current_billing_period_started_at: active ? period.from.toISOString() : null,
      current_billing_period_ending_at: active ? period.to.toISOString() : null,
      on_termination_credit_note: 'skip',
      on_termination_invoice: 'generate',
    };
    this.subscriptions.set(externalId, { wire });
    // A customer without a currency takes it from the first subscription's plan.
    // (The client's CurrencyOrNull list is a few codes shorter than Currency, hence the cast.)
    customer.currency ??= plan.amount_currency as CustomerObjectExtended['currency'];
    return { subscription: structuredClone(wire) };
  }

  findSubscription(externalId: string): SubscriptionExtended {
    const subscription = this.subscriptions.get(externalId);
    if (!subscription) throw notFound('subscription');
    return { subscription: this.presentSubscription(subscription.wire) };
  }

  /** As Lago answers it: the current billing period is the one open now, not the one at creation. */
  private presentSubscription(wire: SubscriptionObject): SubscriptionObject {
    const copy = structuredClone(wire);
    if (copy.status === 'active') {
      const period = monthOf(this.now());
      copy.current_billing_period_started_at = period.from.toISOString();
      copy.current_billing_period_ending_at = period.to.toISOString();
    }
    return copy;
  }

  // ------------------------------------------------------------------------------------------
  // Events

  createEvent(body: unknown): EventCreated {
    const input = root(body, 'event');
    const checked = this.validateEvent(input, new Set());
    if ('errors' in checked) throw unprocessable(checked.errors);
    return { event: this.storeEvent(checked.event) };
  }

  /** All-or-nothing: one invalid or duplicate event rejects the whole batch, keyed by array index. */
  createBatchEvents(body: unknown): EventsCreated {
    if (typeof body !== 'object' || body === null || !('events' in body)) {
      throw badRequest('param is missing or the value is empty: events');
    }
    const list = (body as { events: unknown }).events;
    if (!Array.isArray(list)) throw badRequest('param is missing or the value is empty: events');
    if (list.length === 0) throw unprocessable({ events: ['no_events'] });
    if (list.length > MAX_BATCH_SIZE) throw unprocessable({ events: ['too_many_events'] });

    const errors: Record<string, Record<string, string[]>> = {};
    const accepted: StoredEvent[] = [];
    const seen = new Set<string>();
    list.forEach((raw, index) => {
      const checked = this.validateEvent(asObject(raw), seen);
      if ('errors' in checked) errors[String(index)] = checked.errors;
      else accepted.push(checked.event);
    });
    if (Object.keys(errors).length > 0) throw unprocessable(errors);
    return { events: accepted.map((event) => this.storeEvent(event)) };
  }

  private validateEvent(
    input: Record<string, unknown>,
    seenInBatch: Set<string>,
  ): { event: StoredEvent } | { errors: Record<string, string[]> } {
    const errors: Record<string, string[]> = {};
    const text = (value: unknown) =>
      typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
    const transactionId = text(input.transaction_id);
    const subscriptionId = text(input.external_subscription_id);
    const code = text(input.code);
    if (!transactionId) errors.transaction_id = ['value_is_mandatory'];
    if (!subscriptionId) errors.external_subscription_id = ['value_is_mandatory'];
    if (!code) errors.code = ['value_is_mandatory'];

    // Unix seconds, as a number or a numeric string (decimals allowed). ISO strings are refused.
    let timestamp = this.now();
    const ts = input.timestamp;
    if (ts !== undefined && ts !== null && ts !== '') {
      const seconds =
        typeof ts === 'number'
          ? ts
          : typeof ts === 'string' && /^\d+(\.\d+)?$/.test(ts.trim())
            ? Number(ts)
            : Number.NaN;
      if (!Number.isFinite(seconds)) errors.timestamp = ['invalid_format'];
      else timestamp = new Date(Math.round(seconds * 1000));
    }

    let properties: Record<string, unknown> = {};
    if (input.properties !== undefined && input.properties !== null) {
      if (typeof input.properties !== 'object' || Array.isArray(input.properties)) {
        errors.properties = ['value_is_invalid'];
      } else {
        properties = { ...(input.properties as Record<string, unknown>) };
      }
    }

    if (transactionId && subscriptionId) {
      const key = eventKey(subscriptionId, transactionId);
      if (this.eventsByKey.has(key) || seenInBatch.has(key)) {
        (errors.transaction_id ??= []).push('value_already_exist');
      }
      seenInBatch.add(key);
    }
    if (Object.keys(errors).length > 0) return { errors };
    return {
      event: {
        lagoId: '',
        transactionId,
        externalSubscriptionId: subscriptionId,
        code,
        timestamp,
        properties,
        receivedAt: this.now(),
      },
    };
  }

  private storeEvent(event: StoredEvent): EventObject & { lago_customer_id: null } {
    const stored: StoredEvent = { ...event, lagoId: this.nextId('event') };
    this.eventsByKey.set(eventKey(stored.externalSubscriptionId, stored.transactionId), stored);
    this.events.push(stored);
    return {
      lago_id: stored.lagoId,
      transaction_id: stored.transactionId,
      // Lago processes events asynchronously: both are null in the create response.
      lago_customer_id: null,
      lago_subscription_id: null,
      external_subscription_id: stored.externalSubscriptionId,
      code: stored.code,
      timestamp: stored.timestamp.toISOString(),
      properties: structuredClone(stored.properties),
      precise_total_amount_cents: null,
      created_at: stored.receivedAt.toISOString(),
    };
  }

  // ------------------------------------------------------------------------------------------
  // Usage

  /** The open billing period (calendar month, UTC) of a subscription. */
  currentUsage(externalCustomerId: string, externalSubscriptionId: string | undefined): CustomerUsage {
    const customer = this.customers.get(externalCustomerId);
    if (!customer) throw notFound('customer');
    if (!externalSubscriptionId)
      throw badRequest('param is missing or the value is empty: external_subscription_id');
    const subscription = this.subscriptions.get(externalSubscriptionId)?.wire;
    if (
      !subscription ||
      subscription.external_customer_id !== externalCustomerId ||
      subscription.status !== 'active'
    ) {
      throw notFound('subscription');
    }
    const plan = this.plans.get(subscription.plan_code);
    if (!plan) throw notFound('plan');

    const now = this.now();
    const month = monthOf(now);
    const startedAt = subscription.started_at ? new Date(subscription.started_at) : month.from;
    const from = startedAt > month.from ? startedAt : month.from;
    const to = month.to;

    const chargesUsage: CustomerChargeUsageObject[] = [];
    let totalCents = 0;
    for (const charge of plan.charges ?? []) {
      const metric = this.metrics.get(charge.billable_metric_code);
      if (!metric) continue;
      const events = this.events.filter(
        (e) =>
          e.externalSubscriptionId === externalSubscriptionId &&
          e.code === metric.code &&
          e.timestamp >= from &&
          e.timestamp <= to,
      );
      let units = 0n;
      if (metric.aggregation_type === 'count_agg') {
        units = BigInt(events.length) * 10n ** 6n;
      } else {
        for (const e of events) units += parseDecimal(e.properties[metric.field_name ?? '']) ?? 0n;
      }
      const tariff = charge.charge_model === 'graduated' ? tariffFromPlan(plan, metric.code) : null;
      const cents = tariff
        ? Number(costOf(tariff, units).minor)
        : amountCents(units, parseDecimal(charge.properties.amount) ?? 0n);
      totalCents += cents;
      chargesUsage.push({
        units: formatDecimal(units),
        total_aggregated_units: formatDecimal(units),
        events_count: events.length,
        amount_cents: cents,
        amount_currency: plan.amount_currency,
        charge: {
          lago_id: charge.lago_id,
          charge_model: charge.charge_model as 'standard' | 'graduated',
          invoice_display_name: null,
        },
        billable_metric: {
          lago_id: metric.lago_id,
          name: metric.name,
          code: metric.code,
          aggregation_type: metric.aggregation_type,
        },
      });
    }
    const nextDay = new Date(to.getTime() + 1);
    return {
      customer_usage: {
        from_datetime: from.toISOString(),
        to_datetime: to.toISOString(),
        issuing_date: nextDay.toISOString().slice(0, 10),
        lago_invoice_id: null,
        currency: plan.amount_currency,
        amount_cents: totalCents,
        taxes_amount_cents: 0,
        total_amount_cents: totalCents,
        charges_usage: chargesUsage,
      },
    };
  }

  // ------------------------------------------------------------------------------------------
  // Inspection (tests, demos)

  /** Every event Lago accepted, in acceptance order. */
  acceptedEvents(): readonly StoredEvent[] {
    return this.events;
  }

  /** How many stored events carry this transaction_id (optionally for one subscription). */
  eventCount(transactionId: string, externalSubscriptionId?: string): number {
    return this.events.filter(
      (e) =>
        e.transactionId === transactionId &&
        (externalSubscriptionId === undefined || e.externalSubscriptionId === externalSubscriptionId),
    ).length;
  }

  customerCount(): number {
    return this.customers.size;
  }

  // ------------------------------------------------------------------------------------------
  // Persistence (the embedded sandbox keeps its organization across restarts: lib/stand-ins.ts)

  /** Everything the organization holds, as structured-clonable data (Maps and Dates included). */
  snapshot(): LagoStoreSnapshot {
    return structuredClone({
      version: 1 as const,
      sequence: this.sequence,
      customers: this.customers,
      metrics: this.metrics,
      plans: this.plans,
      subscriptions: this.subscriptions,
      events: this.events,
    });
  }

  /** Replaces this store's contents with a snapshot (ids continue after the snapshot's). */
  restore(snapshot: LagoStoreSnapshot): void {
    const s = structuredClone(snapshot);
    this.sequence = s.sequence;
    replaceMap(this.customers, s.customers);
    replaceMap(this.metrics, s.metrics);
    replaceMap(this.plans, s.plans);
    replaceMap(this.subscriptions, s.subscriptions);
    this.events.length = 0;
    this.eventsByKey.clear();
    for (const event of s.events) {
      this.events.push(event);
      this.eventsByKey.set(eventKey(event.externalSubscriptionId, event.transactionId), event);
    }
  }
}

/** A saved LagoStore (see `LagoStore.snapshot`). */
export interface LagoStoreSnapshot {
  version: 1;
  sequence: number;
  customers: Map<string, CustomerObjectExtended>;
  metrics: Map<string, BillableMetricObject>;
  plans: Map<string, PlanObject>;
  subscriptions: Map<string, StoredSubscription>;
  events: StoredEvent[];
}

// ---------------------------------------------------------------------------------------------

function replaceMap<K, V>(target: Map<K, V>, source: Map<K, V>): void {
  target.clear();
  for (const [key, value] of source) target.set(key, value);
}

function eventKey(subscriptionId: string, transactionId: string): string {
  return `${subscriptionId}\u0000${transactionId}`;
}
