/**
 * Lago's HTTP API at the wire level, typed with the official client's own types. The real adapter
 * implements it with `lago-javascript-client`, the sandbox with the in-memory `LagoStore`; the
 * port logic on top (core.ts) is shared, so both behave the same way.
 *
 * Every method resolves with the 2xx body or rejects with a `LagoError`.
 */
import type {
  BillableMetric,
  Customer,
  CustomerCreateInput,
  CustomersPaginated,
  CustomerUsage,
  EventBatchInput,
  EventCreated,
  EventInput,
  EventsCreated,
  Invoice,
  InvoicesPaginated,
  Plan,
  SubscriptionCreateInput,
  SubscriptionExtended,
} from 'lago-javascript-client';

export interface WireCall {
  signal?: AbortSignal;
}

export interface ListCustomersWireQuery {
  page?: number;
  per_page?: number;
  search_term?: string;
}

/** The query parameters of GET /invoices Polaris uses (all in Lago's spec). */
export interface ListInvoicesWireQuery {
  page?: number;
  per_page?: number;
  external_customer_id?: string;
  /** YYYY-MM-DD */
  issuing_date_from?: string;
  issuing_date_to?: string;
  invoice_type?: 'subscription';
}

export interface LagoWire {
  createCustomer(body: CustomerCreateInput, call: WireCall): Promise<Customer>;
  findAllCustomers(query: ListCustomersWireQuery, call: WireCall): Promise<CustomersPaginated>;
  findCustomer(externalId: string, call: WireCall): Promise<Customer>;
  findCustomerCurrentUsage(
    externalCustomerId: string,
    query: { external_subscription_id: string },
    call: WireCall,
  ): Promise<CustomerUsage>;
  createSubscription(body: SubscriptionCreateInput, call: WireCall): Promise<SubscriptionExtended>;
  findSubscription(externalId: string, call: WireCall): Promise<SubscriptionExtended>;
  createEvent(body: EventInput, call: WireCall): Promise<EventCreated>;
  createBatchEvents(body: EventBatchInput, call: WireCall): Promise<EventsCreated>;
  findBillableMetric(code: string, call: WireCall): Promise<BillableMetric>;
  findPlan(code: string, call: WireCall): Promise<Plan>;
  findAllInvoices(query: ListInvoicesWireQuery, call: WireCall): Promise<InvoicesPaginated>;
  findInvoice(lagoId: string, call: WireCall): Promise<Invoice>;
}
