import { CONNECTOR_STATUSES, type ConnectorStatusValue, type SteveLocation } from '../port.ts';
import { str } from './rows.ts';

/** Charge boxes, their connectors (evse) and connector status rows: SteVe values → port types. */

/** Tie-break for two status rows with the same timestamp: the more cautious status wins. */
export function statusRank(status: unknown): number {
  const order: Record<string, number> = {
    Faulted: 9,
    Unavailable: 8,
    Charging: 7,
    SuspendedEVSE: 6,
    SuspendedEV: 5,
    Preparing: 4,
    Finishing: 3,
    Reserved: 2,
    Available: 1,
  };
  return typeof status === 'string' ? (order[status] ?? 0) : 0;
}

export function statusOf(value: unknown): ConnectorStatusValue | null {
  return (CONNECTOR_STATUSES as readonly unknown[]).includes(value) ? (value as ConnectorStatusValue) : null;
}

export function powerTypeOf(value: unknown): 'AC' | 'DC' | null {
  const s = typeof value === 'string' ? value.toUpperCase() : '';
  if (s.startsWith('AC')) return 'AC';
  if (s.startsWith('DC')) return 'DC';
  return null;
}

/** A charge box's address row (coordinates live there since SteVe 1.1.0) as one `SteveLocation`. */
export function locationOf(row: Record<string, unknown>): SteveLocation {
  const coordinate = (v: unknown): number | null => {
    if (v == null) return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  };
  const street = [str(row.street), str(row.house_number)].filter(Boolean).join(' ');
  const town = [str(row.zip_code), str(row.city)].filter(Boolean).join(' ');
  const address = [street, town, str(row.country) ?? ''].filter((p) => p.trim() !== '').join(', ');
  return {
    latitude: coordinate(row.latitude),
    longitude: coordinate(row.longitude),
    address: address === '' ? null : address,
  };
}
