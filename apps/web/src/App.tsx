import { Suspense, lazy, useCallback, useEffect, useState } from 'react';
import { Link, Navigate, Route, RouterProvider, Routes, createBrowserRouter, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { SiteHeader } from './layout/SiteHeader';
import { SiteNav } from './layout/SiteNav';
import { RequireSection } from './layout/RequireSection';
import { NotFoundPage } from './layout/NotFoundPage';
import { LoginPage } from './login/LoginPage';
import { HomePage } from './home/HomePage';
import { TaskListPage } from './tasks/TaskListPage';
import { RequestPage } from './cases/RequestPage';
import { AuditSearchPage } from './audit/AuditSearchPage';
import { fetchCurrentUser, logout, type CurrentUser } from './session/api';
import { PortalSignInPage } from './portal/PortalSignInPage';
import { PortalHomePage } from './portal/PortalHomePage';
import { PortalNewRequestPage } from './portal/PortalNewRequestPage';
import { PortalRequestPage } from './portal/PortalRequestPage';
import { SurveyLinkPage } from './portal/SurveyLinkPage';
import { QuestionsPage } from './inquiries/QuestionsPage';
import { InquiryTrackPage } from './inquiries/InquiryTrackPage';
import { InquiriesPage } from './inquiries/InquiriesPage';

// The task page carries form-js and bpmn-js: loaded when a task is opened, not with the shell.
const TaskDetailPage = lazy(() => import('./tasks/TaskDetailPage').then((m) => ({ default: m.TaskDetailPage })));
// The managers' dashboard carries chart.js.
const DashboardPage = lazy(() => import('./dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })));
// The auditor's case view carries bpmn-js too.
const CasePage = lazy(() => import('./record/CasePage').then((m) => ({ default: m.CasePage })));
const AuditCasePage = lazy(() => import('./audit/AuditCasePage').then((m) => ({ default: m.AuditCasePage })));
// The process owner's modeler carries camunda-bpmn-js, bpmnlint and form-js's editor.
const ModelerRoutes = lazy(() => import('./modeler/ModelerRoutes').then((m) => ({ default: m.ModelerRoutes })));

type Session =
  | { state: 'checking' }
  | { state: 'unreachable' }
  | { state: 'signed-out' }
  | { state: 'signed-in'; user: CurrentUser };

/**
 * GET /api/me decides: 401 → the sign-in page, whatever the address (after signing in the
 * same address opens); 200 → the page the address names:
 *   /             home
 *   /tasks        task list (filters in the query)
 *   /tasks/:key   one task: its form, its case, the case's diagram
 *   /cases        staff who work cases find one (?q= name, ID number, mobile or application number)
 *   /cases/:id    one case: its open tasks, its record (notes, reasons, decisions, documents, notices), its summary
 *   /cases/new    reception records a request
 *   /audit        auditors find a case (?q= the words searched)
 *   /audit/cases/:id  one case's path on its diagram version, its timeline, exports, the log check
 *   /modeler/*    the process owner's modeler (modeler/ModelerRoutes: edit, drafts, deploy, versions)
 *   /portal       applicants (C7): signed out, sign in with mobile + one-time code; signed in, their requests
 *   /portal/requests/new, /portal/requests/:id   submit a request; follow one, sign it, provide documents, rate the service
 *   /survey/:applicationNumber?token=   the survey notice's one-time link: no session needed
 *   /portal/questions   the published questions and answers (T1) and a form to write to the Society: no session needed
 *   /portal/inquiries/:token   the link of one inquiry: its answer and rating, no session needed
 *   /inquiries    beneficiary relations: record inquiries from any channel, answer them from the reference library
 *   /dashboard    managers: service-quality charts (?from=&to=&bucket= the range)
 * The server answers index.html for every path outside /api, so these work as deep links.
 */
export function App() {
  return <RouterProvider router={router} />;
}

/**
 * A data router with one route around the shell, whose pages keep their own <Routes>: it is what
 * lets a page hold back in-app navigation (useBlocker; the modeler with unsaved edits).
 */
const router = createBrowserRouter([{ path: '*', element: <AppShell /> }]);

function AppShell() {
  const { t } = useTranslation();
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [signingOut, setSigningOut] = useState(false);
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const inPortal = pathname === '/portal' || pathname.startsWith('/portal/');

  const checkSession = useCallback(async () => {
    setSession({ state: 'checking' });
    try {
      const user = await fetchCurrentUser();
      setSession(user ? { state: 'signed-in', user } : { state: 'signed-out' });
    } catch {
      setSession({ state: 'unreachable' });
    }
  }, []);

  useEffect(() => {
    void checkSession();
  }, [checkSession]);

  const handleSignedIn = useCallback((user: CurrentUser) => setSession({ state: 'signed-in', user }), []);

  const handleLogout = useCallback(async () => {
    setSigningOut(true);
    try {
      await logout();
    } catch {
      // Whatever the server said, ask it again who we are rather than guess.
    } finally {
      setSigningOut(false);
    }
    // Whoever signs in next (a shared desk) starts from the home page, not the last person's page.
    navigate(inPortal ? '/portal' : '/', { replace: true });
    await checkSession();
  }, [checkSession, navigate, inPortal]);

  const user = session.state === 'signed-in' ? session.user : null;
  const loading = (
    <p className="status" role="status" aria-live="polite">
      {t('app.loading')}
    </p>
  );

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <SiteHeader user={user} signingOut={signingOut} onLogout={handleLogout} />
      {user && <SiteNav roles={user.roles} />}
      <main id="main" className="page" tabIndex={-1}>
        {session.state === 'checking' && loading}
        {session.state === 'unreachable' && (
          <div className="card status-card" role="alert">
            <p>{t('app.sessionError')}</p>
            <button type="button" className="button button-primary" onClick={() => void checkSession()}>
              {t('app.retry')}
            </button>
          </div>
        )}
        {pathname.startsWith('/survey/') ? (
          <SurveyLinkPage />
        ) : pathname === '/portal/questions' ? (
          <QuestionsPage />
        ) : pathname.startsWith('/portal/inquiries/') ? (
          <InquiryTrackPage />
        ) : (
          <>
        {session.state === 'signed-out' && (inPortal ? <PortalSignInPage onSignedIn={handleSignedIn} /> : <LoginPage onSignedIn={handleSignedIn} />)}
        {session.state === 'signed-out' && (
          <p className="sign-in-switch">
            <Link to={inPortal ? '/' : '/portal'}>{t(inPortal ? 'portal.staffLink' : 'portal.applicantLink')}</Link>
            {inPortal && (
              <>
                {' · '}
                <Link to="/portal/questions">{t('questions.heading')}</Link>
              </>
            )}
          </p>
        )}
        {user && (
          <Suspense fallback={loading}>
            <Routes>
              <Route path="/" element={isApplicantOnly(user) ? <Navigate to="/portal" replace /> : <HomePage user={user} />} />
              <Route path="/portal" element={user.roles.includes('applicant') ? <PortalHomePage /> : <NotFoundPage />} />
              <Route path="/portal/requests/new" element={user.roles.includes('applicant') ? <PortalNewRequestPage /> : <NotFoundPage />} />
              <Route path="/portal/requests/:id" element={user.roles.includes('applicant') ? <PortalRequestPage /> : <NotFoundPage />} />
              <Route
                path="/tasks"
                element={
                  <RequireSection section="tasks" roles={user.roles}>
                    <TaskListPage user={user} />
                  </RequireSection>
                }
              />
              <Route
                path="/tasks/:key"
                element={
                  <RequireSection section="tasks" roles={user.roles}>
                    <TaskDetailPage user={user} />
                  </RequireSection>
                }
              />
              <Route
                path="/cases/new"
                element={
                  <RequireSection section="new-request" roles={user.roles}>
                    <RequestPage />
                  </RequireSection>
                }
              />
              <Route
                path="/cases"
                element={
                  <RequireSection section="cases" roles={user.roles}>
                    <AuditSearchPage key="cases" purpose="work" />
                  </RequireSection>
                }
              />
              <Route
                path="/cases/:id"
                element={
                  <RequireSection section="cases" roles={user.roles}>
                    <CasePage />
                  </RequireSection>
                }
              />
              <Route
                path="/inquiries"
                element={
                  <RequireSection section="inquiries" roles={user.roles}>
                    <InquiriesPage />
                  </RequireSection>
                }
              />
              <Route
                path="/audit"
                element={
                  <RequireSection section="audit" roles={user.roles}>
                    <AuditSearchPage key="audit" />
                  </RequireSection>
                }
              />
              <Route
                path="/audit/cases/:id"
                element={
                  <RequireSection section="audit" roles={user.roles}>
                    <AuditCasePage />
                  </RequireSection>
                }
              />
              <Route
                path="/modeler/*"
                element={
                  <RequireSection section="modeler" roles={user.roles}>
                    <ModelerRoutes />
                  </RequireSection>
                }
              />
              <Route
                path="/dashboard"
                element={
                  <RequireSection section="dashboard" roles={user.roles}>
                    <DashboardPage />
                  </RequireSection>
                }
              />
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </Suspense>
        )}
          </>
        )}
      </main>
    </>
  );
}

/** Applicants have only the portal: their home is their requests. */
function isApplicantOnly(user: CurrentUser): boolean {
  return user.roles.length > 0 && user.roles.every((r) => r === 'applicant');
}
