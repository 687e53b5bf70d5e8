import { useEffect, useId, useRef, type ReactNode } from 'react';

/** Props of a modal dialog. */
export interface DialogProps {
  open: boolean;
  title: ReactNode;
  /** Called on Escape, on a click on the backdrop and by the dialog's own buttons. */
  onClose(): void;
  children: ReactNode;
  /** Labels the dialog as an alert (a confirmation) instead of a plain dialog. */
  role?: 'dialog' | 'alertdialog';
  /** Extra description element inside children (for aria-describedby). */
  describedBy?: string;
}

/**
 * A modal dialog on the native <dialog> element: the browser traps focus, makes the rest of the page inert and
 * closes on Escape; we only keep React's `open` state in charge and put focus back where it was.
 */
export function Dialog({ open, title, onClose, children, role = 'dialog', describedBy }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    return () => {
      dialog.close();
      if (previous?.isConnected) previous.focus();
    };
  }, [open]);
  if (!open) return null;
  return (
    <dialog
      ref={ref}
      className="dialog"
      role={role}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onCancel={(event) => {
        event.preventDefault(); // Escape: let React state close it
        onClose();
      }}
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose(); // a click on the backdrop
      }}
    >
      <div className="dialog-body">
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {children}
      </div>
    </dialog>
  );
}
