import { useMutation } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { Button } from '../../ui/Button.tsx';

const FixResetMutation = graphql(/* GraphQL */ `
  mutation OneClickFixReset($chargerId: ID!) {
    resetCharger(chargerId: $chargerId, type: SOFT) {
      __typename
    }
  }
`);

const FixUnlockMutation = graphql(/* GraphQL */ `
  mutation OneClickFixUnlock($chargerId: ID!, $connectorNumber: Int!) {
    unlockConnector(chargerId: $chargerId, connectorNumber: $connectorNumber) {
      __typename
    }
  }
`);

const FixTriggerMutation = graphql(/* GraphQL */ `
  mutation OneClickFixTrigger($chargerId: ID!, $connectorNumber: Int) {
    triggerMessage(chargerId: $chargerId, message: STATUS_NOTIFICATION, connectorNumber: $connectorNumber) {
      __typename
    }
  }
`);

export type FixKind = 'RESET' | 'UNLOCK_CONNECTOR' | 'TRIGGER_MESSAGE';

export function isFixKind(kind: string | null | undefined): kind is FixKind {
  return kind === 'RESET' || kind === 'UNLOCK_CONNECTOR' || kind === 'TRIGGER_MESSAGE';
}

export const fixLabels: Record<FixKind, string> = {
  RESET: 'Reset (soft)',
  UNLOCK_CONNECTOR: 'Unlock',
  TRIGGER_MESSAGE: 'Ask for status',
};

/** The command that usually clears a fault, in one click (Reset soft, Unlock, or TriggerMessage). */
export function OneClickFix(props: {
  chargerId: string;
  kind: FixKind;
  connectorNumber: number | null;
  disabled?: boolean;
  onSent?: () => void;
}) {
  const [reset, sendReset] = useMutation(FixResetMutation);
  const [unlock, sendUnlock] = useMutation(FixUnlockMutation);
  const [trigger, sendTrigger] = useMutation(FixTriggerMutation);
  const busy = reset.fetching || unlock.fetching || trigger.fetching;
  const done = [reset, unlock, trigger].some((r) => r.data);
  const send = async () => {
    const { chargerId, connectorNumber } = props;
    if (props.kind === 'RESET') await sendReset({ chargerId });
    else if (props.kind === 'UNLOCK_CONNECTOR')
      await sendUnlock({ chargerId, connectorNumber: connectorNumber ?? 1 });
    else await sendTrigger({ chargerId, connectorNumber });
    props.onSent?.();
  };
  return (
    <Button size="small" variant="primary" busy={busy} disabled={props.disabled} onClick={() => void send()}>
      {done ? `${fixLabels[props.kind]}: sent` : fixLabels[props.kind]}
    </Button>
  );
}
