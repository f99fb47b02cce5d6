import { useEffect, useState } from 'react';
import { useMutation } from 'urql';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Button } from '../../ui/Button.tsx';
import { formatElapsed, formatKw, formatKwh, formatTime } from '../../ui/format.ts';
import { formatMoney, PRICE_UNAVAILABLE_TEXT } from './Price.tsx';

export const ActiveSessionBanner_SessionFragment = graphql(/* GraphQL */ `
  fragment ActiveSessionBanner_Session on ChargingSession {
    id
    energyKwh
    powerKw
    startedAt
    cost {
      amount
      currency
    }
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

/** Seconds since `iso`, ticking once a second. */
function useElapsedSeconds(iso: string): number {
  const since = new Date(iso).getTime();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, Math.floor((now - since) / 1000));
}

/**
 * The running session at the top of the dashboard: charger, kWh and cost so far (live from the
 * `activeSession` subscription: every pushed meter value), power, elapsed time ticking, and Stop
 * behind a confirmation.
 */
export function ActiveSessionBanner(props: {
  session: FragmentType<typeof ActiveSessionBanner_SessionFragment>;
  readOnly: boolean;
}) {
  const session = useFragment(ActiveSessionBanner_SessionFragment, props.session);
  const [stop, runStop] = useMutation(StopChargingMutation);
  const [requested, setRequested] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const stopping = requested === session.id;
  const elapsed = useElapsedSeconds(session.startedAt);

  const onStop = async () => {
    setConfirming(false);
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
          <span className="dd-banner__cost" data-testid="active-cost">
            {session.cost ? formatMoney(session.cost.amount, session.cost.currency) : PRICE_UNAVAILABLE_TEXT}
          </span>
        </p>
        <p className="dd-banner__meta">
          <span data-testid="active-power">
            {session.powerKw != null ? `${formatKw(session.powerKw)} kW` : '– kW'}
          </span>
          {' · '}
          <span data-testid="active-elapsed" aria-label="Elapsed time">
            {formatElapsed(elapsed)}
          </span>
          {' · '}
          Started <time dateTime={session.startedAt}>{formatTime(session.startedAt)}</time>
        </p>
      </div>
      <div className="dd-banner__actions">
        {confirming ? (
          <div className="dd-banner__confirm" role="group" aria-label="Stop charging?">
            <span>Stop charging now?</span>
            <Button variant="danger" onClick={() => void onStop()} busy={stop.fetching}>
              Yes, stop
            </Button>
            <Button variant="ghost" onClick={() => setConfirming(false)}>
              Keep charging
            </Button>
          </div>
        ) : (
          <Button
            variant="danger"
            onClick={() => setConfirming(true)}
            busy={stop.fetching}
            disabled={props.readOnly || stopping}
            title={props.readOnly ? 'Impersonation is read-only' : undefined}
          >
            {stopping ? 'Stopping…' : 'Stop'}
          </Button>
        )}
        {error && (
          <span role="alert" className="app-inline-error">
            {error}
          </span>
        )}
      </div>
    </section>
  );
}
