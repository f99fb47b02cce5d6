import type { ChargeObject, PaginationMeta } from 'lago-javascript-client';
import { parseDecimal } from '../decimal.ts';
import { badRequest } from './failures.ts';

/** Reading request bodies the way Lago's Rails API does, and Lago's page and period shapes. */

export function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The resource root key, as Rails' `params.require(key)`: missing or empty → 400. */
export function root(body: unknown, key: string): Record<string, unknown> {
  const value = asObject(body)[key];
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    Object.keys(value).length === 0
  ) {
    throw badRequest(`param is missing or the value is empty: ${key}`);
  }
  return value as Record<string, unknown>;
}

export function pageParam(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

/** Lago's page meta: with no records at all current_page and total_pages are 0. */
export function paginate<T>(
  all: readonly T[],
  page: number,
  perPage: number,
): { items: T[]; meta: PaginationMeta } {
  const totalCount = all.length;
  const totalPages = Math.ceil(totalCount / perPage);
  if (totalCount === 0) {
    return {
      items: [],
      meta: { current_page: 0, next_page: null, prev_page: null, total_pages: 0, total_count: 0 },
    };
  }
  const items = all.slice((page - 1) * perPage, page * perPage);
  return {
    items,
    meta: {
      current_page: page,
      next_page: page < totalPages ? page + 1 : null,
      prev_page: page > 1 ? page - 1 : null,
      total_pages: totalPages,
      total_count: totalCount,
    },
  };
}

/** The calendar month (UTC) containing `at`: [first instant, last millisecond]. */
export function monthOf(at: Date): { from: Date; to: Date } {
  const from = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const next = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { from, to: new Date(next.getTime() - 1) };
}

export type GraduatedRange = NonNullable<ChargeObject['properties']['graduated_ranges']>[number];

/** Lago's rules for graduated ranges: from 0, each from = previous to + 1, only the last open. */
export function graduatedRanges(raw: unknown): GraduatedRange[] | null {
  if (!Array.isArray(raw) || raw.length === 0) return null;
  const out: GraduatedRange[] = [];
  let expectedFrom = 0;
  for (const [i, item] of raw.entries()) {
    const r = asObject(item);
    const last = i === raw.length - 1;
    const from = r.from_value;
    const to = r.to_value ?? null;
    if (from !== expectedFrom) return null;
    if (last ? to !== null : typeof to !== 'number' || !Number.isInteger(to) || to <= from) return null;
    if (parseDecimal(r.per_unit_amount) === null || parseDecimal(r.flat_amount ?? '0') === null) return null;
    out.push({
      from_value: from,
      to_value: to as number | null,
      per_unit_amount: String(r.per_unit_amount),
      flat_amount: String(r.flat_amount ?? '0'),
    });
    if (typeof to === 'number') expectedFrom = to + 1;
  }
  return out;
}
