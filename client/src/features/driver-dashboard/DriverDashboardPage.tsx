import { pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useSession } from '../auth/useSession.ts';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { Stat } from '../../ui/Stat.tsx';

/** The driver's home at `/`: chargers, recent sessions and usage (the active-session banner goes above). */
export function DriverDashboardPage() {
  const { state } = useSession();
  const name = state.status === 'signed-in' ? state.session.user.name : '';
  return (
    <>
      <PageHeader
        title={name ? `Hello, ${name.split(' ')[0]}` : 'Your dashboard'}
        documentTitle={pageTitle('Dashboard')}
        subtitle="Your chargers, recent sessions and usage."
      />
      <div className="app-grid">
        <Card title="Chargers">
          <EmptyState title="No chargers to show yet">
            Chargers appear here with their state: online, in use, reserved or offline. You can start a
            session on a charger that is online.
          </EmptyState>
        </Card>
        <Card title="Recent sessions">
          <EmptyState title="No sessions yet">
            A session shows up here once its first meter reading syncs.
          </EmptyState>
        </Card>
        <Card title="Usage" subtitle="This month">
          <div className="ui-stat-grid">
            <Stat label="Energy" value={null} unit="kWh" />
            <Stat label="Sessions" value={null} />
          </div>
        </Card>
      </div>
    </>
  );
}
