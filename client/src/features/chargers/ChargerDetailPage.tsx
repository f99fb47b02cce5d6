import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { paths } from '../../app/paths.ts';
import { graphql } from '../../gql/gql.ts';
import { Badge, StateBadge } from '../../ui/Badge.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { formatDateTime, formatKwh, formatRelative } from '../../ui/format.ts';

const ChargerQuery = graphql(/* GraphQL */ `
  query ChargerDetailPage($id: ID!) {
    charger(id: $id) {
      id
      chargeBoxId
      name
      vendor
      model
      state
      stateChangedAt
      lastHeartbeatAt
      lastSeenAt
      goneAt
      connectors {
        connectorId
        status
        errorCode
        statusAt
        maxPowerKw
      }
      recentReservations {
        id
        connectorNumber
        idTag
        status
        startsAt
        expiresAt
        card {
          id
          publicId
        }
      }
    }
  }
`);

const RecentSessionsQuery = graphql(/* GraphQL */ `
  query ChargerDetailSessions($search: String!) {
    operatorSessions(first: 10, filter: { search: $search }) {
      edges {
        node {
          id
          status
          connectorNumber
          startedAt
          stoppedAt
          energyKwh
          idTag
          card {
            id
            publicId
          }
        }
      }
    }
  }
`);

/** One charger: connectors with their OCPP status and its recent sessions. */
export function ChargerDetailPage() {
  const { chargerId = '' } = useParams();
  const [result] = useQuery({ query: ChargerQuery, variables: { id: chargerId } });
  const charger = result.data?.charger;
  const [sessions] = useQuery({
    query: RecentSessionsQuery,
    variables: { search: charger?.chargeBoxId ?? '' },
    pause: !charger,
  });
  return (
    <>
      <PageHeader
        title={charger?.name ?? 'Charger'}
        documentTitle={pageTitle(charger?.name ?? 'Charger', CONSOLE_NAME)}
        subtitle={<Link to={paths.admin.chargers}>← All chargers</Link>}
      />
      {!result.data && result.fetching && <Spinner block label="Loading the charger…" />}
      {result.error && <ErrorMessage>{result.error.message}</ErrorMessage>}
      {result.data && !charger && <EmptyState title="No such charger" />}
      {charger && (
        <div className="admin-columns">
          <Card title="Charger">
            <dl className="dash-facts">
              <dt>State</dt>
              <dd>
                {charger.goneAt ? (
                  <Badge>Gone from SteVe {formatRelative(charger.goneAt)}</Badge>
                ) : (
                  <StateBadge state={charger.state} />
                )}
              </dd>
              <dt>chargeBoxId</dt>
              <dd className="admin-mono">{charger.chargeBoxId}</dd>
              <dt>Model</dt>
              <dd>{[charger.vendor, charger.model].filter(Boolean).join(' ') || '—'}</dd>
              <dt>Last heartbeat</dt>
              <dd>{formatDateTime(charger.lastHeartbeatAt)}</dd>
              <dt>Last seen by sync</dt>
              <dd>{formatDateTime(charger.lastSeenAt)}</dd>
            </dl>
          </Card>
          <Card title="Connectors">
            <table className="admin-table" aria-label="Connectors">
              <thead>
                <tr>
                  <th>#</th>
                  <th>OCPP status</th>
                  <th>Error</th>
                  <th className="num">kW</th>
                  <th>Since</th>
                </tr>
              </thead>
              <tbody>
                {charger.connectors.map((c) => (
                  <tr key={c.connectorId}>
                    <td>{c.connectorId}</td>
                    <td>{c.status}</td>
                    <td>{c.errorCode && c.errorCode !== 'NoError' ? c.errorCode : '—'}</td>
                    <td className="num">{c.maxPowerKw ?? '—'}</td>
                    <td>{formatRelative(c.statusAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
          <Card title="Reservations">
            {charger.recentReservations.length === 0 ? (
              <EmptyState title="No reservations" compact />
            ) : (
              <table className="admin-table" aria-label="Reservations">
                <thead>
                  <tr>
                    <th>From</th>
                    <th>Until</th>
                    <th>#</th>
                    <th>Card</th>
                    <th>Status</th>
                  </tr>
                </thead>
                <tbody>
                  {charger.recentReservations.map((r) => (
                    <tr key={r.id}>
                      <td>{formatDateTime(r.startsAt)}</td>
                      <td>{formatDateTime(r.expiresAt)}</td>
                      <td>{r.connectorNumber}</td>
                      <td className="admin-mono">{r.card?.publicId ?? r.idTag}</td>
                      <td>{r.status.toLowerCase()}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
          <Card title="Recent sessions">
            {(sessions.data?.operatorSessions.edges.length ?? 0) === 0 ? (
              <EmptyState title="No sessions yet" compact />
            ) : (
              <table className="admin-table" aria-label="Recent sessions">
                <thead>
                  <tr>
                    <th>Started</th>
                    <th>Card</th>
                    <th>#</th>
                    <th className="num">kWh</th>
                    <th>Status</th>
                  </tr>
                </thead>
                <tbody>
                  {sessions.data?.operatorSessions.edges.map(({ node: s }) => (
                    <tr key={s.id}>
                      <td>{formatDateTime(s.startedAt)}</td>
                      <td className="admin-mono">{s.card?.publicId ?? s.idTag}</td>
                      <td>{s.connectorNumber}</td>
                      <td className="num">{formatKwh(s.energyKwh)}</td>
                      <td>{s.status === 'ACTIVE' ? 'Charging' : 'Completed'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        </div>
      )}
    </>
  );
}
