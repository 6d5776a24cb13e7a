import { useState } from 'react';
import type { AgentState } from '@passerelle/shared/agent-state';
import { NavLink, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { IdleLock } from '../kit/idle.tsx';
import { useFocusOnNavigate } from '../kit/useFocusOnNavigate.ts';
import { LanguageSwitcher } from '../kit/LanguageSwitcher.tsx';
import { useSession } from '../kit/session.tsx';
import { StatusBar, type HealthItem } from './StatusBar.tsx';
import { useServerLink } from './useServerLink.ts';

const OFFLINE: AgentState = { status: 'offline', reason: null, pendingPause: null };

/** Frame of every signed-in agent page: top bar, status bar, idle lock; trainees only. */
export function AgentLayout() {
  const { t } = useTranslation();
  const { session, logout } = useSession();
  const serverLink = useServerLink();
  const mainRef = useFocusOnNavigate<HTMLElement>();
  // Until the dialer assigns states, the seat is offline since the console opened.
  const [since] = useState(() => Date.now());
  if (!session) return null;
  if (session.user.role !== 'trainee') return <WrongRole role={session.user.role} onLogout={() => void logout()} />;

  const health: HealthItem[] = [
    { id: 'server', level: serverLink, detail: t(serverLink === 'ok' ? 'status.detail.serverOk' : 'status.detail.serverDown') },
    { id: 'sip', level: 'unknown', detail: t('status.detail.sipUnknown') },
    { id: 'audio', level: 'unknown', detail: t('status.detail.audioUnknown') },
  ];

  return (
    <div className="agent-shell">
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="agent-header">
        <div className="topbar">
          <span className="topbar-brand">
            <span className="brand-mark brand-mark-sm" aria-hidden="true">P</span>
            {t('common.brand')}
          </span>
          <nav className="topbar-nav" aria-label={t('common.mainNav')}>
            <NavLink to="/" end>
              {t('agent.nav.home')}
            </NavLink>
            <NavLink to="/progression">{t('agent.nav.progress')}</NavLink>
          </nav>
          <span className="topbar-spacer" />
          <span className="topbar-user">{session.user.displayName}</span>
          <LanguageSwitcher dark />
          <button type="button" className="btn btn-sm btn-on-dark" onClick={() => void logout()}>
            {t('common.logout')}
          </button>
        </div>
        <StatusBar state={OFFLINE} since={since} health={health} />
      </header>
      <main id="main" className="agent-main" tabIndex={-1} ref={mainRef}>
        <Outlet />
      </main>
      <IdleLock />
    </div>
  );
}

function WrongRole({ role, onLogout }: { role: string; onLogout: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="login-page">
      <main className="login-card" id="main">
        <h1 className="login-title">{t('agent.wrongRole.title')}</h1>
        <p className="alert alert-warning" role="alert">
          {t('agent.wrongRole.body', { role: t(`roles.${role}`) })}
        </p>
        <div className="btn-row">
          <a className="btn btn-primary" href="/supervisor/">
            {t('agent.wrongRole.link')}
          </a>
          <button type="button" className="btn" onClick={onLogout}>
            {t('common.logout')}
          </button>
        </div>
      </main>
    </div>
  );
}
