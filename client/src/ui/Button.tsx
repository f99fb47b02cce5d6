import type { ComponentPropsWithRef } from 'react';
import { cx } from './cx.ts';
import { Spinner } from './Spinner.tsx';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';
export type ButtonSize = 'small' | 'medium';

export interface ButtonProps extends ComponentPropsWithRef<'button'> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Shows a spinner and disables the button while an action is running. */
  busy?: boolean;
}

/** Class names of a button, for links that should look like one. */
export function buttonClassName(variant: ButtonVariant = 'secondary', size: ButtonSize = 'medium'): string {
  return cx('ui-button', `ui-button--${variant}`, size === 'small' && 'ui-button--small');
}

export function Button({
  variant = 'secondary',
  size = 'medium',
  busy = false,
  type = 'button',
  disabled,
  className,
  children,
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type}
      className={cx(buttonClassName(variant, size), className)}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy && <Spinner size="small" decorative />}
      {children}
    </button>
  );
}
