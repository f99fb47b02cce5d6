import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { resultError } from '../../app/errors.ts';
import { graphql } from '../../gql/gql.ts';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { formatDateTime } from '../../ui/format.ts';

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

const SetProfileMutation = graphql(/* GraphQL */ `
  mutation ChargingProfilesCardSet($chargerId: ID!, $chargingProfileId: Int!, $connectorNumber: Int) {
    setChargingProfile(
      chargerId: $chargerId
      chargingProfileId: $chargingProfileId
      connectorNumber: $connectorNumber
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

const limitFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const hoursFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** SteVe's stored charging profiles: apply one to the charger or a connector, clear it, see the composite schedule. */
export function ChargingProfilesCard(props: {
  chargerId: string;
  connectorIds: number[];
  disabled: boolean;
  onChange: () => void;
}) {
  const [connector, setConnector] = useState(0);
  const [showSchedule, setShowSchedule] = useState(false);
  const [profiles] = useQuery({ query: ProfilesQuery });
  const [schedule, reloadSchedule] = useQuery({
    query: ScheduleQuery,
    variables: { chargerId: props.chargerId, connectorNumber: connector },
    pause: !showSchedule,
    requestPolicy: 'network-only',
  });
  const [set, sendSet] = useMutation(SetProfileMutation);
  const [clear, sendClear] = useMutation(ClearProfileMutation);
  const refusal = [set.data?.setChargingProfile, clear.data?.clearChargingProfile]
    .map((r) => resultError(r))
    .find(Boolean);
  const s = schedule.data?.compositeSchedule;
  const off = props.disabled || set.fetching || clear.fetching;
  return (
    <Card
      title="Charging profiles"
      actions={
        <label>
          <span className="app-muted">Target </span>
          <select
            value={connector}
            onChange={(e) => setConnector(Number(e.target.value))}
            aria-label="Profile target"
          >
            <option value={0}>Whole charger</option>
            {props.connectorIds.map((id) => (
              <option key={id} value={id}>
                Connector {id}
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
                    disabled={off}
                    onClick={() =>
                      void sendSet({
                        chargerId: props.chargerId,
                        chargingProfileId: p.profileId,
                        connectorNumber: connector || null,
                      }).then(props.onChange)
                    }
                  >
                    Apply
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
          Show composite schedule
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
