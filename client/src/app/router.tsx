import { createBrowserRouter, type RouteObject } from 'react-router';
import { AdminDashboardPage } from '../features/admin-dashboard/AdminDashboardPage.tsx';
import { AlertsPage } from '../features/alerts/AlertsPage.tsx';
import { ApiDocsPage } from '../features/api-docs/ApiDocsPage.tsx';
import { AuditLogPage } from '../features/audit/AuditLogPage.tsx';
import { RequireSession } from '../features/auth/RequireSession.tsx';
import { SignInPage } from '../features/auth/SignInPage.tsx';
import { EvCardsPage } from '../features/cards/EvCardsPage.tsx';
import { EvCardDetailPage } from '../features/cards/EvCardDetailPage.tsx';
import { ChargersPage } from '../features/chargers/ChargersPage.tsx';
import { ChargerDetailPage } from '../features/chargers/ChargerDetailPage.tsx';
import { DriverDashboardPage } from '../features/driver-dashboard/DriverDashboardPage.tsx';
import { DriversPage } from '../features/drivers/DriversPage.tsx';
import { InsightsPage } from '../features/insights/InsightsPage.tsx';
import { SessionsPage } from '../features/sessions/SessionsPage.tsx';
import { AdminLayout } from './AdminLayout.tsx';
import { DriverLayout } from './DriverLayout.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { paths } from './paths.ts';
import { RootLayout } from './RootLayout.tsx';
import { RouteErrorPage } from './RouteErrorPage.tsx';

const admin = (path: string) => path.slice(paths.admin.dashboard.length + 1);

export const routes: RouteObject[] = [
  {
    element: <RootLayout />,
    errorElement: <RouteErrorPage />,
    children: [
      { path: paths.signIn, element: <SignInPage /> },
      { path: paths.apiDocs, element: <ApiDocsPage /> },
      {
        path: paths.driverDashboard,
        element: (
          <RequireSession>
            <DriverLayout />
          </RequireSession>
        ),
        children: [{ index: true, element: <DriverDashboardPage /> }],
      },
      {
        path: paths.admin.dashboard,
        element: (
          <RequireSession role="admin">
            <AdminLayout />
          </RequireSession>
        ),
        children: [
          { index: true, element: <AdminDashboardPage /> },
          { path: admin(paths.admin.insights), element: <InsightsPage /> },
          { path: admin(paths.admin.chargers), element: <ChargersPage /> },
          { path: admin(paths.admin.sessions), element: <SessionsPage /> },
          { path: admin(paths.admin.cards), element: <EvCardsPage /> },
          { path: `${admin(paths.admin.cards)}/:publicId`, element: <EvCardDetailPage /> },
          { path: `${admin(paths.admin.chargers)}/:chargerId`, element: <ChargerDetailPage /> },
          { path: admin(paths.admin.drivers), element: <DriversPage /> },
          { path: admin(paths.admin.audit), element: <AuditLogPage /> },
          { path: admin(paths.admin.alerts), element: <AlertsPage /> },
          // Unknown console pages keep the console around them.
          { path: '*', element: <NotFoundPage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

/** The browser router for the app (tests build a memory router from `routes`). */
export function createAppRouter() {
  return createBrowserRouter(routes);
}
