import type { ReactNode } from 'react';
import { cx } from './cx.ts';

export interface StatProps {
  label: ReactNode;
  /** `null` shows a dash: the figure is not known yet. */
  value: ReactNode | null;
  unit?: ReactNode;
  hint?: ReactNode;
  loading?: boolean;
  className?: string;
}

/** A single figure with its label, e.g. "kWh delivered — 1,204 kWh". */
export function Stat({ label, value, unit, hint, loading = false, className }: StatProps) {
  return (
    <div className={cx('ui-stat', className)} aria-busy={loading || undefined}>
      <span className="ui-stat__label">{label}</span>
      {loading ? (
        <span className="ui-stat__value ui-stat__value--loading" aria-label="Loading">
          <span className="ui-skeleton" />
        </span>
      ) : (
        <span className="ui-stat__value">
          {value ?? <span aria-label="Not available">—</span>}
          {value != null && unit != null && <span className="ui-stat__unit">{unit}</span>}
        </span>
      )}
      {hint != null && <span className="ui-stat__hint">{hint}</span>}
    </div>
  );
}
