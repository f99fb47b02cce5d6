/**
 * Invoices of the embedded Lago (sandbox and fake server), as Lago issues them with calendar
 * billing: once a monthly billing period (UTC) of an active subscription has ended, it has a
 * subscription invoice issued the next day, with one fee per charge of the plan on the period's
 * events (graduated or standard, exact minor units). Invoices are derived from the store's events
 * and the clock, so they need no saving and survive restarts; numbers and ids are deterministic.
 *
 * Simplifications: no grace period (invoices are `finalized` at once), no taxes, coupons or
 * subscription fee; a late event timestamped in an ended period is counted there (Lago would not
 * bill it). `setPaymentStatus` changes an invoice's payment status for demos (kept in memory).
 */
import { createHash } from 'node:crypto';
import type {
  FeeObject,
  Invoice,
  InvoiceObject,
  InvoiceObjectExtended,
  InvoicesPaginated,
  PlanObject,
  SubscriptionObject,
} from 'lago-javascript-client';
import { formatDecimal, parseDecimal } from '../decimal.ts';
import { costOf, tariffFromPlan } from '../tariff.ts';
import { LagoApiFailure } from './failures.ts';
import { monthOf, paginate } from './request-body.ts';
import type { LagoStore } from './store.ts';

type PaymentStatus = InvoiceObject['payment_status'];

/** Ended periods looked back at most (a subscription older than this shows its last 24 invoices). */
const MAX_PERIODS = 24;

export class SandboxInvoices {
  readonly #paymentStatus = new Map<string, PaymentStatus>();

