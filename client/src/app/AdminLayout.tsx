import { NavLink, Outlet } from 'react-router';
import { SignOutButton } from '../features/auth/SignOutButton.tsx';
import { useSession } from '../features/auth/useSession.ts';
import { Brand } from './Brand.tsx';
import { CONSOLE_NAME } from './brand.ts';
import { LiveConnectionIndicator } from './LiveConnectionIndicator.tsx';
import { paths } from './paths.ts';
import '../ui/admin.css';

const navItems = [
  { to: paths.admin.dashboard, label: 'Dashboard', end: true },
  { to: paths.admin.chargers, label: 'Chargers' },
  { to: paths.admin.sessions, label: 'Sessions' },
  { to: paths.admin.cards, label: 'EV Cards' },
  { to: paths.admin.drivers, label: 'Drivers' },
  { to: paths.admin.audit, label: 'Audit log' },
  { to: paths.admin.alerts, label: 'Alerts' },
] as const;

/** The operator console: header with live state and account, section navigation, the page. */
export function AdminLayout() {
  const { state } = useSession();
  const user = state.status === 'signed-in' ? state.session.user : null;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Brand name={CONSOLE_NAME} to={paths.admin.dashboard} context="Operator console" />
        <span className="app-header__spacer" />
        <LiveConnectionIndicator />
        {user && (
          <div className="app-header__user">
            <span className="app-header__email" title={user.email}>
              {user.email}
            </span>
            <SignOutButton />
          </div>
        )}
      </header>
      <div className="admin-layout">
        <nav className="admin-nav" aria-label="Operator console">
          <ul className="admin-nav__list">
            {navItems.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={'end' in item && item.end} className="admin-nav__link">
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main className="app-main app-stack" id="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </>
  );
}
