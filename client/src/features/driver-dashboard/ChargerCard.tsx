import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { StateBadge } from '../../ui/Badge.tsx';
import { driverStateNote } from './state-text.ts';

export const ChargerCard_ChargerFragment = graphql(/* GraphQL */ `
  fragment ChargerCard_Charger on Charger {
    id
    name
    chargeBoxId
    state
  }
`);

/** One charger in the dashboard's list: its name and state, with a note when it cannot be used. */
export function ChargerCard(props: { charger: FragmentType<typeof ChargerCard_ChargerFragment> }) {
  const charger = useFragment(ChargerCard_ChargerFragment, props.charger);
  const note = driverStateNote(charger.state);
  return (
    <li className="dd-charger" data-charger={charger.chargeBoxId} data-state={charger.state}>
      <span className="dd-charger__label">
        <span className="dd-charger__name">{charger.name}</span>
        {charger.name !== charger.chargeBoxId && (
          <span className="app-muted dd-charger__id">{charger.chargeBoxId}</span>
        )}
        {note && <span className="app-muted dd-charger__note">{note}</span>}
      </span>
      <StateBadge state={charger.state} />
    </li>
  );
}
