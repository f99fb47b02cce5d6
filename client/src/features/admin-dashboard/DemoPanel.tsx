import { useEffect } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { plural } from '../../ui/format.ts';
import { healthIntervalMs } from './HealthCard.tsx';

const SandboxStatusQuery = graphql(/* GraphQL */ `
  query DemoPanelSandboxStatus {
    lagoSandboxStatus {
      down
      pendingEvents
    }
  }
`);

const SetLagoSandboxFaultMutation = graphql(/* GraphQL */ `
  mutation DemoPanelSetLagoSandboxFault($down: Boolean!) {
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

/**
 * Demo and rehearsal controls, only while billing goes to the embedded Lago sandbox: cut the
 * network to Lago off and bring it back. A marked disclosure in the page header, apart from the
 * real cards so nobody takes them for operations (and taking no room from them). Its figures are
 * re-read on the Health card's cycle, so both say the same.
 */
export function DemoPanel({ onChanged, recheckSignal }: { onChanged: () => void; recheckSignal: number }) {
  const intervalMs = healthIntervalMs();
  const [status, reread] = useQuery({ query: SandboxStatusQuery, requestPolicy: 'network-only' });
  useEffect(() => {
    const id = setInterval(() => reread({ requestPolicy: 'network-only' }), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs, reread]);
  useEffect(() => {
    if (recheckSignal > 0) reread({ requestPolicy: 'network-only' });
  }, [recheckSignal, reread]);
  const [result, setFault] = useMutation(SetLagoSandboxFaultMutation);
  const sandbox = status.data?.lagoSandboxStatus ?? null;
  const run = async (down: boolean) => {
    await setFault({ down });
    onChanged();
  };
  const outcome = result.data?.setLagoSandboxFault;
  return (
    <details className="dash-demo" data-testid="demo-panel">
      <summary className="dash-demo__summary">
        Demo controls
        {sandbox?.down && <span className="dash-demo__flag"> · Lago cut off</span>}
      </summary>
      <Card
        className="dash-demo__panel"
        title="Demo controls"
        subtitle="For demos and rehearsals with the built-in Lago sandbox. Not part of operating a real network."
      >
        <div
          className="dash-sandbox-switch"
          data-testid="lago-sandbox-switch"
          data-down={sandbox ? String(sandbox.down) : ''}
        >
          {sandbox && (
            <p data-testid="lago-sandbox-status">
              Lago sandbox is <strong>{sandbox.down ? 'cut off' : 'reachable'}</strong>:{' '}
              {plural(sandbox.pendingEvents, 'usage event')} waiting to be billed.
            </p>
          )}
          <Button
            size="small"
            variant="danger"
            busy={result.fetching}
            disabled={!sandbox || sandbox.down}
            onClick={() => void run(true)}
          >
            Cut off Lago sandbox
          </Button>
          <Button
            size="small"
            busy={result.fetching}
            disabled={!sandbox || !sandbox.down}
            onClick={() => void run(false)}
          >
            Restore Lago sandbox
          </Button>
          {(status.error ?? result.error) && (
            <ErrorMessage compact>{(status.error ?? result.error)!.message}</ErrorMessage>
          )}
          {outcome && 'message' in outcome && <ErrorMessage compact>{outcome.message}</ErrorMessage>}
        </div>
      </Card>
    </details>
  );
}
