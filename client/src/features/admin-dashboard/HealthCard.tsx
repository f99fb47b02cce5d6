import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { resultError } from '../../app/errors.ts';
import { useFragment } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { formatTime } from './format.ts';

/** Product default: the Health card re-checks every 30 seconds. */
export const HEALTH_INTERVAL_MS = 30_000;

declare global {
  interface Window {
    /** Overrides the Health card's re-check interval (tests shorten it). */
    __EXPRESSCHARGE_HEALTH_INTERVAL_MS__?: number;
  }
}

/** The re-check interval: `?healthInterval=<ms>` or `window.__EXPRESSCHARGE_HEALTH_INTERVAL_MS__`, else 30 s. */
export function healthIntervalMs(): number {
  const fromQuery = Number(new URLSearchParams(window.location.search).get('healthInterval'));
  if (Number.isFinite(fromQuery) && fromQuery >= 500) return fromQuery;
  const fromWindow = window.__EXPRESSCHARGE_HEALTH_INTERVAL_MS__;
  if (typeof fromWindow === 'number' && fromWindow >= 500) return fromWindow;
  return HEALTH_INTERVAL_MS;
}

const HealthFragment = graphql(/* GraphQL */ `
  fragment HealthCard_Health on OperatorHealth {
    checkedAt
    healthy
    warnings {
      source
      code
      severity
      message
      count
    }
  }
`);

const HealthQuery = graphql(/* GraphQL */ `
  query HealthCard {
    operatorHealth {
      ...HealthCard_Health
    }
    serverInfo {
      lagoMode
    }
  }
`);

const SetLagoSandboxFaultMutation = graphql(/* GraphQL */ `
  mutation HealthCardSetLagoSandboxFault($down: Boolean!) {
    setLagoSandboxFault(down: $down) {
      __typename
      ... on MutationSetLagoSandboxFaultSuccess {
        data {
          down
          pendingEvents
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

/** Demo/rehearsal only (embedded Lago sandbox): cut the network to Lago off and bring it back. */
function LagoSandboxSwitch({ onChanged }: { onChanged: () => void }) {
  const [result, setFault] = useMutation(SetLagoSandboxFaultMutation);
  const [status, setStatus] = useState<{ down: boolean; pendingEvents: number } | null>(null);
  const run = async (down: boolean) => {
    const res = await setFault({ down });
    const outcome = res.data?.setLagoSandboxFault;
    if (outcome?.__typename === 'MutationSetLagoSandboxFaultSuccess') setStatus(outcome.data);
    onChanged();
  };
  const outcome = result.data?.setLagoSandboxFault;
  return (
    <div className="dash-sandbox-switch" data-testid="lago-sandbox-switch" data-down={status?.down ?? ''}>
      {status && (
        <p className="app-muted">
          Lago sandbox {status.down ? 'down' : 'up'}: {status.pendingEvents} usage events waiting
        </p>
      )}
      <Button size="small" variant="danger" busy={result.fetching} onClick={() => void run(true)}>
        Cut off Lago sandbox
      </Button>
      <Button size="small" busy={result.fetching} onClick={() => void run(false)}>
        Restore Lago sandbox
      </Button>
      {result.error && <ErrorMessage compact>{result.error.message}</ErrorMessage>}
      {resultError(outcome) && <ErrorMessage compact>{resultError(outcome)}</ErrorMessage>}
    </div>
  );
}

const sourceLabels: Record<string, string> = { SYNC: 'Sync', BILLING: 'Billing', CARDS: 'EV cards' };

/** Rolled-up warnings, re-checked on its own cycle. Green and empty when all is well. */
export function HealthCard() {
  const intervalMs = healthIntervalMs();
  const [result, recheck] = useQuery({ query: HealthQuery, requestPolicy: 'network-only' });
  useEffect(() => {
    const id = setInterval(() => recheck({ requestPolicy: 'network-only' }), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs, recheck]);
  const health = useFragment(HealthFragment, result.data?.operatorHealth ?? null);

  return (
    <Card
      title="Health"
      subtitle={`Re-checked every ${Math.round(intervalMs / 1000)} s`}
      busy={result.fetching}
    >
      <div data-testid="health" data-checked-at={health?.checkedAt ?? ''}>
        {!health && result.fetching && <Spinner block label="Checking…" />}
        {!health && result.error && <ErrorMessage compact>{result.error.message}</ErrorMessage>}
        {health &&
          (health.healthy ? (
            <p className="dash-health-ok">
              <span aria-hidden="true">●</span> All clear: no operational warnings.
            </p>
          ) : (
            <ul className="dash-warnings" aria-label="Health warnings">
              {health.warnings.map((w) => (
                <li
                  key={`${w.source}-${w.code}`}
                  className="dash-warning"
                  data-severity={w.severity}
                  data-code={w.code}
                >
                  <strong>{sourceLabels[w.source] ?? w.source}:</strong> {w.message}
                </li>
              ))}
            </ul>
          ))}
        {health && <p className="app-muted">Last checked {formatTime(health.checkedAt)}</p>}
        {result.data?.serverInfo.lagoMode === 'sandbox' && (
          <LagoSandboxSwitch onChanged={() => recheck({ requestPolicy: 'network-only' })} />
        )}
      </div>
    </Card>
  );
}
