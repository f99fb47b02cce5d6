import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
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
import { ChargingProfilesCard } from './ChargingProfilesCard.tsx';
import { CommandPanel } from './CommandPanel.tsx';
import { ConfigurationCard } from './ConfigurationCard.tsx';
import { isFixKind, OneClickFix } from './OneClickFix.tsx';
import { StatusTimeline } from './StatusTimeline.tsx';
import './workbench.css';

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
        errorInfo
        statusAt
        maxPowerKw
      }
      statusTimeline(days: 7) {
        connectorId
        status
        errorCode
        from
        to
      }
      uptime {
        connectorId
        last7Days
        last30Days
      }
      recentFaults {
        id
        connectorId
        errorCode
        errorInfo
        at
        suggestedCommand
      }
      recentCommands {
        id
        ...CommandRow_Command
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

const ChargerStateSubscription = graphql(/* GraphQL */ `
  subscription ChargerDetailStateChanged {
    chargerStateChanged {
      id
      state
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

/**
 * One charger, the operator's workbench: connectors with status, error and since when, the 7-day
 * status timeline with uptime, recent faults with their one-click fix, the command panel with live
 * outcomes, configuration keys, charging profiles, reservations and recent sessions.
 */
export function ChargerDetailPage() {
  const { chargerId = '' } = useParams();
  const [result, refetch] = useQuery({ query: ChargerQuery, variables: { id: chargerId } });
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  const charger = result.data?.charger;
  // The state moves (a reset takes it offline, then back): reload when this charger changes.
  const [changed] = useSubscription({ query: ChargerStateSubscription });
  const changedId = changed.data?.chargerStateChanged.id;
  const changedState = changed.data?.chargerStateChanged.state;
  useEffect(() => {
    if (changedId === chargerId) reload();
  }, [changedId, changedState, chargerId, reload]);
  // "Now" for the timeline, refreshed with every load.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [result.data]);
  const [sessions] = useQuery({
    query: RecentSessionsQuery,
    variables: { search: charger?.chargeBoxId ?? '' },
    pause: !charger,
  });
  return (
    <div className="workbench">
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
                  <th>Info</th>
                  <th className="num">kW</th>
                  <th>Since</th>
                </tr>
              </thead>
              <tbody>
                {charger.connectors.map((c) => (
                  <tr key={c.connectorId} data-connector={c.connectorId} data-status={c.status ?? ''}>
                    <td>{c.connectorId}</td>
                    <td>{c.status}</td>
                    <td>{c.errorCode && c.errorCode !== 'NoError' ? c.errorCode : '—'}</td>
                    <td>{c.errorInfo ?? '—'}</td>
                    <td className="num">{c.maxPowerKw ?? '—'}</td>
                    <td>{formatRelative(c.statusAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
          <CommandPanel
            chargerId={charger.id}
            connectors={charger.connectors.map((c) => ({ connectorId: c.connectorId, status: c.status }))}
            commands={charger.recentCommands}
            disabled={!!charger.goneAt}
            onChange={reload}
          />
          <StatusTimeline segments={charger.statusTimeline} uptime={charger.uptime} now={now} />
          <Card title="Recent faults">
            {charger.recentFaults.length === 0 ? (
              <EmptyState title="No faults reported" compact />
            ) : (
              <table className="admin-table" aria-label="Recent faults">
                <thead>
                  <tr>
                    <th>When</th>
                    <th>#</th>
                    <th>Error</th>
                    <th>Usual fix</th>
                  </tr>
                </thead>
                <tbody>
                  {charger.recentFaults.map((f) => (
                    <tr key={f.id}>
                      <td>{formatDateTime(f.at)}</td>
                      <td>{f.connectorId}</td>
                      <td>
                        {f.errorCode ?? 'Unspecified'}
                        {f.errorInfo ? <span className="app-muted"> — {f.errorInfo}</span> : null}
                      </td>
                      <td>
                        {isFixKind(f.suggestedCommand) && (
                          <OneClickFix
                            chargerId={charger.id}
                            kind={f.suggestedCommand}
                            connectorNumber={f.connectorId}
                            disabled={!!charger.goneAt}
                            onSent={reload}
                          />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
          <ConfigurationCard chargerId={charger.id} disabled={!!charger.goneAt} onChange={reload} />
          <ChargingProfilesCard
            chargerId={charger.id}
            chargeBoxId={charger.chargeBoxId}
            connectorIds={charger.connectors.map((c) => c.connectorId)}
            disabled={!!charger.goneAt}
            onChange={reload}
          />
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
    </div>
  );
}
