import { Outlet } from 'react-router';
import { SignOutButton } from '../features/auth/SignOutButton.tsx';
import { StopImpersonatingButton } from '../features/auth/StopImpersonatingButton.tsx';
import { useSession } from '../features/auth/useSession.ts';
import { Brand } from './Brand.tsx';
import { PRODUCT_NAME } from './brand.ts';
import { paths } from './paths.ts';

/** The driver's app: header, the impersonation notice when an admin views as this driver, the page. */
export function DriverLayout() {
  const { state } = useSession();
  const session = state.status === 'signed-in' ? state.session : null;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Brand name={PRODUCT_NAME} to={paths.driverDashboard} />
        <span className="app-header__spacer" />
        {session && (
          <div className="app-header__user">
            <span className="app-header__email" title={session.user.email}>
              {session.user.name || session.user.email}
            </span>
            <SignOutButton />
          </div>
        )}
      </header>
      <main className="app-main app-stack" id="main" tabIndex={-1}>
        {session?.session.impersonatedBy && (
          <div className="app-banner app-banner--warning" role="status">
            <p>
              <span className="app-banner__title">
                You’re signed in as an admin acting as a customer ({session.user.email}).
              </span>{' '}
              Impersonation is read-only.
            </p>
            <StopImpersonatingButton />
          </div>
        )}
        <Outlet />
      </main>
    </>
  );
}
