import { useEffect, useState } from 'react';
import { useSubscription } from 'urql';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { useLiveConnectionStatus } from '../../app/urql.ts';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { formatKwh, formatRelative, plural } from '../../ui/format.ts';

export const LiveNowSessionFragment = graphql(/* GraphQL */ `
  fragment LiveNowCard_Session on OperatorSession {
    id
    energyKwh
    powerKw
    startedAt
    connectorNumber
    idTag
    charger {
      id
      name
    }
    card {
      id
      publicId
    }
    driver {
      id
      name
      email
    }
  }
`);

const LiveSessionsSubscription = graphql(/* GraphQL */ `
  subscription LiveNowCardLiveSessions {
    liveSessions {
      ...LiveNowCard_Session
    }
  }
`);

/** Running sessions: from the dashboard query first, then from the `liveSessions` subscription. */
export function LiveNowCard({
  sessions: initial,
}: {
  sessions: FragmentType<typeof LiveNowSessionFragment>[];
}) {
  const [live] = useSubscription({ query: LiveSessionsSubscription });
  const sessions = useFragment(LiveNowSessionFragment, live.data?.liveSessions ?? initial);
  const [, tick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => tick((n) => n + 1), 15_000);
    return () => clearInterval(id);
  }, []);
  return (
    <Card
      title="Live now"
      subtitle={sessions.length > 0 ? `${plural(sessions.length, 'active session')}` : 'Active sessions'}
    >
      {sessions.length === 0 ? (
        <LiveNowEmpty />
      ) : (
        <table className="admin-table" aria-label="Active sessions">
          <thead>
            <tr>
              <th>Charger</th>
              <th>Driver / card</th>
              <th className="num">kWh</th>
              <th>Since</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.charger.name} <span className="app-muted">#{s.connectorNumber}</span>
                </td>
                <td>
                  {s.driver?.name ?? s.driver?.email ?? 'Unknown driver'}
                  <br />
                  <span className="app-muted admin-mono">{s.card?.publicId ?? s.idTag}</span>
                </td>
                <td className="num">{formatKwh(s.energyKwh)}</td>
                <td>{formatRelative(s.startedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
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
