import type { ReactNode } from 'react';

export interface PageHeaderProps {
  title: string;
  /** The document title; defaults to `title`. */
  documentTitle?: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
}

/** A page's h1, its one-line explanation and its main actions; also sets the document title. */
export function PageHeader({ title, documentTitle, subtitle, actions }: PageHeaderProps) {
  return (
    <div className="app-page-header">
      <title>{documentTitle ?? title}</title>
      <div>
        <h1 className="app-page-title">{title}</h1>
        {subtitle != null && <p className="app-page-subtitle">{subtitle}</p>}
      </div>
      {actions != null && <div className="ui-card__actions">{actions}</div>}
    </div>
  );
}
