import { Link } from 'react-router';
import { cx } from '../ui/cx.ts';

export interface BrandProps {
  name: string;
  /** Where the logo leads. */
  to: string;
  /** A word after the name, e.g. "Operator console". */
  context?: string;
  className?: string;
}

export function Brand({ name, to, context, className }: BrandProps) {
  return (
    <Link to={to} className={cx('app-brand', className)}>
      <span className="app-brand__mark" aria-hidden="true">
        <svg viewBox="0 0 32 32" width="18" height="18" fill="currentColor">
          <path d="M18 3 7 18h7.5L12 29l13-16h-7.5z" />
        </svg>
      </span>
      {name}
      {context && <span className="app-brand__context">{context}</span>}
    </Link>
  );
}
