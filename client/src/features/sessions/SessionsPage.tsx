import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';

export function SessionsPage() {
  return (
    <>
      <PageHeader
        title="Sessions"
        documentTitle={pageTitle('Sessions', CONSOLE_NAME)}
        subtitle="Charging sessions, live and completed."
      />
      <Card>
        <EmptyState title="No charging sessions yet">
          A session appears here once a driver starts charging and the first meter reading syncs.
        </EmptyState>
      </Card>
    </>
  );
}
