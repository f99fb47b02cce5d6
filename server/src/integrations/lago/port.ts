/**
 * The Lago port: everything Polaris needs from Lago, in Polaris' own terms.
 *
 * Two implementations: `RealLagoAdapter` (real-adapter.ts, the official client against a real Lago)
 * and `LagoSandbox` (sandbox.ts, an in-process Lago used when LAGO_URL is not set). Both throw
 * `LagoError` (errors.ts) for failures of the call as a whole; per-event problems are results.
 */
import type { Tariff } from './tariff.ts';

/** Billable metric code Polaris sends kWh under unless configured otherwise (LAGO_BILLABLE_METRIC_CODE). */
export const DEFAULT_METRIC_CODE = 'kwh';
/** Plan every Polaris customer is subscribed to unless configured otherwise (LAGO_PLAN_CODE). */
export const DEFAULT_PLAN_CODE = 'ev_charging';
/** Lago's limit for POST /events/batch (server env LAGO_EVENTS_BATCH_MAX_LENGTH, default 100). */
export const MAX_BATCH_SIZE = 100;

/**
 * The convention tying a customer to its one Polaris subscription in Lago:
 * `external_subscription_id = "polaris-sub-" + customer external id`.
 * Events are billed against this id, so it must never change for a customer.
 */
export function subscriptionIdFor(customerExternalId: string): string {
  if (!customerExternalId) throw new TypeError('customerExternalId must not be empty');
  return `polaris-sub-${customerExternalId}`;
}

/**
 * The event transaction_id for a finished charging session: one per SteVe transaction, so that every
 * retry of the same session is recognised by Lago as the same event (idempotency key).
 * `revision` is only for a deliberately billed correction (a second, separate event).
 */
export function sessionTransactionId(
  steveTransactionPk: number | bigint | string,
  revision?: number,
): string {
  const pk = String(steveTransactionPk);
  if (!/^\d+$/.test(pk))
    throw new TypeError(`steveTransactionPk must be a non-negative integer, got "${pk}"`);
  return revision === undefined || revision === 0
    ? `polaris-session-${pk}`
    : `polaris-session-${pk}-r${revision}`;
}

// ---------------------------------------------------------------------------------------------
// Customers

export interface LagoCustomer {
  /** Lago's own UUID. */
  lagoId: string;
  /** Polaris' id for the customer (unique per Lago organization). */
  externalId: string;
  name: string | null;
  firstname: string | null;
  lastname: string | null;
  email: string | null;
  phone: string | null;
  /** ISO 4217; null until set or taken from the first subscription's plan. */
  currency: string | null;
  /** ISO 3166 alpha-2. */
  country: string | null;
  createdAt: Date;
}

/**
 * Create-or-update by externalId. Like Lago itself, only the keys present are changed: an absent
 * (undefined) key is left as it is, `null` clears it.
 */
export interface CustomerInput {
  externalId: string;
  name?: string | null;
  firstname?: string | null;
  lastname?: string | null;
  email?: string | null;
  phone?: string | null;
  /** ISO 4217, e.g. "EUR". Must match the plan's currency once a subscription exists. */
  currency?: string | null;
  /** ISO 3166 alpha-2, e.g. "DE". */
  country?: string | null;
}

export interface ListCustomersQuery {
  /** 1-based; default 1. */
  page?: number;
  /** Default 20 here (Lago's own default is 100). */
  perPage?: number;
  /** Lago matches it against name, firstname, lastname, legal name, external id and email. */
  searchTerm?: string;
}

/** Lago's pagination meta. With no records at all, currentPage and totalPages are 0. */
export interface PageMeta {
  currentPage: number;
  nextPage: number | null;
  prevPage: number | null;
  totalPages: number;
  totalCount: number;
}

export interface Page<T> {
  items: T[];
  meta: PageMeta;
}

