import { useEffect } from 'react';
import { useQuery } from 'urql';
import { useFragment } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Card } from '../../ui/Card.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { formatDuration, formatTime, plural } from '../../ui/format.ts';

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
  }
`);

const sourceLabels: Record<string, string> = { SYNC: 'Sync', BILLING: 'Billing', CARDS: 'EV cards' };

/** Rolled-up warnings, re-checked on its own cycle. Green and empty when all is well. */
export function HealthCard({ recheckSignal = 0 }: { recheckSignal?: number }) {
  const intervalMs = healthIntervalMs();
  const [result, recheck] = useQuery({ query: HealthQuery, requestPolicy: 'network-only' });
  useEffect(() => {
    const id = setInterval(() => recheck({ requestPolicy: 'network-only' }), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs, recheck]);
  // Something this page changed (e.g. the demo panel's Lago switch): check again now.
  useEffect(() => {
    if (recheckSignal > 0) recheck({ requestPolicy: 'network-only' });
  }, [recheckSignal, recheck]);
  const health = useFragment(HealthFragment, result.data?.operatorHealth ?? null);
  const count = health?.warnings.length ?? 0;

  return (
    <Card
      title="Health"
      subtitle={`${health && count > 0 ? `${plural(count, 'warning')} · ` : ''}Re-checked every ${formatDuration(intervalMs)}`}
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
        {health && (
          <p className="app-muted">Last checked {formatTime(health.checkedAt, { seconds: true })}</p>
        )}
      </div>
    </Card>
  );
}
