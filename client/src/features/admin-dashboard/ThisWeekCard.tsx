import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Card } from '../../ui/Card.tsx';
import { Stat } from '../../ui/Stat.tsx';
import { formatKwh } from '../../ui/format.ts';

export const ThisWeekFragment = graphql(/* GraphQL */ `
  fragment ThisWeekCard_Figures on WeeklyFigures {
    kwhDelivered
    syncRuns
    cardsActivated
    reservationsCompleted
  }
`);

/** The week's figures: the last 7 days. Zeros on day one. */
export function ThisWeekCard(props: { figures: FragmentType<typeof ThisWeekFragment> }) {
  const f = useFragment(ThisWeekFragment, props.figures);
  return (
    <Card title="This week" subtitle="Last 7 days">
      <div className="ui-stat-grid" data-testid="this-week">
        <Stat label="kWh delivered" value={formatKwh(f.kwhDelivered)} unit="kWh" />
        <Stat label="Sync runs" value={f.syncRuns} />
        <Stat label="EV cards activated" value={f.cardsActivated} />
        <Stat label="Reservations completed" value={f.reservationsCompleted} />
      </div>
    </Card>
  );
}
