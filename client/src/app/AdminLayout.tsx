import { useEffect, useId, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { SignOutButton } from '../features/auth/SignOutButton.tsx';
import { useSession } from '../features/auth/useSession.ts';
import { Brand } from './Brand.tsx';
import { CONSOLE_NAME } from './brand.ts';
import { LiveConnectionIndicator } from './LiveConnectionIndicator.tsx';
import { paths } from './paths.ts';
import '../ui/admin.css';

const navItems = [
  { to: paths.admin.dashboard, label: 'Dashboard', end: true },
  { to: paths.admin.insights, label: 'Insights' },
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
  // Phones: the sections are a menu behind a button; it closes once a section is picked.
  const [menuOpen, setMenuOpen] = useState(false);
  const { pathname } = useLocation();
  useEffect(() => setMenuOpen(false), [pathname]);
  const listId = useId();
  const current =
    navItems.find((item) => ('end' in item && item.end ? pathname === item.to : pathname.startsWith(item.to)))
      ?.label ?? 'Sections';
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
        <nav className="admin-nav" aria-label="Operator console" data-open={menuOpen}>
          <button
            type="button"
            className="admin-nav__toggle"
            aria-expanded={menuOpen}
            aria-controls={listId}
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span aria-hidden="true">☰</span> Menu <span className="admin-nav__current">· {current}</span>
          </button>
          <ul className="admin-nav__list" id={listId}>
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
