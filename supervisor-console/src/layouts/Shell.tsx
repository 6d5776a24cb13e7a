import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { IdleLock } from '@kit/idle.tsx';
import { LanguageSwitcher } from '@kit/LanguageSwitcher.tsx';
import { useSession } from '@kit/session.tsx';
import { useFocusOnNavigate } from '@kit/useFocusOnNavigate.ts';

export interface NavItem {
  to: string;
  label: string;
  /** A link leaving the console (e.g. /docs): opened as a normal page. */
  external?: boolean;
  end?: boolean;
}
export interface NavSection {
  title?: string;
  items: NavItem[];
}

/** Frame of the signed-in pages: top bar (area, user, language, logout), side navigation, content. */
export function Shell({ area, nav }: { area: string; nav: NavSection[] }) {
  const { t } = useTranslation();
  const { session, logout } = useSession();
  const mainRef = useFocusOnNavigate<HTMLElement>();
  if (!session) return null;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="shell-top">
        <span className="shell-brand">
          <span className="brand-mark brand-mark-sm" aria-hidden="true">P</span>
          {t('common.brand')}
        </span>
        <span className="shell-area">{area}</span>
        <span className="shell-spacer" />
        <span className="shell-user">
          <span className="shell-user-name">{session.user.displayName}</span>
          <span className="badge badge-role">{t(`roles.${session.user.role}`)}</span>
        </span>
        <LanguageSwitcher dark />
        <button type="button" className="btn btn-sm btn-on-dark" onClick={() => void logout()}>
          {t('common.logout')}
        </button>
      </header>
      <div className="shell-body">
        <nav className="shell-nav" aria-label={t('common.mainNav')}>
          {nav.map((section, i) => (
            <div className="nav-section" key={section.title ?? i}>
              {section.title && <p className="nav-title">{section.title}</p>}
              <ul>
                {section.items.map((item) => (
                  <li key={item.to}>
                    {item.external ? (
                      <a href={item.to} target="_blank" rel="noopener">
                        {item.label} <span aria-hidden="true">↗</span>
                      </a>
                    ) : (
                      <NavLink to={item.to} end={item.end}>
                        {item.label}
                      </NavLink>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main id="main" className="shell-main" tabIndex={-1} ref={mainRef}>
          <Suspense
            fallback={
              <p className="page-loading" role="status">
                {t('common.loading')}
              </p>
            }
          >
            <Outlet />
          </Suspense>
        </main>
      </div>
      <IdleLock />
    </div>
  );
}
