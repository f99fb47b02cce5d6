import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { resultError } from '../../app/errors.ts';
import { graphql } from '../../gql/gql.ts';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { formatDateTime, formatTime } from '../../ui/format.ts';

const ProfilesQuery = graphql(/* GraphQL */ `
  query ChargingProfilesCard {
    chargingProfiles {
      profileId
      description
      purpose
      stackLevel
      chargingRateUnit
    }
  }
`);

const ScheduleQuery = graphql(/* GraphQL */ `
  query ChargingProfilesCardSchedule($chargerId: ID!, $connectorNumber: Int) {
    compositeSchedule(chargerId: $chargerId, connectorNumber: $connectorNumber) {
      status
      reason
      scheduleStart
      chargingRateUnit
      periods {
        startPeriodSeconds
        limit
      }
    }
  }
`);

const RunningSessionsQuery = graphql(/* GraphQL */ `
  query ChargingProfilesCardSessions($chargeBoxId: String!) {
    operatorSessions(first: 10, filter: { charger: $chargeBoxId, status: ACTIVE }) {
      edges {
        node {
          id
          connectorNumber
          startedAt
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

const SetProfileMutation = graphql(/* GraphQL */ `
  mutation ChargingProfilesCardSet(
    $chargerId: ID!
    $chargingProfileId: Int!
    $connectorNumber: Int
    $sessionId: ID
  ) {
    setChargingProfile(
      chargerId: $chargerId
      chargingProfileId: $chargingProfileId
      connectorNumber: $connectorNumber
      sessionId: $sessionId
    ) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

const ClearProfileMutation = graphql(/* GraphQL */ `
  mutation ChargingProfilesCardClear($chargerId: ID!, $chargingProfileId: Int!) {
    clearChargingProfile(chargerId: $chargerId, chargingProfileId: $chargingProfileId) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

/** What a profile is applied to: the whole charger (0), a connector, or a running session. */
type Target = { kind: 'connector'; connectorNumber: number } | { kind: 'session'; sessionId: string };

const targetValue = (t: Target) =>
  t.kind === 'session' ? `session:${t.sessionId}` : `connector:${t.connectorNumber}`;

function parseTarget(value: string): Target {
  const [kind, rest = ''] = value.split(/:(.*)/s);
  return kind === 'session'
    ? { kind: 'session', sessionId: rest }
    : { kind: 'connector', connectorNumber: Number(rest) || 0 };
}

const limitFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const hoursFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/**
 * SteVe's stored charging profiles: apply one to the charger, a connector or a running session
 * (TxProfiles only), clear it, see the composite schedule of the target's connector.
 */
export function ChargingProfilesCard(props: {
  chargerId: string;
  chargeBoxId: string;
  connectorIds: number[];
  disabled: boolean;
  onChange: () => void;
}) {
  const [target, setTarget] = useState<Target>({ kind: 'connector', connectorNumber: 0 });
  const [showSchedule, setShowSchedule] = useState(false);
  const [profiles] = useQuery({ query: ProfilesQuery });
  const [running, reloadRunning] = useQuery({
    query: RunningSessionsQuery,
    variables: { chargeBoxId: props.chargeBoxId },
    requestPolicy: 'cache-and-network',
  });
  const sessions = running.data?.operatorSessions.edges.map((e) => e.node) ?? [];
  const session = target.kind === 'session' ? sessions.find((x) => x.id === target.sessionId) : undefined;
  // A session that has ended since it was picked: back to the whole charger.
  const effective: Target =
    target.kind === 'session' && running.data && !session
      ? { kind: 'connector', connectorNumber: 0 }
      : target;
  const connector =
    effective.kind === 'connector' ? effective.connectorNumber : (session?.connectorNumber ?? 0);
  const [schedule, reloadSchedule] = useQuery({
    query: ScheduleQuery,
    variables: { chargerId: props.chargerId, connectorNumber: connector },
    pause: !showSchedule,
    requestPolicy: 'network-only',
  });
  const [set, sendSet] = useMutation(SetProfileMutation);
  const [clear, sendClear] = useMutation(ClearProfileMutation);
  const refusal = resultError(set.data?.setChargingProfile) ?? resultError(clear.data?.clearChargingProfile);
  const s = schedule.data?.compositeSchedule;
  const off = props.disabled || set.fetching || clear.fetching;
  const apply = (profileId: number) =>
    void sendSet({
      chargerId: props.chargerId,
      chargingProfileId: profileId,
      ...(effective.kind === 'session'
        ? { sessionId: effective.sessionId }
        : { connectorNumber: effective.connectorNumber || null }),
    }).then(() => {
      props.onChange();
      reloadRunning({ requestPolicy: 'network-only' });
      // The schedule on show follows what was just applied.
      if (showSchedule) reloadSchedule({ requestPolicy: 'network-only' });
    });
  return (
    <Card
      title="Charging profiles"
      actions={
        <label>
          <span className="app-muted">Target </span>
          <select
            value={targetValue(effective)}
            onChange={(e) => setTarget(parseTarget(e.target.value))}
            aria-label="Profile target"
          >
            <option value="connector:0">Whole charger</option>
            {props.connectorIds.map((id) => (
              <option key={id} value={`connector:${id}`}>
                Connector {id}
              </option>
            ))}
            {sessions.map((x) => (
              <option key={x.id} value={`session:${x.id}`}>
                Session on connector {x.connectorNumber} ({x.card?.publicId ?? x.idTag}, since{' '}
                {formatTime(x.startedAt)})
              </option>
            ))}
          </select>
        </label>
      }
    >
      {profiles.error && <ErrorMessage compact>{profiles.error.message}</ErrorMessage>}
      {(refusal || set.error || clear.error) && (
        <ErrorMessage compact>{refusal ?? set.error?.message ?? clear.error?.message}</ErrorMessage>
      )}
      {profiles.data?.chargingProfiles.length === 0 && (
        <EmptyState title="No profiles stored in SteVe" compact />
      )}
      {(profiles.data?.chargingProfiles.length ?? 0) > 0 && (
        <table className="admin-table" aria-label="Stored charging profiles">
          <tbody>
            {profiles.data?.chargingProfiles.map((p) => (
              <tr key={p.profileId}>
                <td>
                  {p.description ?? `Profile ${p.profileId}`}
                  <br />
                  <span className="app-muted">
                    {p.purpose} · stack level {p.stackLevel} · {p.chargingRateUnit}
                  </span>
                </td>
                <td className="command-buttons">
                  <Button
                    size="small"
                    disabled={off || (effective.kind === 'session' && p.purpose !== 'TxProfile')}
                    title={
                      effective.kind === 'session' && p.purpose !== 'TxProfile'
                        ? 'Only a TxProfile applies to a running session'
                        : undefined
                    }
                    onClick={() => apply(p.profileId)}
                  >
                    {effective.kind === 'session' ? 'Apply to session' : 'Apply'}
                  </Button>
                  <Button
                    size="small"
                    variant="ghost"
                    disabled={off}
                    onClick={() =>
                      void sendClear({ chargerId: props.chargerId, chargingProfileId: p.profileId }).then(
                        props.onChange,
                      )
                    }
                  >
                    Clear
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <Button
          size="small"
          disabled={props.disabled}
          busy={schedule.fetching}
          onClick={() =>
            showSchedule ? reloadSchedule({ requestPolicy: 'network-only' }) : setShowSchedule(true)
          }
        >
          Show composite schedule ({connector === 0 ? 'whole charger' : `connector ${connector}`})
        </Button>
      </p>
      {showSchedule && !s && schedule.fetching && <Spinner label="Asking the charger…" />}
      {s && s.status !== 'ACCEPTED' && <ErrorMessage compact>{s.reason ?? 'No schedule.'}</ErrorMessage>}
      {s && s.status === 'ACCEPTED' && s.periods.length === 0 && (
        <EmptyState title="No limit: no profile applies" compact />
      )}
      {s && s.periods.length > 0 && (
        <table className="admin-table" aria-label="Composite schedule">
          <thead>
            <tr>
              <th>From {formatDateTime(s.scheduleStart)}</th>
              <th className="num">Limit ({s.chargingRateUnit})</th>
            </tr>
          </thead>
          <tbody>
            {s.periods.map((p) => (
              <tr key={p.startPeriodSeconds}>
                <td>+{hoursFormat.format(p.startPeriodSeconds / 3600)} h</td>
                <td className="num">{limitFormat.format(p.limit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
