import type { ReactNode } from 'react';

/** A centered, honest "nothing here yet" panel with an icon, a title, a sentence and optional actions. */
export function EmptyState({
  icon,
  title,
  children,
  actions,
  headingLevel = 2,
}: {
  headingLevel?: 1 | 2;
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="empty-state">
      {icon && <div className="empty-state-icon">{icon}</div>}
      {headingLevel === 1 ? (
        <h1 className="empty-state-title">{title}</h1>
      ) : (
        <h2 className="empty-state-title">{title}</h2>
      )}
      {children && <p className="empty-state-body">{children}</p>}
      {actions && <div className="empty-state-actions">{actions}</div>}
    </div>
  );
}
