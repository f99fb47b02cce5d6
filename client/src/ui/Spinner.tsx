import { cx } from './cx.ts';

export interface SpinnerProps {
  /** Read by screen readers; shown next to the spinner when `block` or `showLabel`. */
  label?: string;
  size?: 'small' | 'medium' | 'large';
  /** Centres the spinner with its label in the available space (a loading state for a card or page). */
  block?: boolean;
  showLabel?: boolean;
  /** Inside something that already announces itself (a busy button): hide from assistive tech. */
  decorative?: boolean;
  className?: string;
}

export function Spinner({
  label = 'Loading…',
  size = 'medium',
  block = false,
  showLabel = block,
  decorative = false,
  className,
}: SpinnerProps) {
  return (
    <span
      className={cx('ui-spinner', `ui-spinner--${size}`, block && 'ui-spinner--block', className)}
      role={decorative ? undefined : 'status'}
      aria-hidden={decorative || undefined}
    >
      <span className="ui-spinner__ring" aria-hidden="true" />
      {!decorative && <span className={showLabel ? 'ui-spinner__label' : 'visually-hidden'}>{label}</span>}
    </span>
  );
}
