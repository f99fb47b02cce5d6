import { useId, type ReactNode } from 'react';
import { cx } from './cx.ts';

export interface CardProps {
  title?: ReactNode;
  /** Heading level of the title: h2 on pages with their own h1, h1 when the card is the page. */
  titleAs?: 'h1' | 'h2' | 'h3';
  /** Buttons or links shown at the end of the header. */
  actions?: ReactNode;
  /** Optional line under the title. */
  subtitle?: ReactNode;
  children?: ReactNode;
  /** Marks the card busy while its content loads or refreshes. */
  busy?: boolean;
  className?: string;
}

export function Card({
  title,
  titleAs: Heading = 'h2',
  actions,
  subtitle,
  children,
  busy,
  className,
}: CardProps) {
  const titleId = useId();
  const hasHeader = title != null || actions != null;
  return (
    <section
      className={cx('ui-card', className)}
      aria-labelledby={title != null ? titleId : undefined}
      aria-busy={busy || undefined}
    >
      {hasHeader && (
        <header className="ui-card__header">
          <div className="ui-card__heading">
            {title != null && (
              <Heading id={titleId} className="ui-card__title">
                {title}
              </Heading>
            )}
            {subtitle != null && <p className="ui-card__subtitle">{subtitle}</p>}
          </div>
          {actions != null && <div className="ui-card__actions">{actions}</div>}
        </header>
      )}
      <div className="ui-card__body">{children}</div>
    </section>
  );
}
