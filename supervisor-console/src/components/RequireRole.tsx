import type { ReactNode } from 'react';
import { Navigate, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '@kit/session.tsx';
import type { Role } from '@passerelle/shared/roles';

/** Where each role lands after signing in. */
export const landingFor = (role: Role) => (role === 'partner' ? '/partenaire' : role === 'trainee' ? '/conseiller' : '/plateau');

/**
 * Shows its content only to the given roles. A whole area (page=false) sends other roles to their
 * own landing page; a single page inside an area says the access is refused. The server enforces
 * the same rules on every API call: this only keeps the screens honest.
 */
export function RequireRole({ roles, page = true, children }: { roles: readonly Role[]; page?: boolean; children?: ReactNode }) {
  const { t } = useTranslation();
  const { session } = useSession();
  if (!session) return null;
  if (!roles.includes(session.user.role)) {
    if (!page) return <Navigate to={landingFor(session.user.role)} replace />;
    return (
      <div className="page">
        <h1 className="page-title">{t('forbidden.title')}</h1>
        <p className="alert alert-warning" role="alert">
          {t('forbidden.body')}
        </p>
      </div>
    );
  }
  return children ? <>{children}</> : <Outlet />;
}
