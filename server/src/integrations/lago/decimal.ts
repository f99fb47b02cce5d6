/**
 * Exact decimal arithmetic for kWh and prices (fixed scale, BigInt), so that sums of many small
 * sessions do not drift the way binary floats do.
 */

/** Digits after the decimal point kept for kWh and unit prices (1e-6 kWh = 1 mWh). */
export const SCALE = 6;
const FACTOR = 10n ** BigInt(SCALE);
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Parses "12.345", "7", 12.345 into millionths; null when it is not a finite decimal. */
export function parseDecimal(value: unknown): bigint | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    // toFixed avoids exponent notation (1e-7) and rounds float noise (0.1 + 0.2) away.
    text = value.toFixed(SCALE);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  if (!DECIMAL.test(text)) return null;
  const negative = text.startsWith('-');
  const [intPart = '0', fracPart = ''] = (negative ? text.slice(1) : text).split('.');
  // Round half up at SCALE digits.
  const kept = fracPart.slice(0, SCALE).padEnd(SCALE, '0');
  let scaled = BigInt(intPart) * FACTOR + BigInt(kept);
  if ((fracPart[SCALE] ?? '0') >= '5') scaled += 1n;
  return negative ? -scaled : scaled;
}

/** Formats millionths as the shortest decimal string ("12.345", "7", "0"). */
export function formatDecimal(scaled: bigint): string {
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  const int = abs / FACTOR;
  const frac = (abs % FACTOR).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** Normalises a kWh value for the wire; null when it is not a finite, non-negative decimal. */
export function normalizeKwh(value: number | string): string | null {
  const scaled = parseDecimal(value);
  if (scaled === null || scaled < 0n) return null;
  return formatDecimal(scaled);
}

/** units × unitPrice (both millionths), in cents, rounded half up. */
export function amountCents(units: bigint, unitPrice: bigint): number {
  const product = units * unitPrice * 100n; // scale 12
  const divisor = FACTOR * FACTOR;
  const cents = (product + divisor / 2n) / divisor;
  return Number(cents);
}
