import { Suspense, useState } from 'react';
import { holdsContact } from '@passerelle/shared/agent-state';
import { Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { IdleLock } from '../kit/idle.tsx';
import { useFocusOnNavigate } from '../kit/useFocusOnNavigate.ts';
import { LanguageSwitcher } from '../kit/LanguageSwitcher.tsx';
import { useCurrentSession, useSession } from '../kit/session.tsx';
import { AgentProvider, useAgent } from '../agent/AgentContext.tsx';
import { HelpButton } from '../features/help/HelpButton.tsx';
import { PracticePanel } from '../features/practice/PracticePanel.tsx';
import { useShortcuts } from '../features/shortcuts.tsx';
import { StatusBar } from './StatusBar.tsx';
import { StatusControls } from './StatusControls.tsx';
import { TodayCounters } from './TodayCounters.tsx';
import { useHealth } from './useHealth.ts';

/** Frame of every signed-in agent page: top bar, status bar, idle lock; trainees only. */
export function AgentLayout() {
  const { session, logout } = useSession();
  if (!session) return null;
  if (session.user.role !== 'trainee') return <WrongRole role={session.user.role} onLogout={() => void logout()} />;
  return (
    <AgentProvider>
      <AgentFrame />
    </AgentProvider>
  );
}

function AgentFrame() {
  const { t } = useTranslation();
  const { logout } = useSession();
  const { user, api } = useCurrentSession();
  const { live, actions, device, help, setHelp, serverNow } = useAgent();
  const health = useHealth();
  const mainRef = useFocusOnNavigate<HTMLElement>();
  const location = useLocation();
  const [pauseMenu, setPauseMenu] = useState(0);
  const [openedAt] = useState(() => Date.now());
  const view = live.view;
  const online = live.link === 'connected' && live.synced;
  useShortcuts({
    ready: () => void actions.ready(),
    pause: () => setPauseMenu((n) => n + 1),
  });

  // A contact in hand (offer, call, wrap-up) always shows on the working screen. Otherwise, at
  // the start of a shift (paused, check not done in this page) the headset check comes first.
  const inCall = view ? holdsContact(view.status) : false;
  if (inCall && location.pathname !== '/') return <Navigate to="/" replace />;
  const idle = view?.status === 'paused' || view?.status === 'offline';
  if (idle && !device.done && location.pathname !== '/verification') return <Navigate to="/verification" replace />;

  const state = view ?? { status: 'offline' as const, reason: null, pendingPause: null };
  const since = view ? new Date(view.since).getTime() - (serverNow() - Date.now()) : openedAt;

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
            <NavLink to="/verification">{t('agent.nav.check')}</NavLink>
            <NavLink to="/progression">{t('agent.nav.progress')}</NavLink>
          </nav>
          <span className="topbar-spacer" />
          <span className="topbar-user">{user.displayName}</span>
          <LanguageSwitcher dark />
          <button type="button" className="btn btn-sm btn-on-dark" disabled={inCall} title={inCall ? t('agent.logoutInCall') : undefined} onClick={() => void logout()}>
            {t('common.logout')}
          </button>
        </div>
        <StatusBar state={state} since={since} health={health}>
          <StatusControls state={state} online={online} onReady={actions.ready} onPause={actions.pause} pauseMenuRequest={pauseMenu} />
          <TodayCounters api={api} refreshKey={live.closed?.attemptId ?? ''} />
          <HelpButton api={api} help={help} onChange={setHelp} />
        </StatusBar>
        {live.link !== 'connected' && view && (
          <p className="reconnect-banner" role="status">
            ⟳ {t('work.reconnecting')}
          </p>
        )}
      </header>
      <main id="main" className="agent-main" tabIndex={-1} ref={mainRef}>
        {/* Pages load on first visit: the frame (status bar, call state) stays in place meanwhile. */}
        <PracticePanel />
        <Suspense fallback={null}>
          <Outlet />
        </Suspense>
      </main>
      <IdleLock busy={inCall} />
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
