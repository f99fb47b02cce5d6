import type { ReactNode } from 'react';

export interface StatusPageProps {
  /** A short code above the title, e.g. "404". */
  code?: string;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
}

/** A whole-page message: not found, forbidden, crashed. */
export function StatusPage({ code, title, children, actions }: StatusPageProps) {
  return (
    <main className="status-page" id="main">
      <title>{title}</title>
      {code && <p className="status-page__code">{code}</p>}
      <h1 className="app-page-title">{title}</h1>
      {children != null && <div className="app-page-subtitle">{children}</div>}
      {actions != null && <div className="status-page__actions">{actions}</div>}
    </main>
  );
}
