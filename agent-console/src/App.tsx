import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LoginScreen } from './kit/LoginScreen.tsx';
import { RequireSession } from './kit/RequireSession.tsx';
import { useSession } from './kit/session.tsx';

// The workstation (softphone, live link, call screens) loads after sign-in, so the login page
// is interactive sooner.
const AgentLayout = lazy(() => import('./components/AgentLayout.tsx').then((m) => ({ default: m.AgentLayout })));
const WorkPage = lazy(() => import('./pages/WorkPage.tsx').then((m) => ({ default: m.WorkPage })));
const MyProgressPage = lazy(() => import('./features/progress/index.ts').then((m) => ({ default: m.MyProgressPage })));
const DeviceCheckPage = lazy(() => import('./pages/DeviceCheckPage.tsx').then((m) => ({ default: m.DeviceCheckPage })));

/**
 * Routes of the agent console (served under /agent/). Add a page: create it in src/pages/,
 * add a <Route> below inside AgentLayout, and its strings in src/locales/fr.ts and en.ts.
 */
export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginRoute />} />
      <Route
        element={
          <RequireSession>
            <Suspense fallback={null}>
              <AgentLayout />
            </Suspense>
          </RequireSession>
        }
      >
        <Route index element={<WorkPage />} />
        <Route path="verification" element={<DeviceCheckPage />} />
        <Route path="progression" element={<MyProgressPage />} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}

function LoginRoute() {
  const { t } = useTranslation();
  const { status } = useSession();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  if (status === 'authenticated') return <Navigate to={from} replace />;
  return <LoginScreen consoleName={t('agent.consoleName')} onSuccess={() => navigate(from, { replace: true })} />;
}
