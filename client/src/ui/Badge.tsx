import type { ReactNode } from 'react';
import { cx } from './cx.ts';

export type BadgeTone = 'neutral' | 'success' | 'info' | 'warning' | 'danger';

export interface BadgeProps {
  tone?: BadgeTone;
  /** A coloured dot before the text, for states. */
  dot?: boolean;
  children: ReactNode;
  className?: string;
}

export function Badge({ tone = 'neutral', dot = false, children, className }: BadgeProps) {
  return (
    <span className={cx('ui-badge', `ui-badge--${tone}`, className)}>
      {dot && <span className="ui-badge__dot" aria-hidden="true" />}
      {children}
    </span>
  );
}

/** A charger's derived state, as the API names it. */
export type ChargerStateName = 'ONLINE' | 'IN_USE' | 'RESERVED' | 'OFFLINE' | 'UNAVAILABLE' | 'FAULTED';

/** Words drivers and operators see for each state. */
export const chargerStateLabels: Record<ChargerStateName, string> = {
  ONLINE: 'Online',
  IN_USE: 'In use',
  RESERVED: 'Reserved',
  OFFLINE: 'Offline',
  UNAVAILABLE: 'Out of service',
  FAULTED: 'Faulted',
};

const stateClass: Record<ChargerStateName, string> = {
  ONLINE: 'ui-badge--online',
  IN_USE: 'ui-badge--in-use',
  RESERVED: 'ui-badge--reserved',
  OFFLINE: 'ui-badge--offline',
  UNAVAILABLE: 'ui-badge--unavailable',
  FAULTED: 'ui-badge--faulted',
};

/**
 * The coloured state of a charger: green online, blue in use, amber reserved, grey offline, amber
 * out of service (unavailable), red faulted.
 */
export function StateBadge({ state, className }: { state: ChargerStateName; className?: string }) {
  return (
    <span className={cx('ui-badge', stateClass[state], className)} data-state={state}>
      <span className="ui-badge__dot" aria-hidden="true" />
      {chargerStateLabels[state]}
    </span>
  );
}
