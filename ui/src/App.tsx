import { useEffect, useState } from 'react';
import { SIGN_IN_NEEDED } from './api/client.js';
import { SignInPage } from './auth/SignInPage.js';
import type { ReactNode } from 'react';
import { Link, matchPath, useLocation } from './router.js';
import { ExperimentsPage } from './pages/ExperimentsPage.js';
import { RunsPage } from './pages/RunsPage.js';
import { RunPage } from './pages/RunPage.js';
import { ComparePage } from './pages/ComparePage.js';
import { ModelsPage } from './pages/ModelsPage.js';
import { ModelPage } from './pages/ModelPage.js';
import { DeploymentsPage } from './deployments/DeploymentsPage.js';
import { DeploymentPage } from './deployments/DeploymentPage.js';
import { dataPage } from './datasets/routes.js';
import { MonitorsPage } from './monitors/MonitorsPage.js';
import { AuditPage } from './audit/AuditPage.js';
import { MonitorPage } from './monitors/MonitorPage.js';

/** Picks the page for the current path. */
function routePage(pathname: string, search: URLSearchParams): ReactNode {
  if (pathname === '/' || pathname === '/experiments') return <ExperimentsPage />;
  const experiment = matchPath('/experiments/:experimentId', pathname);
  if (experiment) return <RunsPage experimentId={experiment.experimentId ?? ''} />;
  const run = matchPath('/runs/:runId', pathname);
  if (run) return <RunPage runId={run.runId ?? ''} />;
  if (pathname === '/compare') {
    const runIds = (search.get('runs') ?? '').split(',').filter(Boolean);
    return <ComparePage runIds={runIds} experimentId={search.get('experiment') ?? undefined} />;
  }
  if (pathname === '/models') return <ModelsPage />;
  const model = matchPath('/models/:name', pathname);
  if (model) return <ModelPage name={model.name ?? ''} />;
  if (pathname === '/deployments') return <DeploymentsPage />;
  const deployment = matchPath('/deployments/:name', pathname);
  if (deployment) return <DeploymentPage name={deployment.name ?? ''} />;
  if (pathname === '/monitors') return <MonitorsPage />;
  if (pathname === '/audit') return <AuditPage />;
  const monitor = matchPath('/monitors/:name', pathname);
  if (monitor) return <MonitorPage name={monitor.name ?? ''} />;
  const data = dataPage(pathname, search);
  if (data) return data;
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        Nothing lives at <code>{pathname}</code>. <Link to="/">Back to experiments</Link>
      </p>
    </div>
  );
}

/** True once any request was answered 401: authentication is on and nobody is signed in. */
function useSignInNeeded(): [boolean, () => void] {
  const [needed, setNeeded] = useState(false);
  useEffect(() => {
    const listener = (): void => setNeeded(true);
    window.addEventListener(SIGN_IN_NEEDED, listener);
    return () => window.removeEventListener(SIGN_IN_NEEDED, listener);
  }, []);
  // After signing in, reload so every page's data is fetched again with the new session.
  return [needed, () => window.location.reload()];
}

/** The nav's sections; Experiments is also home, so it is active wherever no other section is. */
const SECTIONS: readonly { path: string; label: string }[] = [
  { path: '/experiments', label: 'Experiments' },
  { path: '/models', label: 'Models' },
  { path: '/datasets', label: 'Datasets' },
  { path: '/lineage', label: 'Lineage' },
  { path: '/deployments', label: 'Deployments' },
  { path: '/monitors', label: 'Monitors' },
  { path: '/audit', label: 'Audit' },
];

/** The application shell: navigation bar plus the routed page (or the sign-in page). */
export function App() {
  const { pathname, search } = useLocation();
  const [signInNeeded, signedIn] = useSignInNeeded();
  const current = SECTIONS.find((s) => pathname.startsWith(s.path))?.path ?? '/experiments';
  return (
    <>
      <header className="nav">
        <Link to="/" className="brand">
          cairn
        </Link>
        <nav>
          {SECTIONS.map((s) => (
            <Link key={s.path} to={s.path} className={s.path === current ? 'active' : ''}>
              {s.label}
            </Link>
          ))}
        </nav>
      </header>
      <main>{signInNeeded ? <SignInPage onSignedIn={signedIn} /> : routePage(pathname, search)}</main>
    </>
  );
}
