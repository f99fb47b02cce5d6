import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Link } from 'react-router';
import { sessionPath } from '../../app/paths.ts';
import { formatDateTime, formatDuration, formatKwh } from '../../ui/format.ts';
import { formatMoney, PRICE_UNAVAILABLE_TEXT } from './Price.tsx';

export const RecentSessionRow_SessionFragment = graphql(/* GraphQL */ `
  fragment RecentSessionRow_Session on ChargingSession {
    id
    status
    startedAt
    energyKwh
    durationSeconds
    cost {
      amount
      currency
    }
    charger {
      id
      name
    }
    card {
      publicId
    }
  }
`);

/** One past (or running) session: when, where, how much, what it cost, how long, which card. */
export function RecentSessionRow(props: { session: FragmentType<typeof RecentSessionRow_SessionFragment> }) {
  const s = useFragment(RecentSessionRow_SessionFragment, props.session);
  return (
    <li className="dd-session" data-testid="recent-session" data-session={s.id}>
      <div className="dd-session__main">
        <Link className="dd-session__charger" to={sessionPath(s.id)}>
          {s.charger.name}
        </Link>
        <span className="app-muted">
          <time dateTime={s.startedAt}>{formatDateTime(s.startedAt)}</time> ·{' '}
          {formatDuration(s.durationSeconds * 1000)}
          {s.card && <> · card {s.card.publicId}</>}
        </span>
      </div>
      <div className="dd-session__figures">
        <span className="dd-session__kwh">{formatKwh(s.energyKwh)} kWh</span>
        <span className="dd-session__cost" data-testid="session-cost">
          {s.cost ? formatMoney(s.cost.amount, s.cost.currency) : PRICE_UNAVAILABLE_TEXT}
        </span>
        {s.status === 'ACTIVE' && (
          <Badge tone="success" dot>
            Charging
          </Badge>
        )}
      </div>
    </li>
  );
}
