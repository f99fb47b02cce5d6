import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';

export function ChargersPage() {
  return (
    <>
      <PageHeader
        title="Chargers"
        documentTitle={pageTitle('Chargers', CONSOLE_NAME)}
        subtitle="Every charge point SteVe knows, with its connectors and state."
      />
      <Card>
        <EmptyState title="No chargers yet">
          Chargers appear here after the next sync run pulls them from SteVe. Register a charge point in SteVe
          to get started.
        </EmptyState>
      </Card>
    </>
  );
}
