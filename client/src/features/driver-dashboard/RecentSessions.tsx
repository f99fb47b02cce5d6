import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Badge } from '../../ui/Badge.tsx';
import { formatDateTime, formatDuration, formatKwh } from '../../ui/format.ts';

export const RecentSessionRow_SessionFragment = graphql(/* GraphQL */ `
  fragment RecentSessionRow_Session on ChargingSession {
    id
    status
    startedAt
    energyKwh
    durationSeconds
    charger {
      id
      name
    }
    card {
      publicId
    }
  }
`);

/** One past (or running) session: when, where, how much, how long, which card. */
export function RecentSessionRow(props: { session: FragmentType<typeof RecentSessionRow_SessionFragment> }) {
  const s = useFragment(RecentSessionRow_SessionFragment, props.session);
  return (
    <li className="dd-session" data-testid="recent-session" data-session={s.id}>
      <div className="dd-session__main">
        <span className="dd-session__charger">{s.charger.name}</span>
        <span className="app-muted">
          <time dateTime={s.startedAt}>{formatDateTime(s.startedAt)}</time> ·{' '}
          {formatDuration(s.durationSeconds * 1000)}
          {s.card && <> · card {s.card.publicId}</>}
        </span>
      </div>
      <div className="dd-session__figures">
        <span className="dd-session__kwh">{formatKwh(s.energyKwh)} kWh</span>
        {s.status === 'ACTIVE' && (
          <Badge tone="success" dot>
            Charging
          </Badge>
        )}
      </div>
    </li>
  );
}
