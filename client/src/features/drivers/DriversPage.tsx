import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';

export function DriversPage() {
  return (
    <>
      <PageHeader
        title="Drivers"
        documentTitle={pageTitle('Drivers', CONSOLE_NAME)}
        subtitle="The people who charge on your network."
      />
      <Card>
        <EmptyState title="No drivers yet">Drivers appear here once they have an account.</EmptyState>
      </Card>
    </>
  );
}
