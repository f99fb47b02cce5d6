import type { ReactNode } from 'react';
import { cx } from './cx.ts';

export interface EmptyStateProps {
  title: ReactNode;
  /** One or two sentences: why it is empty and what fills it. */
  children?: ReactNode;
  /** A button or link that fills it. */
  action?: ReactNode;
  icon?: ReactNode;
  compact?: boolean;
  className?: string;
}

export function EmptyState({ title, children, action, icon, compact = false, className }: EmptyStateProps) {
  return (
    <div className={cx('ui-empty', compact && 'ui-empty--compact', className)}>
      {icon != null && (
        <div className="ui-empty__icon" aria-hidden="true">
          {icon}
        </div>
      )}
      <p className="ui-empty__title">{title}</p>
      {children != null && <div className="ui-empty__text">{children}</div>}
      {action != null && <div className="ui-empty__action">{action}</div>}
    </div>
  );
}
