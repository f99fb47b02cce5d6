/** Words and figures about a charger's plugs and place, as the driver dashboard shows them. */
import { useCallback, useState } from 'react';

export const CONNECTOR_TYPE_LABELS: Record<string, string> = {
  CCS1: 'CCS1',
  CCS2: 'CCS2',
  CHADEMO: 'CHAdeMO',
  TYPE1: 'Type 1',
  TYPE2: 'Type 2',
  GBT_AC: 'GB/T AC',
  GBT_DC: 'GB/T DC',
  NACS: 'NACS',
  SCHUKO: 'Schuko',
  OTHER: 'Other plug',
};

export function connectorTypeLabel(type: string | null | undefined): string | null {
  return type ? (CONNECTOR_TYPE_LABELS[type] ?? type) : null;
}

export interface PlugSummaryInput {
  connectorType?: string | null;
  ratedPowerKw?: number | null;
}

/**
 * One line per distinct plug: "CCS2 · 150 kW", "Type 2 · 22 kW"; repeated plugs are counted
 * ("2 × CCS2 · 150 kW"). Unknown types and powers are left out, not guessed.
 */
export function plugSummary(connectors: readonly PlugSummaryInput[]): string[] {
  const kw = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
  const counts = new Map<string, number>();
  for (const c of connectors) {
    const type = connectorTypeLabel(c.connectorType);
    const power = c.ratedPowerKw != null ? `${kw.format(c.ratedPowerKw)} kW` : null;
    const text = [type, power].filter(Boolean).join(' · ');
    if (text) counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return [...counts].map(([text, n]) => (n > 1 ? `${n} × ${text}` : text));
}

/** "2 of 3 free" / "None free" / "1 free" for a single connector. */
export function freeText(free: number, total: number): string {
  if (total === 0) return 'No connectors';
  if (free === 0) return total === 1 ? 'Not free' : 'None free';
  if (total === 1) return 'Free';
  return `${free} of ${total} free`;
}

export interface LatLon {
  latitude: number;
  longitude: number;
}

/** Great-circle distance in kilometres (haversine; good to metres at city scale). */
export function distanceKm(a: LatLon, b: LatLon): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** "350 m" below one kilometre, else "2.4 km" / "18 km". */
export function formatDistance(km: number): string {
  if (km < 1) {
    const m = Math.max(10, Math.round((km * 1000) / 10) * 10);
    return new Intl.NumberFormat(undefined, {
      style: 'unit',
      unit: 'meter',
      maximumFractionDigits: 0,
    }).format(m);
  }
  return new Intl.NumberFormat(undefined, {
    style: 'unit',
    unit: 'kilometer',
    maximumFractionDigits: km < 10 ? 1 : 0,
  }).format(km);
}

export type LocationState =
  | { status: 'off' }
  | { status: 'asking' }
  | { status: 'on'; position: LatLon }
  | { status: 'denied'; message: string };

/**
 * The browser's position, only after the driver asks for distances (never on page load, never
 * required). Nothing leaves the browser: distances are computed here.
 */
export function useDriverLocation(): { location: LocationState; request: () => void; clear: () => void } {
  const [location, setLocation] = useState<LocationState>({ status: 'off' });
  const request = useCallback(() => {
    if (typeof navigator === 'undefined' || !('geolocation' in navigator)) {
      setLocation({ status: 'denied', message: 'This browser cannot share its location.' });
      return;
    }
    setLocation({ status: 'asking' });
    navigator.geolocation.getCurrentPosition(
      (p) =>
        setLocation({
          status: 'on',
          position: { latitude: p.coords.latitude, longitude: p.coords.longitude },
        }),
      (e) =>
        setLocation({
          status: 'denied',
          message:
            e.code === e.PERMISSION_DENIED
              ? 'Location is blocked for this site, so distances are not shown.'
              : 'Your location could not be found, so distances are not shown.',
        }),
      { maximumAge: 5 * 60_000, timeout: 15_000 },
    );
  }, []);
  const clear = useCallback(() => setLocation({ status: 'off' }), []);
  return { location, request, clear };
}
