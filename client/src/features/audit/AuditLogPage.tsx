import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';

export function AuditLogPage() {
  return (
    <>
      <PageHeader
        title="Audit log"
        documentTitle={pageTitle('Audit log', CONSOLE_NAME)}
        subtitle="Who changed what, and when. Entries are never edited or removed."
      />
      <Card>
        <EmptyState title="No audit events yet">
          Card activations, customer mappings and impersonation are recorded here as they happen.
        </EmptyState>
      </Card>
    </>
  );
}
