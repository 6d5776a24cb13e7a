import './assessment.css';

/** Assessment feature of the supervisor console: pages to route, and their strings. */
export { EvaluationsPage } from './EvaluationsPage.tsx';
export { ScoringPage } from './ScoringPage.tsx';
export { ProgressPage as AssessmentProgressPage } from './ProgressPage.tsx';
export { MatrixPage } from './MatrixPage.tsx';
export { ReviewsPage } from './ReviewsPage.tsx';
export { CalibrationListPage, CalibrationPage } from './CalibrationPage.tsx';
export { PracticePage } from './PracticePage.tsx';
export { ScorecardsPage } from './ScorecardsPage.tsx';
export { assessmentEn, assessmentFr } from './locales.ts';
