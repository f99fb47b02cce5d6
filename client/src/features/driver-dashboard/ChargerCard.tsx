import type { ReactNode } from 'react';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { StateBadge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import type { WatchedCharger } from './Notifications.tsx';
import { ReservationControls, type HeldReservation } from './Reservation.tsx';
import { distanceKm, formatDistance, freeText, plugSummary, type LatLon } from './charger-info.ts';
import { driverStateNote } from './state-text.ts';

export const ChargerCard_ChargerFragment = graphql(/* GraphQL */ `
  fragment ChargerCard_Charger on Charger {
    id
    name
    chargeBoxId
    state
    connectorCount
    freeConnectorCount
    site {
      name
      address
      latitude
      longitude
    }
    connectors {
      connectorId
      status
      connectorType
      ratedPowerKw
    }
  }
`);

/** OCPP statuses of a connector whose session is over while the car is still plugged in. */
const PLUGGED_AFTER_SESSION = new Set(['Finishing']);

/**
 * One charger in the dashboard's list: name, site and address, distance (when the driver shared
 * a location), plugs with their power, how many connectors are free, and its state.
 */
export function ChargerCard(props: {
  charger: FragmentType<typeof ChargerCard_ChargerFragment>;
  position?: LatLon | null;
  /** Extra lines under the plugs (price, watch). */
  children?: ReactNode;
  /** The driver's reservation state: shows Reserve, or the countdown on the reserved charger. */
  reservation?: { held: HeldReservation | null; readOnly: boolean; onChanged: () => void };
  /** Watching a charger that is not free: the driver is told when it is. */
  watch?: { watchedId: string | null; onWatch: (charger: WatchedCharger | null) => void };
}) {
  const charger = useFragment(ChargerCard_ChargerFragment, props.charger);
  const note = driverStateNote(charger.state);
  const { site } = charger;
  const where = [site.name, site.address].filter(Boolean).join(' · ');
  const km =
    props.position && site.latitude != null && site.longitude != null
      ? distanceKm(props.position, { latitude: site.latitude, longitude: site.longitude })
      : null;
  const plugs = plugSummary(charger.connectors);
  const pluggedIn =
    charger.state === 'IN_USE' && charger.connectors.some((c) => PLUGGED_AFTER_SESSION.has(c.status));
  return (
    <li className="dd-charger" data-charger={charger.chargeBoxId} data-state={charger.state}>
      <div className="dd-charger__main">
        <span className="dd-charger__label">
          <span className="dd-charger__name">{charger.name}</span>
          {charger.name !== charger.chargeBoxId && (
            <span className="app-muted dd-charger__id">{charger.chargeBoxId}</span>
          )}
          {note && <span className="app-muted dd-charger__note">{note}</span>}
        </span>
        {(where || km != null) && (
          <span className="app-muted dd-charger__where" data-testid="charger-where">
            {where}
            {where && km != null && ' · '}
            {km != null && <span data-testid="charger-distance">{formatDistance(km)} away</span>}
          </span>
        )}
        {plugs.length > 0 && (
          <span className="dd-charger__plugs" data-testid="charger-plugs">
            {plugs.join(', ')}
          </span>
        )}
        {pluggedIn && (
          <span className="dd-charger__note" data-testid="charger-plugged-in">
            A session here has ended, but a car is still plugged in: it shows as in use until it is unplugged.
          </span>
        )}
        {props.children}
        {props.watch && (charger.state === 'IN_USE' || charger.state === 'RESERVED') && (
          <span className="dd-reservation">
            {props.watch.watchedId === charger.id ? (
              <>
                <span data-testid="watching">Watching: you will be told when it is free.</span>
                <Button variant="ghost" onClick={() => props.watch!.onWatch(null)}>
                  Stop watching
                </Button>
              </>
            ) : (
              <Button
                variant="ghost"
                onClick={() => props.watch!.onWatch({ id: charger.id, name: charger.name })}
                title="Get a notification when this charger is free"
              >
                Watch
              </Button>
            )}
          </span>
        )}
        {props.reservation && (
          <ReservationControls
            chargerId={charger.id}
            free={charger.state === 'ONLINE' && charger.freeConnectorCount > 0}
            held={props.reservation.held}
            readOnly={props.reservation.readOnly}
            onChanged={props.reservation.onChanged}
          />
        )}
      </div>
      <div className="dd-charger__side">
        <StateBadge state={charger.state} />
        <span className="app-muted dd-charger__free" data-testid="charger-free">
          {freeText(charger.freeConnectorCount, charger.connectorCount)}
        </span>
      </div>
    </li>
  );
}
