import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { StateBadge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Modal } from '../../ui/Modal.tsx';
import { Spinner } from '../../ui/Spinner.tsx';

export const PickChargerOption_ChargerFragment = graphql(/* GraphQL */ `
  fragment PickChargerOption_Charger on Charger {
    id
    name
    chargeBoxId
    state
  }
`);

const PickChargerQuery = graphql(/* GraphQL */ `
  query PickCharger {
    chargers(first: 50) {
      edges {
        node {
          id
          ...PickChargerOption_Charger
        }
      }
    }
  }
`);

const StartChargingMutation = graphql(/* GraphQL */ `
  mutation StartCharging($chargerId: ID!) {
    startCharging(chargerId: $chargerId) {
      __typename
      ... on StartChargingSuccess {
        startRequest {
          id
          outcome
          message
          session {
            id
          }
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

export const StartRequestUpdatedSubscription = graphql(/* GraphQL */ `
  subscription StartRequestUpdated($id: ID!) {
    startRequestUpdated(id: $id) {
      id
      outcome
      message
      session {
        id
      }
    }
  }
`);

/** Shown while the server waits for the charger; the product's own words. */
export const ASKING_TEXT = 'Asking the charger… this usually takes a few seconds';
export const FAILED_OUTCOMES = new Set(['REJECTED', 'TIMED_OUT', 'NOT_STARTED', 'FAILED']);
/** The product's words for a start that failed without a message of its own. */
export const START_FAILED_TEXT = 'Charger could not start the session. Please try again.';

/** What became of a start after the driver closed the dialog; the dashboard takes over. */
export type DetachedStart =
  { kind: 'pending'; requestId: string } | { kind: 'failed'; message: string } | { kind: 'started' };

type Phase =
  | { kind: 'choose' }
  | { kind: 'asking'; chargerName: string; requestId: string | null }
  | { kind: 'failed'; message: string };

function ChargerOption(props: {
  charger: FragmentType<typeof PickChargerOption_ChargerFragment>;
  disabled: boolean;
  onPick: (id: string, name: string) => void;
}) {
  const charger = useFragment(PickChargerOption_ChargerFragment, props.charger);
  const online = charger.state === 'ONLINE';
  return (
    <li>
      <button
        type="button"
        className="dd-option"
        disabled={!online || props.disabled}
        data-charger={charger.chargeBoxId}
        onClick={() => props.onPick(charger.id, charger.name)}
        aria-label={online ? `Start charging at ${charger.name}` : `${charger.name} (not online)`}
      >
        <span className="dd-charger__label">
          <span className="dd-option__name">{charger.name}</span>
          {charger.name !== charger.chargeBoxId && (
            <span className="app-muted dd-charger__id">{charger.chargeBoxId}</span>
          )}
        </span>
        <StateBadge state={charger.state} />
      </button>
    </li>
  );
}

/**
 * "Pick charger": choose an online charger, then wait while the server asks it to start. Closes by
 * itself once the session exists (the banner takes over); shows the server's message on failure.
 * Closing it while the start is under way does not cancel the start: `onDetached` hands it to the
 * dashboard, which tells the driver how it ends.
 */
export function PickChargerModal(props: {
  open: boolean;
  onClose: () => void;
  readOnly: boolean;
  /** The session started: the dashboard refreshes and shows the banner. */
  onStarted: () => void;
  /** The driver closed the dialog while a start was under way: what became (or may become) of it. */
  onDetached: (start: DetachedStart) => void;
}) {
  const { open, onClose, onStarted, onDetached } = props;
  // Picks still waiting for the mutation's answer belong to the dialog only while it stays open.
  const pickSeq = useRef(0);
  const [phase, setPhase] = useState<Phase>({ kind: 'choose' });
  const [, startCharging] = useMutation(StartChargingMutation);
  // Fresh states each time it opens: a charger may have gone offline since the dashboard loaded.
  const [chargersResult] = useQuery({ query: PickChargerQuery, pause: !open, requestPolicy: 'network-only' });
  const chargers = chargersResult.data?.chargers.edges.map((e) => e.node) ?? [];
  const requestId = phase.kind === 'asking' ? phase.requestId : null;
  const [updates] = useSubscription({
    query: StartRequestUpdatedSubscription,
    variables: { id: requestId ?? '' },
    pause: !requestId,
  });

  useEffect(() => {
    if (!open) setPhase({ kind: 'choose' });
  }, [open]);

  // The picked option disappears when the phase changes: keep keyboard focus inside the dialog.
  const retryRef = useRef<HTMLButtonElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (phase.kind === 'failed') retryRef.current?.focus();
    else if (phase.kind === 'asking') closeRef.current?.focus();
  }, [phase.kind]);

  const update = updates.data?.startRequestUpdated;
  useEffect(() => {
    if (!update || phase.kind !== 'asking' || update.id !== phase.requestId) return;
    if (update.session) {
      onStarted();
      onClose();
    } else if (FAILED_OUTCOMES.has(update.outcome)) {
      setPhase({
        kind: 'failed',
        message: update.message ?? START_FAILED_TEXT,
      });
    }
  }, [update, phase, onStarted, onClose]);

  const pick = async (chargerId: string, chargerName: string) => {
    const seq = (pickSeq.current += 1);
    setPhase({ kind: 'asking', chargerName, requestId: null });
    const result = await startCharging({ chargerId });
    const data = result.data?.startCharging;
    if (seq !== pickSeq.current) {
      // The dialog was closed meanwhile: the dashboard tells the driver.
      if (data?.__typename === 'StartChargingSuccess') {
        const request = data.startRequest;
        if (request.session) onDetached({ kind: 'started' });
        else if (FAILED_OUTCOMES.has(request.outcome))
          onDetached({ kind: 'failed', message: request.message ?? START_FAILED_TEXT });
        else onDetached({ kind: 'pending', requestId: request.id });
      } else if (data && 'message' in data) {
        onDetached({ kind: 'failed', message: data.message });
      } else {
        onDetached({ kind: 'failed', message: START_FAILED_TEXT });
      }
      return;
    }
    if (data?.__typename === 'StartChargingSuccess') {
      const request = data.startRequest;
      if (request.session) {
        onStarted();
        onClose();
      } else if (FAILED_OUTCOMES.has(request.outcome)) {
        setPhase({
          kind: 'failed',
          message: request.message ?? START_FAILED_TEXT,
        });
      } else {
        setPhase({ kind: 'asking', chargerName, requestId: request.id });
      }
    } else if (data && 'message' in data) {
      setPhase({ kind: 'failed', message: data.message });
    } else {
      const forbidden = result.error?.response?.status === 403;
      setPhase({
        kind: 'failed',
        message: forbidden
          ? 'Impersonation is read-only. Stop impersonating first.'
          : (result.error?.graphQLErrors[0]?.message ?? 'Could not reach the server. Please try again.'),
      });
    }
  };

  const asking = phase.kind === 'asking';
  // Closed by the driver: a start under way goes on, and the dashboard follows it.
  const dismiss = () => {
    pickSeq.current += 1;
    if (phase.kind === 'asking' && phase.requestId)
      onDetached({ kind: 'pending', requestId: phase.requestId });
    onClose();
  };
  return (
    <Modal
      open={open}
      onClose={dismiss}
      title="Pick charger"
      description="Choose an online charger. Your primary active EV card is used automatically."
      footer={
        <>
          {phase.kind === 'failed' && (
            <Button ref={retryRef} onClick={() => setPhase({ kind: 'choose' })}>
              Pick another charger
            </Button>
          )}
          <Button ref={closeRef} variant="ghost" onClick={dismiss}>
            {asking ? 'Close' : 'Cancel'}
          </Button>
        </>
      }
    >
      {asking && (
        <div className="dd-asking" data-testid="asking">
          <Spinner block size="large" label={ASKING_TEXT} />
          <p className="app-muted">
            Starting at <strong>{phase.chargerName}</strong>. Leave the page open — the session appears on
            your dashboard.
          </p>
        </div>
      )}
      {phase.kind === 'failed' && <ErrorMessage title={phase.message} className="dd-start-error" />}
      {phase.kind === 'choose' && chargersResult.error && !chargersResult.data && (
        <ErrorMessage title="Could not load the chargers" compact>
          {chargersResult.error.message}
        </ErrorMessage>
      )}
      {phase.kind === 'choose' && !chargersResult.data && chargersResult.fetching && (
        <Spinner block label="Loading chargers…" />
      )}
      {phase.kind === 'choose' &&
        chargersResult.data &&
        (chargers.length === 0 ? (
          <EmptyState title="No chargers to pick from" compact>
            Chargers appear here once the operator’s fleet has synced.
          </EmptyState>
        ) : (
          <ul className="dd-options" aria-label="Chargers">
            {chargers.map((c) => (
              <ChargerOption
                key={c.id}
                charger={c}
                disabled={props.readOnly}
                onPick={(id, name) => void pick(id, name)}
              />
            ))}
          </ul>
        ))}
    </Modal>
  );
}
