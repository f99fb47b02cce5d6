import type { ReactNode } from 'react';
import { Button } from './Button.tsx';
import { cx } from './cx.ts';

export interface ErrorMessageProps {
  title?: ReactNode;
  /** What went wrong, in words the reader can act on. */
  children?: ReactNode;
  /** Shows a "Try again" button. */
  onRetry?: () => void;
  retryLabel?: string;
  retrying?: boolean;
  compact?: boolean;
  className?: string;
}

/** An error the reader should notice: announced by screen readers as soon as it appears. */
export function ErrorMessage({
  title = 'Something went wrong',
  children,
  onRetry,
  retryLabel = 'Try again',
  retrying = false,
  compact = false,
  className,
}: ErrorMessageProps) {
  return (
    <div className={cx('ui-error', compact && 'ui-error--compact', className)} role="alert">
      <div className="ui-error__content">
        <p className="ui-error__title">{title}</p>
        {children != null && <div className="ui-error__text">{children}</div>}
      </div>
      {onRetry && (
        <Button size="small" onClick={onRetry} busy={retrying} className="ui-error__retry">
          {retryLabel}
        </Button>
      )}
    </div>
  );
}
