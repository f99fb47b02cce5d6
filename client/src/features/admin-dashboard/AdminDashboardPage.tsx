import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useLiveConnectionStatus } from '../../app/urql.ts';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { Stat } from '../../ui/Stat.tsx';

/** The operator's daily check-in at `/admin`: Live now, Sync schedule, Health and This week. */
export function AdminDashboardPage() {
  return (
    <>
      <PageHeader
        title="Dashboard"
        documentTitle={pageTitle('Dashboard', CONSOLE_NAME)}
        subtitle="Live sessions, sync runs, fleet health and the week’s figures."
      />
      <div className="app-grid">
        <Card title="Live now">
          <LiveNowEmpty />
        </Card>
        <Card title="Sync schedule">
          <EmptyState title="No sync runs yet">
            The Adaptive Cadence tier and the next scheduled sync run appear here.
          </EmptyState>
        </Card>
        <Card title="Health">
          <EmptyState title="No health warnings">
            Operational warnings roll up here. A green, empty card on a fresh deployment is expected.
          </EmptyState>
        </Card>
        <Card title="This week" subtitle="Last 7 days">
          <div className="ui-stat-grid">
            <Stat label="kWh delivered" value={null} unit="kWh" />
            <Stat label="Sync runs" value={null} />
            <Stat label="EV cards activated" value={null} />
            <Stat label="Reservations completed" value={null} />
          </div>
        </Card>
      </div>
    </>
  );
}

/** Empty "Live now": says whether the live socket is up, so empty means "connected and waiting". */
function LiveNowEmpty() {
  const status = useLiveConnectionStatus();
  if (status === 'connecting') return <Spinner block label="Connecting to live updates…" />;
  if (status === 'reconnecting') {
    return (
      <EmptyState title="Reconnecting to live updates…">
        The connection to the server dropped. Live sessions resume here as soon as it is back.
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No one is charging right now">
      {status === 'connected'
        ? 'Connected and waiting: sessions appear here the moment they start.'
        : 'Active sessions appear here the moment they start.'}
    </EmptyState>
  );
}
