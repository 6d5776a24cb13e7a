import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LoginScreen } from '@kit/LoginScreen.tsx';
import { RequireSession } from '@kit/RequireSession.tsx';
import { useSession } from '@kit/session.tsx';
import { landingFor, RequireRole } from './components/RequireRole.tsx';
import { PartnerLayout } from './layouts/PartnerLayout.tsx';
import { StaffLayout } from './layouts/StaffLayout.tsx';
import { WrongConsole } from './layouts/WrongConsole.tsx';
import { FloorPage } from './floor/FloorPage.tsx';
import { CampaignPage } from './pages/campaigns/CampaignPage.tsx';
import { CampaignsPage } from './pages/campaigns/CampaignsPage.tsx';
import { BlocklistPage } from './pages/admin/BlocklistPage.tsx';
import { HoursPage } from './pages/admin/HoursPage.tsx';
import { RetentionPage } from './pages/admin/RetentionPage.tsx';
import { PartnerImportsPage } from './pages/partner/PartnerImportsPage.tsx';
import { PartnerResultsPage } from './pages/partner/PartnerResultsPage.tsx';
import { AssessmentProgressPage, CalibrationListPage, CalibrationPage, EvaluationsPage, MatrixPage, PracticePage, ReviewsPage, ScorecardsPage, ScoringPage } from './features/assessment/index.ts';
import { ApiKeysAdminPage } from './pages/admin/ApiKeysAdminPage.tsx';
import { AuditPage } from './pages/admin/AuditPage.tsx';
import { PartnersPage } from './pages/admin/PartnersPage.tsx';
import { UsersPage } from './pages/admin/UsersPage.tsx';
import { WorkstationsPage } from './pages/admin/WorkstationsPage.tsx';
import { PartnerApiKeysPage } from './pages/partner/PartnerApiKeysPage.tsx';
import { PartnerCampaignsPage } from './pages/partner/PartnerCampaignsPage.tsx';
import { PartnerHomePage } from './pages/partner/PartnerHomePage.tsx';


/**
 * Routes of the supervisor console (served under /supervisor/). Staff pages live in StaffLayout,
 * the partner area in PartnerLayout (its own navigation). Add a page: create it under src/pages/,
 * add a <Route> (wrapped in <RequireRole> when narrower than its layout), a nav entry in the
 * layout, and its strings in src/locales/fr.ts and en.ts.
 */
export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginRoute />} />
      <Route path="/" element={<RequireSession><RoleHome /></RequireSession>} />
      <Route path="/conseiller" element={<RequireSession><WrongConsole /></RequireSession>} />
      <Route element={<RequireSession><RequireRole roles={['admin', 'trainer']} page={false}><StaffLayout /></RequireRole></RequireSession>}>
        <Route path="/plateau" element={<FloorPage />} />
        <Route path="/campagnes" element={<CampaignsPage />} />
        <Route path="/campagnes/:id" element={<CampaignPage />} />
        <Route path="/heures" element={<HoursPage />} />
        <Route path="/evaluations" element={<EvaluationsPage />} />
        <Route path="/evaluations/:id" element={<ScoringPage />} />
        <Route path="/progression" element={<AssessmentProgressPage />} />
        <Route path="/matrice" element={<MatrixPage />} />
        <Route path="/bilans" element={<ReviewsPage />} />
        <Route path="/calibrage" element={<CalibrationListPage />} />
        <Route path="/calibrage/:id" element={<CalibrationPage />} />
        <Route path="/mises-en-situation" element={<PracticePage />} />
        <Route path="/grilles" element={<ScorecardsPage />} />
        <Route path="/admin" element={<RequireRole roles={['admin']} />}>
          <Route index element={<Navigate to="utilisateurs" replace />} />
          <Route path="utilisateurs" element={<UsersPage />} />
          <Route path="postes" element={<WorkstationsPage />} />
          <Route path="partenaires" element={<PartnersPage />} />
          <Route path="cles-api" element={<ApiKeysAdminPage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="blocage" element={<BlocklistPage />} />
          <Route path="conservation" element={<RetentionPage />} />
        </Route>
      </Route>
      <Route path="/partenaire" element={<RequireSession><RequireRole roles={['partner']} page={false}><PartnerLayout /></RequireRole></RequireSession>}>
        <Route index element={<PartnerHomePage />} />
        <Route path="campagnes" element={<PartnerCampaignsPage />} />
        <Route path="imports" element={<PartnerImportsPage />} />
        <Route path="resultats" element={<PartnerResultsPage />} />
        <Route path="cles-api" element={<PartnerApiKeysPage />} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}

function RoleHome() {
  const { session } = useSession();
  return <Navigate to={landingFor(session!.user.role)} replace />;
}

function LoginRoute() {
  const { t } = useTranslation();
  const { status, session } = useSession();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  if (status === 'authenticated' && session) return <Navigate to={from ?? landingFor(session.user.role)} replace />;
  return <LoginScreen consoleName={t('app.consoleName')} onSuccess={(s) => navigate(from ?? landingFor(s.user.role), { replace: true })} />;
}
