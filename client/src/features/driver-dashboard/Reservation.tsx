import { useEffect, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { Button } from '../../ui/Button.tsx';

const ReserveChargerMutation = graphql(/* GraphQL */ `
  mutation ReserveCharger($chargerId: ID!) {
    reserveCharger(chargerId: $chargerId) {
      __typename
      ... on Reservation {
        id
        expiresAt
      }
      ... on NoActiveCardError {
        message
      }
      ... on AccountInactiveError {
        message
      }
      ... on ChargerUnavailableError {
        message
      }
      ... on AlreadyReservedError {
        message
      }
      ... on ReservationRejectedError {
        message
      }
    }
  }
`);

const CancelReservationMutation = graphql(/* GraphQL */ `
  mutation CancelReservation($id: ID!) {
    cancelReservation(id: $id) {
      __typename
      ... on Reservation {
        id
        status
      }
      ... on ReservationNotFoundError {
        message
      }
      ... on ReservationCancelFailedError {
        message
      }
    }
  }
`);

/** "14:05": minutes and seconds until `iso`, ticking every second; "0:00" once over. */
export function useCountdown(iso: string): { seconds: number; text: string } {
  const until = new Date(iso).getTime();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  const seconds = Math.max(0, Math.ceil((until - now) / 1000));
  return { seconds, text: `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}` };
}

export interface HeldReservation {
  id: string;
  expiresAt: string;
  connectorNumber: number;
  charger: { id: string };
}

/** On the card of the reserved charger: the countdown and Cancel. */
function ReservedForYou(props: { reservation: HeldReservation; readOnly: boolean; onChanged: () => void }) {
  const { reservation, onChanged } = props;
  const countdown = useCountdown(reservation.expiresAt);
  const [cancel, runCancel] = useMutation(CancelReservationMutation);
  const [error, setError] = useState<string | null>(null);
  const onCancel = async () => {
    setError(null);
    const result = await runCancel({ id: reservation.id });
    const data = result.data?.cancelReservation;
    if (data?.__typename === 'Reservation') onChanged();
    else setError(data && 'message' in data ? data.message : (result.error?.message ?? 'Please try again.'));
  };
  return (
    <span className="dd-reservation" data-testid="reservation">
      <span>
        Reserved for you (connector {reservation.connectorNumber}) ·{' '}
        <span data-testid="reservation-countdown" aria-label="Time left">
          {countdown.text}
        </span>{' '}
        left
      </span>
      <Button
        variant="ghost"
        onClick={() => void onCancel()}
        busy={cancel.fetching}
        disabled={props.readOnly}
        title={props.readOnly ? 'Impersonation is read-only' : undefined}
      >
        Cancel reservation
      </Button>
      {error && (
        <span role="alert" className="app-inline-error">
          {error}
        </span>
      )}
    </span>
  );
}

/**
 * A card's reservation line: the countdown when the driver holds this charger, else "Reserve" on a
 * charger with a free connector while the driver holds none.
 */
export function ReservationControls(props: {
  chargerId: string;
  free: boolean;
  held: HeldReservation | null;
  readOnly: boolean;
  onChanged: () => void;
}) {
  const { chargerId, held, onChanged } = props;
  const [reserve, runReserve] = useMutation(ReserveChargerMutation);
  const [error, setError] = useState<string | null>(null);
  if (held?.charger.id === chargerId)
    return <ReservedForYou reservation={held} readOnly={props.readOnly} onChanged={onChanged} />;
  if (held || !props.free) return null;
  const onReserve = async () => {
    setError(null);
    const result = await runReserve({ chargerId });
    const data = result.data?.reserveCharger;
    if (data?.__typename === 'Reservation') onChanged();
    else setError(data && 'message' in data ? data.message : (result.error?.message ?? 'Please try again.'));
  };
  return (
    <span className="dd-reservation">
      <Button
        variant="secondary"
        onClick={() => void onReserve()}
        busy={reserve.fetching}
        disabled={props.readOnly}
        title={props.readOnly ? 'Impersonation is read-only' : 'Hold a free connector for you'}
      >
        Reserve
      </Button>
      {error && (
        <span role="alert" className="app-inline-error" data-testid="reservation-error">
          {error}
        </span>
      )}
    </span>
  );
}
