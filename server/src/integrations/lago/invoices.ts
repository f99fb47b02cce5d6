/**
 * Finding the invoice that billed a moment (a session's stop time) for a customer's Polaris
 * subscription. Lago invoices a billing period once, after it ends, with one fee per charge, so a
 * session never has a line of its own: what Polaris shows is the kWh fee of its period's invoice.
 *
 * GET /invoices cannot filter by period and its list entries carry no fees or billing periods, so:
 * list the customer's subscription invoices issued on or after the moment (the invoice of a period
 * is issued when the period ends), then read the earliest few in full (GET /invoices/{lago_id}) and
 * take the one whose charges period covers the moment for this subscription.
 */
import type { FeeObject, InvoiceObjectExtended } from 'lago-javascript-client';
import { LagoError } from './errors.ts';
import { subscriptionIdFor, type PeriodInvoice } from './port.ts';
import type { LagoWire, WireCall } from './wire.ts';

/** How many listed invoices are read in full at most (normally the first one matches). */
export const MAX_INVOICES_READ = 3;
const SKIPPED_STATUSES = new Set(['voided', 'failed', 'deleted']);

export async function findInvoiceForPeriod(
  wire: LagoWire,
  metricCode: string,
  customerExternalId: string,
  at: Date,
  call: WireCall,
): Promise<PeriodInvoice | null> {
  if (Number.isNaN(at.getTime())) throw new TypeError('getInvoiceForPeriod: invalid date');
  // Events carry whole seconds; Lago's periods end at hh:59:59.
  const moment = Math.floor(at.getTime() / 1000) * 1000;
  const subscriptionId = subscriptionIdFor(customerExternalId);
  let listed;
  try {
    listed = await wire.findAllInvoices(
      {
        external_customer_id: customerExternalId,
        issuing_date_from: new Date(moment).toISOString().slice(0, 10),
        invoice_type: 'subscription',
        per_page: 20,
      },
      call,
    );
  } catch (error) {
    if (error instanceof LagoError && error.status === 404) return null;
    throw error;
  }
  const candidates = listed.invoices
    .filter((i) => !SKIPPED_STATUSES.has(i.status))
    .sort((a, b) => a.issuing_date.localeCompare(b.issuing_date))
    .slice(0, MAX_INVOICES_READ);
  for (const candidate of candidates) {
    const { invoice } = await wire.findInvoice(candidate.lago_id, call);
    const period = periodCovering(invoice, subscriptionId, metricCode, moment);
    if (period) return toPeriodInvoice(invoice, period, kwhFeeOf(invoice, subscriptionId, metricCode));
  }
  return null;
}

function kwhFeeOf(
  invoice: InvoiceObjectExtended,
  subscriptionId: string,
  metricCode: string,
): FeeObject | undefined {
  return invoice.fees?.find(
    (f) =>
      f.item.type === 'charge' &&
      f.item.code === metricCode &&
      (f.external_subscription_id == null || f.external_subscription_id === subscriptionId),
  );
}

/** The charges period of this invoice that contains the moment, from billing_periods or the kWh fee. */
function periodCovering(
  invoice: InvoiceObjectExtended,
  subscriptionId: string,
  metricCode: string,
  moment: number,
): { from: Date; to: Date } | null {
  const within = (from: string | null | undefined, to: string | null | undefined) => {
    if (!from || !to) return null;
    const f = new Date(from);
    const t = new Date(to);
    return f.getTime() <= moment && moment <= t.getTime() ? { from: f, to: t } : null;
  };
  for (const period of invoice.billing_periods ?? []) {
    if (period.external_subscription_id !== subscriptionId) continue;
    const hit = within(period.charges_from_datetime, period.charges_to_datetime);
    if (hit) return hit;
  }
  const fee = kwhFeeOf(invoice, subscriptionId, metricCode);
  return fee ? within(fee.from_date, fee.to_date) : null;
}

function toPeriodInvoice(
  invoice: InvoiceObjectExtended,
  period: { from: Date; to: Date },
  fee: FeeObject | undefined,
): PeriodInvoice {
  return {
    lagoId: invoice.lago_id,
    number: invoice.number,
    issuingDate: invoice.issuing_date,
    status: invoice.status,
    paymentStatus: invoice.payment_status,
    currency: invoice.currency,
    periodFrom: period.from,
    periodTo: period.to,
    totalAmountCents: invoice.total_amount_cents,
    kwhFee: fee
      ? {
          units: fee.units,
          amountCents: fee.amount_cents,
          currency: fee.amount_currency,
          eventsCount: fee.events_count ?? null,
        }
      : null,
  };
}
