import { useState } from 'react';
import { useMutation } from 'urql';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Button } from '../../ui/Button.tsx';
import { formatKw, formatKwh, formatTime } from '../../ui/format.ts';

export const ActiveSessionBanner_SessionFragment = graphql(/* GraphQL */ `
  fragment ActiveSessionBanner_Session on ChargingSession {
    id
    energyKwh
    powerKw
    startedAt
    charger {
      id
      name
    }
  }
`);

const StopChargingMutation = graphql(/* GraphQL */ `
  mutation StopCharging($sessionId: ID!) {
    stopCharging(sessionId: $sessionId) {
      __typename
      ... on StopChargingSuccess {
        session {
          id
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

/**
 * The running session at the top of the dashboard: charger, kWh so far (live from the
 * `activeSession` subscription), start time, power, and Stop.
 */
export function ActiveSessionBanner(props: {
  session: FragmentType<typeof ActiveSessionBanner_SessionFragment>;
  readOnly: boolean;
}) {
  const session = useFragment(ActiveSessionBanner_SessionFragment, props.session);
  const [stop, runStop] = useMutation(StopChargingMutation);
  const [requested, setRequested] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stopping = requested === session.id;

  const onStop = async () => {
    setError(null);
    const result = await runStop({ sessionId: session.id });
    const data = result.data?.stopCharging;
    if (data?.__typename === 'StopChargingSuccess') setRequested(session.id);
    else if (data && 'message' in data) setError(data.message);
    else setError(result.error?.graphQLErrors[0]?.message ?? 'Could not stop the session. Please try again.');
  };

  return (
    <section className="dd-banner" aria-label="Active charging session" data-testid="active-session">
      <div className="dd-banner__figures">
        <p className="dd-banner__title">
          <span className="dd-banner__pulse" aria-hidden="true" />
          Charging
          {session.charger ? (
            <>
              {' '}
              at <strong data-testid="active-charger">{session.charger.name}</strong>
            </>
          ) : null}
        </p>
        <p className="dd-banner__energy">
          <span data-testid="active-kwh">{formatKwh(session.energyKwh)}</span>
          <span className="dd-banner__unit"> kWh</span>
        </p>
        <p className="dd-banner__meta">
          Started <time dateTime={session.startedAt}>{formatTime(session.startedAt)}</time>
          {session.powerKw != null && <> · {formatKw(session.powerKw)} kW</>}
        </p>
      </div>
      <div className="dd-banner__actions">
        <Button
          variant="danger"
          onClick={() => void onStop()}
          busy={stop.fetching}
          disabled={props.readOnly || stopping}
          title={props.readOnly ? 'Impersonation is read-only' : undefined}
        >
          {stopping ? 'Stopping…' : 'Stop'}
        </Button>
        {error && (
          <span role="alert" className="app-inline-error">
            {error}
          </span>
        )}
      </div>
    </section>
  );
}
