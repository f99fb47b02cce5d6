import { useEffect, useRef, useState } from 'react';
import { useMutation, useSubscription } from 'urql';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { resultError } from '../../app/errors.ts';
import { graphql } from '../../gql/gql.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Modal } from '../../ui/Modal.tsx';
import { formatDateTime } from '../../ui/format.ts';
import {
  commandStatusLabels,
  commandStatusTones,
  describeCommand,
  describeOutcome,
} from './commands-text.ts';

export const CommandRowFragment = graphql(/* GraphQL */ `
  fragment CommandRow_Command on ChargerCommand {
    id
    kind
    status
    connectorNumber
    parameters
    answer
    reason
    requestedBy
    createdAt
    decidedAt
  }
`);

const CommandUpdatedSubscription = graphql(/* GraphQL */ `
  subscription CommandPanelCommandUpdated($id: ID!) {
    chargerCommandUpdated(id: $id) {
      ...CommandRow_Command
    }
  }
`);

const ResetMutation = graphql(/* GraphQL */ `
  mutation CommandPanelReset($chargerId: ID!, $type: ResetType!) {
    resetCharger(chargerId: $chargerId, type: $type) {
      __typename
      ... on ResetChargerSuccess {
        command {
          id
          ...CommandRow_Command
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const UnlockMutation = graphql(/* GraphQL */ `
  mutation CommandPanelUnlock($chargerId: ID!, $connectorNumber: Int!) {
    unlockConnector(chargerId: $chargerId, connectorNumber: $connectorNumber) {
      __typename
      ... on UnlockConnectorSuccess {
        command {
          id
          ...CommandRow_Command
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const AvailabilityMutation = graphql(/* GraphQL */ `
  mutation CommandPanelAvailability($chargerId: ID!, $connectorNumber: Int, $available: Boolean!) {
    changeAvailability(chargerId: $chargerId, connectorNumber: $connectorNumber, available: $available) {
      __typename
      ... on ChangeAvailabilitySuccess {
        command {
          id
          ...CommandRow_Command
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const TriggerMutation = graphql(/* GraphQL */ `
  mutation CommandPanelTrigger($chargerId: ID!, $message: TriggerMessageKind!, $connectorNumber: Int) {
    triggerMessage(chargerId: $chargerId, message: $message, connectorNumber: $connectorNumber) {
      __typename
      ... on TriggerMessageSuccess {
        command {
          id
          ...CommandRow_Command
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

type Sent = object | null | undefined;

function refusal(result: Sent, error: { message: string } | undefined): string | null {
  if (error) return error.message;
  return resultError(result);
}

/** One command with its live outcome: while PENDING it follows `chargerCommandUpdated`. */
function CommandRow(props: { command: FragmentType<typeof CommandRowFragment>; onSettled: () => void }) {
  const stored = useFragment(CommandRowFragment, props.command);
  const [live] = useSubscription({
    query: CommandUpdatedSubscription,
    variables: { id: stored.id },
    pause: stored.status !== 'PENDING',
  });
  const liveCommand = useFragment(CommandRowFragment, live.data?.chargerCommandUpdated);
  const c = liveCommand ?? stored;
  const { onSettled } = props;
  const settled = useRef(stored.status !== 'PENDING');
  useEffect(() => {
    if (c.status !== 'PENDING' && !settled.current) {
      settled.current = true;
      onSettled();
    }
  }, [c.status, onSettled]);
  return (
    <tr data-command={c.id} data-status={c.status}>
      <td>{describeCommand(c)}</td>
      <td>
        <Badge tone={commandStatusTones[c.status]} dot={c.status === 'PENDING'}>
          {commandStatusLabels[c.status]}
        </Badge>
      </td>
      <td className="command-outcome">{describeOutcome(c)}</td>
      <td className="app-muted">
        {formatDateTime(c.createdAt)}
        {c.requestedBy ? ` · ${c.requestedBy}` : ''}
      </td>
    </tr>
  );
}

const TRIGGERS = [
  ['STATUS_NOTIFICATION', 'Status'],
  ['HEARTBEAT', 'Heartbeat'],
  ['METER_VALUES', 'Meter values'],
  ['BOOT_NOTIFICATION', 'Boot notification'],
] as const;

/**
 * The command panel: Reset (with a confirmation), Unlock, availability and TriggerMessage per
 * connector, and the charger's recent commands with their live outcome. Buttons stay busy while a
 * request is in flight and the server answers an identical pending command with the same one, so a
 * double-click sends once.
 */
export function CommandPanel(props: {
  chargerId: string;
  connectors: Array<{ connectorId: number; status: string | null }>;
  commands: Array<FragmentType<typeof CommandRowFragment> & { id: string }>;
  disabled: boolean;
  onChange: () => void;
}) {
  const { chargerId, onChange } = props;
  const [resetOpen, setResetOpen] = useState(false);
  const [resetType, setResetType] = useState<'SOFT' | 'HARD'>('SOFT');
  const [trigger, setTrigger] = useState<(typeof TRIGGERS)[number][0]>('STATUS_NOTIFICATION');
  const [reset, sendReset] = useMutation(ResetMutation);
  const [unlock, sendUnlock] = useMutation(UnlockMutation);
  const [availability, sendAvailability] = useMutation(AvailabilityMutation);
  const [triggered, sendTrigger] = useMutation(TriggerMutation);
  const problem =
    refusal(reset.data?.resetCharger, reset.error) ??
    refusal(unlock.data?.unlockConnector, unlock.error) ??
    refusal(availability.data?.changeAvailability, availability.error) ??
    refusal(triggered.data?.triggerMessage, triggered.error);
  const busy = reset.fetching || unlock.fetching || availability.fetching || triggered.fetching;
  const off = props.disabled || busy;
  const whole = props.connectors.length > 0 && props.connectors.every((c) => c.status === 'Unavailable');

  return (
    <Card
      title="Commands"
      subtitle="Sent through SteVe; the outcome appears here as soon as the charger answers."
      actions={
        <Button variant="danger" size="small" disabled={off} onClick={() => setResetOpen(true)}>
          Reset…
        </Button>
      }
    >
      <div className="command-actions">
        <Button
          size="small"
          disabled={off}
          onClick={() =>
            void sendAvailability({ chargerId, connectorNumber: null, available: whole }).then(onChange)
          }
        >
          {whole ? 'Make charger available' : 'Make charger unavailable'}
        </Button>
        <label className="command-trigger">
          <span>Ask the charger for</span>{' '}
          <select
            value={trigger}
            onChange={(e) => setTrigger(e.target.value as (typeof TRIGGERS)[number][0])}
            aria-label="Message to trigger"
          >
            {TRIGGERS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>{' '}
          <Button
            size="small"
            disabled={off}
            onClick={() =>
              void sendTrigger({ chargerId, message: trigger, connectorNumber: null }).then(onChange)
            }
          >
            Send
          </Button>
        </label>
      </div>
      {props.connectors.length > 0 && (
        <table className="admin-table" aria-label="Connector commands">
          <tbody>
            {props.connectors.map((c) => {
              const unavailable = c.status === 'Unavailable';
              return (
                <tr key={c.connectorId}>
                  <td>Connector {c.connectorId}</td>
                  <td className="command-buttons">
                    <Button
                      size="small"
                      disabled={off}
                      onClick={() =>
                        void sendUnlock({ chargerId, connectorNumber: c.connectorId }).then(onChange)
                      }
                    >
                      Unlock
                    </Button>
                    <Button
                      size="small"
                      disabled={off}
                      onClick={() =>
                        void sendAvailability({
                          chargerId,
                          connectorNumber: c.connectorId,
                          available: unavailable,
                        }).then(onChange)
                      }
                    >
                      {unavailable
                        ? `Make connector ${c.connectorId} available`
                        : `Make connector ${c.connectorId} unavailable`}
                    </Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {problem && <ErrorMessage compact>{problem}</ErrorMessage>}
      <h3 className="command-heading">Recent commands</h3>
      {props.commands.length === 0 ? (
        <EmptyState title="No commands sent yet" compact />
      ) : (
        <table className="admin-table" aria-label="Recent commands">
          <thead>
            <tr>
              <th>Command</th>
              <th>Status</th>
              <th>Outcome</th>
              <th>Sent</th>
            </tr>
          </thead>
          <tbody>
            {props.commands.map((c) => (
              <CommandRow key={c.id} command={c} onSettled={onChange} />
            ))}
          </tbody>
        </table>
      )}
      <Modal
        open={resetOpen}
        onClose={() => setResetOpen(false)}
        title="Reset this charger?"
        description="The charger goes offline for a moment and boots again. Running sessions end."
        footer={
          <>
            <Button onClick={() => setResetOpen(false)}>Cancel</Button>
            <Button
              variant="danger"
              busy={reset.fetching}
              onClick={() =>
                void sendReset({ chargerId, type: resetType }).then(() => {
                  setResetOpen(false);
                  onChange();
                })
              }
            >
              Reset now
            </Button>
          </>
        }
      >
        <fieldset className="command-reset-type">
          <legend>Kind of reset</legend>
          <label>
            <input type="radio" checked={resetType === 'SOFT'} onChange={() => setResetType('SOFT')} /> Soft —
            restarts the software, ends sessions gracefully
          </label>
          <label>
            <input type="radio" checked={resetType === 'HARD'} onChange={() => setResetType('HARD')} /> Hard —
            power-cycles the charger
          </label>
        </fieldset>
      </Modal>
    </Card>
  );
}
