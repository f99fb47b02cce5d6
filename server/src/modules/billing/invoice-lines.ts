/**
 * The Lago invoice of a session's billing period, cached briefly: only the session detail page
 * asks (lists never select `invoiceLine`), but a driver reloading it should not cost Lago calls
 * every time. An answer (invoice or "not invoiced yet") is kept 60 seconds, a failure 15 seconds;
 * concurrent asks for the same customer and period share one lookup.
 */
import type { LagoPort, PeriodInvoice } from '../../integrations/lago/port.ts';
import type { Services } from '../../types.ts';

export const INVOICE_TTL_MS = 60_000;
export const INVOICE_FAILURE_TTL_MS = 15_000;

export type InvoiceLookup =
  { state: 'invoiced'; invoice: PeriodInvoice } | { state: 'not_invoiced' } | { state: 'unavailable' };

interface Entry {
  value: Promise<InvoiceLookup>;
  expiresAt: number;
}

export class InvoiceCache {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly lago: LagoPort,
    private readonly warn: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The invoice billing `at` for the customer; `periodKey` names the period (one entry per period). */
  get(customerExternalId: string, periodKey: string, at: Date): Promise<InvoiceLookup> {
    const key = `${customerExternalId}\u0000${periodKey}`;
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.value;
    const entry: Entry = { value: Promise.resolve({ state: 'unavailable' }), expiresAt: Infinity };
    entry.value = this.lago.getInvoiceForPeriod(customerExternalId, at).then(
      (invoice): InvoiceLookup => {
        entry.expiresAt = this.now() + INVOICE_TTL_MS;
        return invoice ? { state: 'invoiced', invoice } : { state: 'not_invoiced' };
      },
      (error: unknown): InvoiceLookup => {
        this.warn(error);
        entry.expiresAt = this.now() + INVOICE_FAILURE_TTL_MS;
        return { state: 'unavailable' };
      },
    );
    this.#entries.set(key, entry);
    return entry.value;
  }

  clear(): void {
    this.#entries.clear();
  }
}

const caches = new WeakMap<LagoPort, InvoiceCache>();

/** The app's invoice cache (one per Lago port, so each test app has its own). */
export function invoiceCache(services: Pick<Services, 'lago' | 'logger'>): InvoiceCache {
  let cache = caches.get(services.lago);
  if (!cache) {
    cache = new InvoiceCache(services.lago, (error) =>
      services.logger.warn({ err: (error as Error).message }, 'Lago invoice unavailable'),
    );
    caches.set(services.lago, cache);
  }
  return cache;
}

/** The calendar billing period (UTC) of a plan interval containing `at`: [from, to] inclusive. */
export function calendarPeriod(interval: string, at: Date): { from: Date; to: Date } {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  let from: Date;
  let next: Date;
  switch (interval) {
    case 'weekly': {
      const day = (at.getUTCDay() + 6) % 7; // Monday first, like Lago and date_trunc('week')
      from = new Date(Date.UTC(y, m, at.getUTCDate() - day));
      next = new Date(Date.UTC(y, m, at.getUTCDate() - day + 7));
      break;
    }
    case 'quarterly':
      from = new Date(Date.UTC(y, m - (m % 3), 1));
      next = new Date(Date.UTC(y, m - (m % 3) + 3, 1));
      break;
    case 'semiannual':
      from = new Date(Date.UTC(y, m < 6 ? 0 : 6, 1));
      next = new Date(Date.UTC(y, m < 6 ? 6 : 12, 1));
      break;
    case 'yearly':
      from = new Date(Date.UTC(y, 0, 1));
      next = new Date(Date.UTC(y + 1, 0, 1));
      break;
    default:
      from = new Date(Date.UTC(y, m, 1));
      next = new Date(Date.UTC(y, m + 1, 1));
  }
  return { from, to: new Date(next.getTime() - 1) };
}
