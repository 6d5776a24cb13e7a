import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LoginScreen } from '@kit/LoginScreen.tsx';
import { RequireSession } from '@kit/RequireSession.tsx';
import { useSession } from '@kit/session.tsx';
import { landingFor, RequireRole } from './components/RequireRole.tsx';
import { PartnerLayout } from './layouts/PartnerLayout.tsx';
import { StaffLayout } from './layouts/StaffLayout.tsx';
import { WrongConsole } from './layouts/WrongConsole.tsx';
import { lazyPage } from './components/lazyPage.ts';

// Every page is its own chunk: the first load is the shell, the floor fetches only what it needs.
const FloorPage = lazyPage(() => import('./floor/FloorPage.tsx'), 'FloorPage');
const CampaignPage = lazyPage(() => import('./pages/campaigns/CampaignPage.tsx'), 'CampaignPage');
const CampaignsPage = lazyPage(() => import('./pages/campaigns/CampaignsPage.tsx'), 'CampaignsPage');
const BlocklistPage = lazyPage(() => import('./pages/admin/BlocklistPage.tsx'), 'BlocklistPage');
const HoursPage = lazyPage(() => import('./pages/admin/HoursPage.tsx'), 'HoursPage');
const RetentionPage = lazyPage(() => import('./pages/admin/RetentionPage.tsx'), 'RetentionPage');
const ApiKeysAdminPage = lazyPage(() => import('./pages/admin/ApiKeysAdminPage.tsx'), 'ApiKeysAdminPage');
const AuditPage = lazyPage(() => import('./pages/admin/AuditPage.tsx'), 'AuditPage');
const PartnersPage = lazyPage(() => import('./pages/admin/PartnersPage.tsx'), 'PartnersPage');
const UsersPage = lazyPage(() => import('./pages/admin/UsersPage.tsx'), 'UsersPage');
const WorkstationsPage = lazyPage(() => import('./pages/admin/WorkstationsPage.tsx'), 'WorkstationsPage');
const TeamsPage = lazyPage(() => import('./pages/admin/TeamsPage.tsx'), 'TeamsPage');
const PartnerImportsPage = lazyPage(() => import('./pages/partner/PartnerImportsPage.tsx'), 'PartnerImportsPage');
const PartnerResultsPage = lazyPage(() => import('./pages/partner/PartnerResultsPage.tsx'), 'PartnerResultsPage');
const PartnerApiKeysPage = lazyPage(() => import('./pages/partner/PartnerApiKeysPage.tsx'), 'PartnerApiKeysPage');
const PartnerCampaignsPage = lazyPage(() => import('./pages/partner/PartnerCampaignsPage.tsx'), 'PartnerCampaignsPage');
const PartnerHomePage = lazyPage(() => import('./pages/partner/PartnerHomePage.tsx'), 'PartnerHomePage');
const assessment = () => import('./features/assessment/index.ts');
const EvaluationsPage = lazyPage(assessment, 'EvaluationsPage');
const ScoringPage = lazyPage(assessment, 'ScoringPage');
const AssessmentProgressPage = lazyPage(assessment, 'AssessmentProgressPage');
const MatrixPage = lazyPage(assessment, 'MatrixPage');
const ReviewsPage = lazyPage(assessment, 'ReviewsPage');
const CalibrationListPage = lazyPage(assessment, 'CalibrationListPage');
const CalibrationPage = lazyPage(assessment, 'CalibrationPage');
const PracticePage = lazyPage(assessment, 'PracticePage');
const ScorecardsPage = lazyPage(assessment, 'ScorecardsPage');

/**
 * Routes of the supervisor console (served under /supervisor/). Staff pages live in StaffLayout,
 * the partner area in PartnerLayout (its own navigation). Add a page: create it under src/pages/,
 * add a lazyPage() and a <Route> (wrapped in <RequireRole> when narrower than its layout), a nav entry in the
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
          <Route path="groupes" element={<TeamsPage />} />
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
