import { useId, useLayoutEffect, useRef, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { cx } from './cx.ts';

export interface ModalProps {
  open: boolean;
  /** Called on Escape, the close button and a click on the backdrop. */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons at the bottom, primary action last. */
  footer?: ReactNode;
  /** What gets focus when the dialog opens; otherwise its first focusable element. */
  initialFocusRef?: RefObject<HTMLElement | null>;
  size?: 'small' | 'medium' | 'large';
  className?: string;
}

/**
 * A modal dialog on the native `<dialog>` (`showModal()`): the browser keeps focus inside and the
 * rest of the page inert, Escape asks to close it. Focus goes back to whatever had it before
 * (usually the button that opened it). Closed, nothing is rendered.
 */
export function Modal(props: ModalProps) {
  if (!props.open) return null;
  return createPortal(<OpenModal {...props} />, document.body);
}

function OpenModal({
  onClose,
  title,
  description,
  children,
  footer,
  initialFocusRef,
  size = 'medium',
  className,
}: ModalProps) {
  const titleId = useId();
  const descriptionId = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);

  // Layout effect: the dialog is modal before the first paint.
  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const previouslyFocused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    initialFocusRef?.current?.focus();
    const { overflow } = document.body.style;
    document.body.style.overflow = 'hidden';
    return () => {
      document.body.style.overflow = overflow;
      if (dialog.open) dialog.close();
      if (previouslyFocused?.isConnected) previouslyFocused.focus();
    };
  }, [initialFocusRef]);

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={description != null ? descriptionId : undefined}
      className={cx('ui-modal', `ui-modal--${size}`, className)}
      // Escape: the parent decides (it may keep the dialog while something is under way).
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      // The dialog itself is only hit outside its content, i.e. on the backdrop.
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="ui-modal__content">
        <header className="ui-modal__header">
          <h2 id={titleId} className="ui-modal__title">
            {title}
          </h2>
          <button type="button" className="ui-modal__close" onClick={onClose} aria-label="Close">
            <span aria-hidden="true">×</span>
          </button>
        </header>
        {description != null && (
          <p id={descriptionId} className="ui-modal__description">
            {description}
          </p>
        )}
        {children != null && <div className="ui-modal__body">{children}</div>}
        {footer != null && <footer className="ui-modal__footer">{footer}</footer>}
      </div>
    </dialog>
  );
}
