import { Link, useLocation } from 'react-router';
import { buttonClassName } from '../ui/Button.tsx';
import { paths } from './paths.ts';
import { StatusPage } from './StatusPage.tsx';

export function NotFoundPage() {
  const { pathname } = useLocation();
  const inConsole = pathname.startsWith(paths.admin.dashboard);
  return (
    <StatusPage
      code="404"
      title="Page not found"
      actions={
        <Link
          className={buttonClassName('primary')}
          to={inConsole ? paths.admin.dashboard : paths.driverDashboard}
        >
          {inConsole ? 'Back to the console' : 'Back to your dashboard'}
        </Link>
      }
    >
      There is nothing at <code>{pathname}</code>. Check the address, or go back to where you started.
    </StatusPage>
  );
}