export interface LagoSubscription {
  lagoId: string;
  /** = subscriptionIdFor(customer external id) for subscriptions Polaris creates. */
  externalId: string;
  externalCustomerId: string;
  planCode: string;
  status: 'active' | 'pending' | 'incomplete' | 'canceled' | 'terminated';
  startedAt: Date | null;
  /** Start of the open billing period (Lago's `current_billing_period_started_at`), null when none. */
  currentPeriodStartedAt: Date | null;
}

/**
 * The earliest moment an event of this subscription is still billed: Lago bills only events inside
 * the subscription's life and invoices each billing period once, so an event timestamped before the
 * subscription started, or inside a billing period already closed, is stored but never billed.
 * The later of `startedAt` and `currentPeriodStartedAt`, rounded up to a whole second (events carry
 * whole Unix seconds); `fallback` when Lago gave neither.
 */
export function billableFrom(subscription: LagoSubscription, fallback: Date): Date {
  const times = [subscription.startedAt, subscription.currentPeriodStartedAt]
    .filter((d): d is Date => d !== null && !Number.isNaN(d.getTime()))
    .map((d) => d.getTime());
  const at = times.length > 0 ? Math.max(...times) : fallback.getTime();
  return new Date(Math.ceil(at / 1000) * 1000);
}

// ---------------------------------------------------------------------------------------------
// Usage events

export interface UsageEvent {
  /** Deterministic per session, chosen by the caller (see sessionTransactionId). Idempotency key. */
  transactionId: string;
  /** The customer's subscription (see subscriptionIdFor). */
  externalSubscriptionId: string;
  /** Billable metric code; defaults to the adapter's configured code (`kwh`). */
  code?: string;
  /**
   * When the usage happened (the session's stop time). Sent as Unix seconds. Keep it identical on
   * every retry: Lago's ClickHouse store keys idempotency on (transaction_id, timestamp).
   */
  timestamp: Date;
  properties: {
    /** Energy in kWh: a number or a decimal string ("12.345"); sent as a decimal string. */
    kwh: number | string;
  };
}

export type EventOutcome =
  /** Lago accepted and stored the event now. */
  | { status: 'delivered' }
  /** Lago already had an event with this transaction_id for this subscription: counts as delivered. */
  | { status: 'duplicate' }
  /** Lago (or local validation) rejected the event; retrying the same event cannot succeed. */
  | { status: 'invalid'; reason: string; details: Record<string, string[]> };

export type EventResult = EventOutcome & { transactionId: string; externalSubscriptionId: string };

export interface BatchResult {
  /** One result per input event, in input order. */
  results: EventResult[];
  delivered: number;
  duplicates: number;
  invalid: number;
  /** HTTP requests made (a batch rejected for duplicates/invalid events is resent without them). */
  requests: number;
}

// ---------------------------------------------------------------------------------------------
// Usage read-back

export interface CurrentUsage {
  customerExternalId: string;
  externalSubscriptionId: string;
  /** The open billing period. */
  fromDatetime: Date;
  toDatetime: Date;
  currency: string | null;
  /** Units of the configured metric (kWh) in the period, as Lago's decimal string and as a number. */
  kwhUnits: string;
  kwh: number;
  /** Number of events counted for the metric. */
  eventsCount: number;
  /** The kWh charge alone, in cents. */
  kwhAmountCents: number;
  /** All charges of the period, before and after taxes, in cents. */
  amountCents: number;
  totalAmountCents: number;
}

// ---------------------------------------------------------------------------------------------
// Invoices

/** The kWh fee of an invoice: Lago bills one fee per charge per billing period, not per session. */
export interface InvoiceKwhFee {
  /** kWh on the fee line, Lago's decimal string. */
  units: string;
  /** The fee before taxes, integer minor units of `currency`. */
  amountCents: number;
  currency: string;
  eventsCount: number | null;
}

