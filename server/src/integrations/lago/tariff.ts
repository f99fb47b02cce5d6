/**
 * A driver's price per kWh, read from the charge on the kWh billable metric of a Lago plan, and
 * the cost of an amount of energy under it — in exact decimals (decimal.ts), never binary floats.
 *
 * Lago's `standard` charge model is one price for every unit; `graduated` charges each tier's
 * units at that tier's price, plus the tier's flat amount once a unit falls into it. Other charge
 * models (package, percentage, volume, dynamic …) are not shown to drivers: the tariff is then
 * unavailable rather than wrong.
 */
import type { PlanObject } from 'lago-javascript-client';
import { formatDecimal, parseDecimal, SCALE } from './decimal.ts';

const FACTOR = 10n ** BigInt(SCALE);

/** One tier: kWh above `fromKwh` up to `toKwh` (open-ended when null). Values in millionths. */
export interface TariffTier {
  fromKwh: bigint;
  toKwh: bigint | null;
  /** Price per kWh, excluding tax, in millionths of the currency unit. */
  unitPrice: bigint;
  /** Charged once when any energy falls into the tier (graduated plans only), millionths. */
  flatFee: bigint;
}

export interface Tariff {
  planCode: string;
  /** ISO 4217. */
  currency: string;
  model: 'standard' | 'graduated';
  /** The plan's billing interval: Lago runs a period's summed kWh through the tiers. */
  interval: string;
  /** Lowest tier first; a standard plan has one open-ended tier. */
  tiers: TariffTier[];
}

export interface Cost {
  /** Integer minor units of the currency (cents for EUR), rounded half up. */
  minor: bigint;
  /** The same amount as a decimal string with the currency's minor digits ("4.27"). */
  amount: string;
  currency: string;
}

/** The kWh charge of a plan as a tariff; null when the plan has no such charge or its model is unsupported. */
export function tariffFromPlan(plan: PlanObject, metricCode: string): Tariff | null {
  const charge = plan.charges?.find((c) => c.billable_metric_code === metricCode);
  if (!charge) return null;
  const properties = charge.properties ?? {};
  if (charge.charge_model === 'standard') {
    const unitPrice = parseDecimal(properties.amount);
    if (unitPrice === null || unitPrice < 0n) return null;
    return {
      planCode: plan.code,
      currency: plan.amount_currency,
      model: 'standard',
      interval: plan.interval,
      tiers: [{ fromKwh: 0n, toKwh: null, unitPrice, flatFee: 0n }],
    };
  }
  if (charge.charge_model === 'graduated') {
    const ranges = properties.graduated_ranges ?? [];
    if (ranges.length === 0) return null;
    const tiers: TariffTier[] = [];
    let lower = 0n;
    for (const [i, range] of ranges.entries()) {
      const unitPrice = parseDecimal(range.per_unit_amount);
      const flatFee = parseDecimal(range.flat_amount ?? '0');
      const last = i === ranges.length - 1;
      const upper = range.to_value === null ? null : parseDecimal(range.to_value);
      if (unitPrice === null || flatFee === null || unitPrice < 0n || flatFee < 0n) return null;
      if (last !== (upper === null) || (upper !== null && upper <= lower)) return null;
      tiers.push({ fromKwh: lower, toKwh: upper, unitPrice, flatFee });
      if (upper !== null) lower = upper;
    }
    return {
      planCode: plan.code,
      currency: plan.amount_currency,
      model: 'graduated',
      interval: plan.interval,
      tiers,
    };
  }
  return null;
}

/** Digits after the decimal point of a currency's minor unit (EUR 2, JPY 0, BHD 3). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits!;
  } catch {
    return 2;
  }
}

/** What `units` (millionths of kWh) cost through the tiers from 0, at scale 12 (unrounded). */
function exactTotal(tariff: Tariff, units: bigint): bigint {
  // Millionths of kWh × millionths of currency: scale 12; flat fees (scale 6) brought to it.
  let total = 0n;
  for (const tier of tariff.tiers) {
    if (units <= tier.fromKwh) break;
    const top = tier.toKwh === null || units < tier.toKwh ? units : tier.toKwh;
    total += (top - tier.fromKwh) * tier.unitPrice + tier.flatFee * FACTOR;
  }
  return total;
}

/**
 * What `kwh` costs under the tariff. `before` is the kWh the same billing customer already used
 * in the billing period before it: Lago prices a graduated charge on the period's summed units, so
 * a session is charged what it adds on top of them (the tiers it reaches, their flat fees once per
 * period). Without `before` the energy counts from the first tier. Values are decimal strings or
 * numbers (taken to 6 decimals); negative energy costs nothing. Rounded half up once, at the end.
 */
export function costOf(
  tariff: Tariff,
  kwh: number | string | bigint,
  before: number | string | bigint = 0n,
): Cost {
  const toUnits = (v: number | string | bigint) => {
    const u = typeof v === 'bigint' ? v : (parseDecimal(v) ?? 0n);
    return u < 0n ? 0n : u;
  };
  const units = toUnits(kwh);
  const offset = toUnits(before);
  const total = exactTotal(tariff, offset + units) - exactTotal(tariff, offset);
  const digits = minorDigits(tariff.currency);
  const divisor = (FACTOR * FACTOR) / 10n ** BigInt(digits);
  const minor = (total + divisor / 2n) / divisor;
  return { minor, amount: minorToDecimal(minor, digits), currency: tariff.currency };
}

/** 427n, 2 → "4.27". */
export function minorToDecimal(minor: bigint, digits: number): string {
  if (digits === 0) return minor.toString();
  const negative = minor < 0n;
  const text = (negative ? -minor : minor).toString().padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** A scaled decimal as Lago writes it ("0.35"). */
export const decimalText = formatDecimal;
