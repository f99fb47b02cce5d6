import { useEffect, useId, useState } from 'react';
import { Button } from '../../ui/Button.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { CONNECTOR_TYPE_LABELS, type LocationState } from './charger-info.ts';

export interface ChargerFilterValues {
  search: string;
  connectorType: string;
  freeNow: boolean;
}

export const NO_FILTERS: ChargerFilterValues = { search: '', connectorType: '', freeNow: false };

/**
 * Search by name, site or address; filter by plug type and "free now"; opt in to distances.
 * The search box reports after a short pause in typing.
 */
export function ChargerFilters(props: {
  value: ChargerFilterValues;
  onChange: (value: ChargerFilterValues) => void;
  location: LocationState;
  onRequestLocation: () => void;
  onClearLocation: () => void;
}) {
  const { value, onChange } = props;
  const [search, setSearch] = useState(value.search);
  const typeId = useId();
  useEffect(() => {
    if (search === value.search) return undefined;
    const timer = setTimeout(() => onChange({ ...value, search }), 300);
    return () => clearTimeout(timer);
  }, [search, value, onChange]);
  const loc = props.location;
  return (
    <div className="dd-filters" role="search" aria-label="Find a charger">
      <TextField
        label="Search"
        type="search"
        placeholder="Name, site or address"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        data-testid="charger-search"
      />
      <div className="ui-field">
        <label className="ui-field__label" htmlFor={typeId}>
          Plug
        </label>
        <select
          id={typeId}
          className="ui-field__input"
          value={value.connectorType}
          onChange={(e) => onChange({ ...value, connectorType: e.target.value })}
          data-testid="charger-plug-filter"
        >
          <option value="">Any plug</option>
          {Object.entries(CONNECTOR_TYPE_LABELS).map(([type, label]) => (
            <option key={type} value={type}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <label className="dd-filters__check">
        <input
          type="checkbox"
          checked={value.freeNow}
          onChange={(e) => onChange({ ...value, freeNow: e.target.checked })}
          data-testid="charger-free-filter"
        />
        Free now
      </label>
      {loc.status === 'on' ? (
        <Button variant="ghost" onClick={props.onClearLocation}>
          Hide distances
        </Button>
      ) : (
        <Button variant="ghost" onClick={props.onRequestLocation} busy={loc.status === 'asking'}>
          Show distances
        </Button>
      )}
      {loc.status === 'denied' && (
        <p className="app-muted dd-filters__note" role="status">
          {loc.message}
        </p>
      )}
    </div>
  );
}
