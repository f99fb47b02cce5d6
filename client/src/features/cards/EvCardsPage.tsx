import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';

export function EvCardsPage() {
  return (
    <>
      <PageHeader
        title="EV Cards"
        documentTitle={pageTitle('EV Cards', CONSOLE_NAME)}
        subtitle="Cards drivers charge with, and the Lago customer each one bills to."
      />
      <Card>
        <EmptyState title="No EV cards yet">
          Activate a card to let a driver start charging; link it to a Lago customer so its sessions are
          billed.
        </EmptyState>
      </Card>
    </>
  );
}
