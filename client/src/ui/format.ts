/**
 * Figures and times as every page shows them (operator console and driver app alike): one
 * formatter per kind, so the same kWh or date reads the same everywhere. Numbers and dates follow
 * the browser's locale; words ("in 2 minutes", "3 sessions") are English like the rest of the UI.
 */
export { formatDuration } from '../../../shared/duration.ts';
export { formatCount, plural, pluralWord } from '../../../shared/plural.ts';

const kwh = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const kw = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'always', style: 'long' });

/** Energy in kWh, two decimals: "12.35". */
export function formatKwh(value: number): string {
  return kwh.format(value);
}

/** Power in kW, one decimal: "7.4". */
export function formatKw(value: number): string {
  return kw.format(value);
}

/** A share 0…1 as "42 %" (locale's form). */
export function formatPercent(share: number): string {
  return percent.format(share);
}

/** Time of day, "14:05" (with `seconds`, "14:05:09"); "—" when unknown. */
export function formatTime(iso: string | null | undefined, options: { seconds?: boolean } = {}): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    ...(options.seconds ? { second: '2-digit' } : {}),
  });
}

/** Date and time, "3 Dec, 14:05"; the year only when it is not this year. "—" when unknown. */
export function formatDateTime(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return date.toLocaleString(undefined, {
    ...(date.getFullYear() !== now.getFullYear() ? { year: 'numeric' } : {}),
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** "in 2 minutes", "40 seconds ago", "3 hours ago"; "—" when unknown. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  const sign = diff >= 0 ? 1 : -1;
  if (abs < 60_000) return relative.format(sign * Math.max(1, Math.round(abs / 1000)), 'second');
  if (abs < 3_600_000) return relative.format(sign * Math.round(abs / 60_000), 'minute');
  if (abs < 86_400_000) return relative.format(sign * Math.round(abs / 3_600_000), 'hour');
  return relative.format(sign * Math.round(abs / 86_400_000), 'day');
}

/** "0:07:05": hours, minutes and seconds of something running (ticks every second). */
export function formatElapsed(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${h}:${two(m)}:${two(s)}`;
}

const periodRange = new Intl.DateTimeFormat(undefined, {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
});

/** A billing period (UTC calendar days, as Lago bills): "Feb 1 – 28, 2026". */
export function formatPeriod(fromIso: string, toIso: string): string {
  return periodRange.formatRange(new Date(fromIso), new Date(toIso));
}
