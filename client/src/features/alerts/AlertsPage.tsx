import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';

export function AlertsPage() {
  return (
    <>
      <PageHeader
        title="Alerts"
        documentTitle={pageTitle('Alerts', CONSOLE_NAME)}
        subtitle="Problems with chargers, sync runs and billing that need a look."
      />
      <Card>
        <EmptyState title="No alerts">When something needs your attention, it shows up here.</EmptyState>
      </Card>
    </>
  );
}
