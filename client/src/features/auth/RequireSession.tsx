import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { signInPath } from '../../app/paths.ts';
import { Spinner } from '../../ui/Spinner.tsx';
import { isAdmin } from './roles.ts';
import { ForbiddenPage } from './ForbiddenPage.tsx';
import { useSession } from './useSession.ts';

export interface RequireSessionProps {
  /** `admin`: only operators; everyone else sees a 403 page. */
  role?: 'admin';
  children: ReactNode;
}

/** Renders its children for a signed-in user; sends everyone else to sign-in and back afterwards. */
export function RequireSession({ role, children }: RequireSessionProps) {
  const { state } = useSession();
  const location = useLocation();

  if (state.status === 'loading') {
    return (
      <main className="status-page" id="main">
        <Spinner block size="large" label="Checking your session…" />
      </main>
    );
  }
  if (state.status === 'signed-out') {
    return <Navigate to={signInPath(location.pathname + location.search)} replace />;
  }
  if (role === 'admin' && !isAdmin(state.session.user)) {
    return <ForbiddenPage impersonating={Boolean(state.session.session.impersonatedBy)} />;
  }
  return children;
}
