import { cx } from '../ui/cx.ts';
import { useLiveConnectionStatus, type LiveConnectionStatus } from './urql.ts';

const labels: Record<LiveConnectionStatus, string> = {
  idle: 'Live updates on standby',
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
};

/** The state of the live-updates socket, for the console header. */
export function LiveConnectionIndicator({ className }: { className?: string }) {
  const status = useLiveConnectionStatus();
  return (
    <span className={cx('app-live', `app-live--${status}`, className)} role="status" data-status={status}>
      <span className="app-live__dot" aria-hidden="true" />
      {labels[status]}
    </span>
  );
}