  constructor(
    private readonly store: LagoStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** GET /invoices (external_customer_id, issuing_date_from/to, invoice_type, page, per_page). */
  list(query: Record<string, unknown>): InvoicesPaginated {
    const customerId = typeof query.external_customer_id === 'string' ? query.external_customer_id : null;
    const from = typeof query.issuing_date_from === 'string' ? query.issuing_date_from : '';
    const to = typeof query.issuing_date_to === 'string' ? query.issuing_date_to : '9999-12-31';
    const type = typeof query.invoice_type === 'string' ? query.invoice_type : 'subscription';
    const all = (type === 'subscription' ? this.all(customerId) : [])
      .filter((i) => i.issuing_date >= from && i.issuing_date <= to)
      // Lago lists the newest first.
      .sort((a, b) => b.issuing_date.localeCompare(a.issuing_date));
    const page = positive(query.page, 1);
    const perPage = positive(query.per_page, 100);
    const { items, meta } = paginate(all, page, perPage);
    return { invoices: items.map(summary), meta };
  }

  /** GET /invoices/{lago_id} */
  find(lagoId: string): Invoice {
    const invoice = this.all(null).find((i) => i.lago_id === lagoId);
    if (!invoice) {
      throw new LagoApiFailure(404, { status: 404, error: 'Not Found', code: 'invoice_not_found' });
    }
    return { invoice };
  }

  /** For demos: mark an invoice paid (`succeeded`), failed or pending again. */
  setPaymentStatus(lagoIdOrNumber: string, status: PaymentStatus): void {
    const invoice = this.all(null).find((i) => i.lago_id === lagoIdOrNumber || i.number === lagoIdOrNumber);
    if (!invoice) throw new Error(`no sandbox invoice ${lagoIdOrNumber}`);
    this.#paymentStatus.set(invoice.lago_id, status);
  }

  private all(customerExternalId: string | null): InvoiceObjectExtended[] {
    const out: InvoiceObjectExtended[] = [];
    const customers = customerExternalId
      ? [customerExternalId]
      : this.store.listCustomers({ per_page: 10_000 }).customers.map((c) => c.external_id);
    for (const id of customers) out.push(...this.ofCustomer(id));
    return out;
  }

  private ofCustomer(customerExternalId: string): InvoiceObjectExtended[] {
    let subscription: SubscriptionObject;
    let plan: PlanObject;
    try {
      subscription = this.store.findSubscription(`polaris-sub-${customerExternalId}`).subscription;
      if (subscription.external_customer_id !== customerExternalId || !subscription.started_at) return [];
      plan = this.store.findPlan(subscription.plan_code).plan;
    } catch (error) {
      if (error instanceof LagoApiFailure) return [];
      throw error;
    }
    const now = this.now();
    const started = new Date(subscription.started_at);
    const invoices: InvoiceObjectExtended[] = [];
    let month = monthOf(now);
    for (let i = 0; i < MAX_PERIODS; i++) {
      month = monthOf(new Date(month.from.getTime() - 1));
      if (month.to < started) break;
      const from = started > month.from ? started : month.from;
      invoices.push(this.invoiceFor(customerExternalId, subscription, plan, from, month.to));
    }
    return invoices;
  }

  private invoiceFor(
    customerExternalId: string,
    subscription: SubscriptionObject,
    plan: PlanObject,
    from: Date,
    to: Date,
  ): InvoiceObjectExtended {
    const yyyymm = to.toISOString().slice(0, 7).replace('-', '');
    const lagoId = uuidFrom(`${subscription.lago_id}:${yyyymm}`);
    const issuingDate = new Date(to.getTime() + 1).toISOString().slice(0, 10);
    const fees: FeeObject[] = [];
    for (const charge of plan.charges ?? []) {
      const metricCode = charge.billable_metric_code;
      const tariff = tariffFromPlan(plan, metricCode);
      if (!tariff) continue;
      const metric = this.store.findBillableMetric(metricCode).billable_metric;
      const events = this.store
        .acceptedEvents()
        .filter(
          (e) =>
            e.externalSubscriptionId === subscription.external_id &&
            e.code === metricCode &&
            e.timestamp >= from &&
            e.timestamp <= to,
        );
      let units = 0n;
      for (const e of events) units += parseDecimal(e.properties[metric.field_name ?? '']) ?? 0n;
      const cents = Number(costOf(tariff, units).minor);
      fees.push({
        lago_id: uuidFrom(`${lagoId}:${charge.lago_id}`),
        lago_charge_id: charge.lago_id,
        lago_invoice_id: lagoId,
        lago_subscription_id: subscription.lago_id,
        external_customer_id: customerExternalId,
        external_subscription_id: subscription.external_id,
        amount_cents: cents,
        amount_currency: plan.amount_currency,
        taxes_amount_cents: 0,
        taxes_rate: 0,
        units: formatDecimal(units),
        precise_unit_amount: tariff.tiers.length === 1 ? formatDecimal(tariff.tiers[0]!.unitPrice) : '0',
        total_aggregated_units: formatDecimal(units),
        total_amount_cents: cents,
        total_amount_currency: plan.amount_currency,
        events_count: events.length,
        pay_in_advance: false,
        invoiceable: true,
        from_date: from.toISOString(),
        to_date: to.toISOString(),
        payment_status: 'pending',
        sub_total_excluding_taxes_amount_cents: cents,
        sub_total_excluding_taxes_precise_amount_cents: String(cents),
        item: { type: 'charge', code: metric.code, name: metric.name, lago_item_id: metric.lago_id },
      } as FeeObject);
    }
    const total = fees.reduce((sum, f) => sum + f.amount_cents, 0);
    const paymentStatus = this.#paymentStatus.get(lagoId) ?? 'pending';
    const customerTag = createHash('sha256')
      .update(customerExternalId)
      .digest('hex')
      .slice(0, 4)
      .toUpperCase();
    return {
      lago_id: lagoId,
      billing_entity_code: null,
      number: `POL-${customerTag}-${yyyymm}`,
      issuing_date: issuingDate,
      invoice_type: 'subscription',
      status: 'finalized',
      payment_status: paymentStatus,
      currency: plan.amount_currency,
      fees_amount_cents: total,
      coupons_amount_cents: 0,
      credit_notes_amount_cents: 0,
      sub_total_excluding_taxes_amount_cents: total,
      taxes_amount_cents: 0,
      sub_total_including_taxes_amount_cents: total,
      prepaid_credit_amount_cents: 0,
      progressive_billing_credit_amount_cents: 0,
      total_amount_cents: total,
      total_due_amount_cents: paymentStatus === 'succeeded' ? 0 : total,
      version_number: 4,
      created_at: new Date(to.getTime() + 1).toISOString(),
      updated_at: new Date(to.getTime() + 1).toISOString(),
      billing_periods: [
        {
          lago_subscription_id: subscription.lago_id,
          external_subscription_id: subscription.external_id,
          lago_plan_id: plan.lago_id,
          subscription_from_datetime: from.toISOString(),
          subscription_to_datetime: to.toISOString(),
          charges_from_datetime: from.toISOString(),
          charges_to_datetime: to.toISOString(),
          invoicing_reason: 'subscription_periodic',
        },
      ],
      fees,
    };
  }
}

/** The list shape: Lago's list entries carry no fees or billing periods. */
function summary(invoice: InvoiceObjectExtended): InvoiceObject {
  const { fees: _fees, billing_periods: _periods, ...rest } = invoice;
  return rest;
}

function positive(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

/** A stable UUID-shaped id from a key (Lago's ids are UUIDs). */
function uuidFrom(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
