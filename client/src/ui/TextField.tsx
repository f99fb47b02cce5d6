import { useId, type ComponentPropsWithRef, type ReactNode } from 'react';
import { cx } from './cx.ts';

export interface TextFieldProps extends Omit<ComponentPropsWithRef<'input'>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  /** A message about this field's value; marks the input invalid. */
  error?: ReactNode;
}

export function TextField({ label, hint, error, className, ...input }: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = cx(hint != null && hintId, error != null && errorId) || undefined;
  return (
    <div className={cx('ui-field', className)}>
      <label className="ui-field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="ui-field__input"
        aria-invalid={error != null || undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {hint != null && (
        <p id={hintId} className="ui-field__hint">
          {hint}
        </p>
      )}
      {error != null && (
        <p id={errorId} className="ui-field__error">
          {error}
        </p>
      )}
    </div>
  );
}