/** The invoice of the billing period containing a moment (see `getInvoiceForPeriod`). */
export interface PeriodInvoice {
  lagoId: string;
  number: string;
  /** YYYY-MM-DD. */
  issuingDate: string;
  status: 'draft' | 'finalized' | 'voided' | 'failed' | 'pending' | 'deleted';
  paymentStatus: 'pending' | 'succeeded' | 'failed';
  currency: string;
  /** The billing period whose charges it bills (Lago's charges_from/to_datetime). */
  periodFrom: Date;
  periodTo: Date;
  /** The whole invoice after taxes, minor units. */
  totalAmountCents: number;
  /** null when the invoice has no fee on the configured kWh metric. */
  kwhFee: InvoiceKwhFee | null;
}

export interface SetupReport {
  ok: boolean;
  /** Human-readable list of what is missing or wrong (empty when ok). */
  problems: string[];
  metric: { code: string; aggregationType: string; fieldName: string | null } | null;
  plan: { code: string; interval: string; currency: string; chargesMetric: boolean } | null;
}

/** Per-call options. */
export interface CallOptions {
  /** Abort the call (in addition to the adapter's own timeout). */
  signal?: AbortSignal;
}

export interface EnsureSubscriptionOptions {
  /**
   * `subscription_at` for a subscription created now: its start. Lago bills only events inside a
   * subscription's life, so Polaris passes the earliest usage still queued for the customer's card
   * (sessions that ended before the card had a customer). Ignored when the subscription exists
   * (Lago cannot move an active subscription's start); see `billableFrom` for that case.
   */
  startAt?: Date;
}

export interface LagoPort {
  /** Which implementation this is (for health output and logs). */
  readonly kind: 'real' | 'sandbox';
  /** The billable metric code events default to. */
  readonly metricCode: string;
  /** The plan ensureSubscription subscribes customers to. */
  readonly planCode: string;

  listCustomers(query?: ListCustomersQuery, options?: CallOptions): Promise<Page<LagoCustomer>>;
  /** null when Lago answers 404 customer_not_found. */
  getCustomer(externalId: string, options?: CallOptions): Promise<LagoCustomer | null>;
  upsertCustomer(input: CustomerInput, options?: CallOptions): Promise<LagoCustomer>;
  /**
   * Makes sure the customer has the Polaris subscription (external id = subscriptionIdFor(externalId))
   * on the configured plan. Idempotent. The customer must exist (else LagoError code `not_found`).
   */
  ensureSubscription(
    customerExternalId: string,
    options?: CallOptions & EnsureSubscriptionOptions,
  ): Promise<LagoSubscription>;

  /** One event. Throws LagoError only for failures of the call (network, auth, 5xx, 429 …). */
  sendEvent(event: UsageEvent, options?: CallOptions): Promise<EventResult>;
  /**
   * Up to MAX_BATCH_SIZE events (more → LagoError `batch_too_large`, nothing sent). Lago validates a
   * batch all-or-nothing; duplicates and invalid events are taken out and the rest is resent, so
   * every event ends delivered, duplicate or invalid — unless the call fails as a whole (throws).
   */
  sendEvents(events: readonly UsageEvent[], options?: CallOptions): Promise<BatchResult>;

  /** The open billing period's usage; null when the customer or subscription is unknown (404). */
  getCurrentUsage(
    customerExternalId: string,
    externalSubscriptionId?: string,
    options?: CallOptions,
  ): Promise<CurrentUsage | null>;

  /**
   * The price per kWh of the customer's Polaris subscription's plan (the configured plan when the
   * customer is null or has no subscription yet); null when the plan has no kWh charge Polaris can
   * read. Throws LagoError when Lago cannot be asked.
   */
  getTariff(customerExternalId: string | null, options?: CallOptions): Promise<Tariff | null>;

  /**
   * The subscription invoice billing the period that contains `at` for the customer's Polaris
   * subscription; null when Lago has not invoiced that period (yet) or the customer is unknown.
   * Two to four calls: list the customer's invoices issued since `at`, then read the earliest few.
   */
  getInvoiceForPeriod(
    customerExternalId: string,
    at: Date,
    options?: CallOptions,
  ): Promise<PeriodInvoice | null>;

  /** Checks that the billable metric and the plan Polaris relies on exist and fit. */
  checkSetup(options?: CallOptions): Promise<SetupReport>;
}
