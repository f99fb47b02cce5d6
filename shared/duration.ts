/**
 * Durations as every user-facing text shows them, client and server: "40 sec", "12 min",
 * "2 hr 5 min", "3 days". Something that waited at all never reads "0 min": below a minute the
 * seconds show, and anything above zero is at least "1 sec".
 */
const LOCALE = 'en';
const unit = (name: 'second' | 'minute' | 'hour' | 'day') =>
  new Intl.NumberFormat(LOCALE, { style: 'unit', unit: name, unitDisplay: 'short' });
const seconds = unit('second');
const minutes = unit('minute');
const hours = unit('hour');
const days = unit('day');

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return seconds.format(0);
  if (ms < 60_000) return seconds.format(Math.max(1, Math.floor(ms / 1000)));
  const totalMinutes = Math.floor(ms / 60_000);
  if (totalMinutes < 60) return minutes.format(totalMinutes);
  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours < 48) {
    const rest = totalMinutes % 60;
    return rest === 0 ? hours.format(totalHours) : `${hours.format(totalHours)} ${minutes.format(rest)}`;
  }
  return days.format(Math.floor(totalHours / 24));
}
