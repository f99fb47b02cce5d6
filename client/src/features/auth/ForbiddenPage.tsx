import { Link } from 'react-router';
import { StatusPage } from '../../app/StatusPage.tsx';
import { paths } from '../../app/paths.ts';
import { buttonClassName } from '../../ui/Button.tsx';
import { StopImpersonatingButton } from './StopImpersonatingButton.tsx';

/** A signed-in user opened the operator console without the admin role. */
export function ForbiddenPage({ impersonating }: { impersonating: boolean }) {
  return (
    <StatusPage
      code="403"
      title="Operators only"
      actions={
        <>
          <Link
            className={buttonClassName(impersonating ? 'secondary' : 'primary')}
            to={paths.driverDashboard}
          >
            Go to the driver dashboard
          </Link>
          {impersonating && <StopImpersonatingButton variant="primary" />}
        </>
      }
    >
      {impersonating
        ? 'You’re signed in as an admin acting as a customer. Stop impersonating to use the operator console.'
        : 'The operator console needs an admin account. Ask your operator for access if you need it.'}
    </StatusPage>
  );
}
