/**
 * Tariffs as drivers see them, cached: a plan changes rarely, while every card, every pushed meter
 * value and every listed session asks for one. A tariff is kept 5 minutes; when Lago cannot be
 * read the answer "unavailable" is kept 30 seconds, so an outage does not turn every dashboard
 * refresh into a slow Lago call. Concurrent asks for the same customer share one call.
 */
import type { LagoPort } from '../../integrations/lago/port.ts';
import type { Tariff } from '../../integrations/lago/tariff.ts';
import type { Services } from '../../types.ts';

export const TARIFF_TTL_MS = 5 * 60_000;
export const TARIFF_FAILURE_TTL_MS = 30_000;

interface Entry {
  value: Promise<Tariff | null>;
  expiresAt: number;
}

export class TariffCache {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly lago: LagoPort,
    private readonly warn: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The customer's tariff (null customer: the configured plan); null when it cannot be read. */
  get(customerExternalId: string | null): Promise<Tariff | null> {
    const key = customerExternalId ?? '';
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.value;
    const entry: Entry = { value: Promise.resolve(null), expiresAt: Number.POSITIVE_INFINITY };
    entry.value = this.lago.getTariff(customerExternalId).then(
      (tariff) => {
        entry.expiresAt = this.now() + (tariff ? TARIFF_TTL_MS : TARIFF_FAILURE_TTL_MS);
        return tariff;
      },
      (error: unknown) => {
        this.warn(error);
        entry.expiresAt = this.now() + TARIFF_FAILURE_TTL_MS;
        return null;
      },
    );
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Forgets every cached answer (e.g. after an operator changed plans). */
  clear(): void {
    this.#entries.clear();
  }
}

const caches = new WeakMap<LagoPort, TariffCache>();

/** The app's tariff cache (one per Lago port, so each test app has its own). */
export function tariffs(services: Pick<Services, 'lago' | 'logger'>): TariffCache {
  let cache = caches.get(services.lago);
  if (!cache) {
    cache = new TariffCache(services.lago, (error) =>
      services.logger.warn({ err: (error as Error).message }, 'Lago tariff unavailable'),
    );
    caches.set(services.lago, cache);
  }
  return cache;
}
