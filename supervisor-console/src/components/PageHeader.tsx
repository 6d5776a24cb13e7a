import type { ReactNode } from 'react';

/** Title row of a page: heading, one-line description, actions on the right. */
export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1 className="page-title">{title}</h1>
        {description && <p className="page-desc">{description}</p>}
      </div>
      {actions && <div className="btn-row">{actions}</div>}
    </header>
  );
}
