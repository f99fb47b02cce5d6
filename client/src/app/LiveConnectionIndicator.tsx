import { cx } from '../ui/cx.ts';
import { useLiveConnectionStatus, type LiveConnectionStatus } from './urql.ts';

/** What the live-updates socket is doing, in full (wide screens) and short (phones). */
const labels: Record<LiveConnectionStatus, { full: string; short: string }> = {
  idle: { full: 'Live updates: none needed on this page', short: 'Not live' },
  connecting: { full: 'Connecting live updates…', short: 'Connecting…' },
  connected: { full: 'Live updates on', short: 'Live' },
  reconnecting: { full: 'Live updates lost, reconnecting…', short: 'Reconnecting…' },
};

/** The state of the live-updates socket, for the console header. */
export function LiveConnectionIndicator({ className }: { className?: string }) {
  const status = useLiveConnectionStatus();
  const label = labels[status];
  return (
    <span
      className={cx('app-live', `app-live--${status}`, className)}
      role="status"
      data-status={status}
      title={label.full}
    >
      <span className="app-live__dot" aria-hidden="true" />
      <span className="app-live__full">{label.full}</span>
      <span className="app-live__short" aria-hidden="true">
        {label.short}
      </span>
    </span>
  );
}
