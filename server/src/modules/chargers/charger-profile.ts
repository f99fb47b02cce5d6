/**
 * Where a charger is and what its plugs are: SteVe's location/connector type (written by the sync
 * through `recordSteveSiteData`) merged with the operator's overrides (`updateChargerDetails`).
 * The two live in separate columns, so the next sync never clobbers what an operator typed.
 */
import type { ConnectorType, Prisma } from '../../generated/prisma/client.ts';
import type { SteveChargePoint } from '../../integrations/steve/port.ts';

type Tx = Prisma.TransactionClient;

export const CONNECTOR_TYPES: readonly ConnectorType[] = [
  'CCS1',
  'CCS2',
  'CHADEMO',
  'TYPE1',
  'TYPE2',
  'GBT_AC',
  'GBT_DC',
  'NACS',
  'SCHUKO',
  'OTHER',
];

/** SteVe's free-text connector type (OCPP 2.0.1 ConnectorEnumType names or people's spelling). */
export function connectorTypeFromSteve(raw: string | null | undefined): ConnectorType | null {
  if (!raw) return null;
  const key = raw.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (key.includes('ccs2') || key === 'ccombotype2' || key === 'combo2') return 'CCS2';
  if (key.includes('ccs1') || key === 'ccombotype1' || key === 'combo1') return 'CCS1';
  if (key.includes('chademo') || key === 'cg105') return 'CHADEMO';
  if (key.includes('type2') || key === 'ctype2' || key === 'stype2' || key === 'mennekes') return 'TYPE2';
  if (key.includes('type1') || key === 'ctype1' || key === 'j1772') return 'TYPE1';
  if (key.includes('gbtac') || key === 'cgbt') return 'GBT_AC';
  if (key.includes('gbtdc')) return 'GBT_DC';
  if (key.includes('nacs') || key.includes('tesla') || key === 'cnacs') return 'NACS';
  if (key.includes('schuko') || key === 'sschuko') return 'SCHUKO';
  return 'OTHER';
}

/**
 * Stores SteVe's location, address and connector types for one page of charge points. Sources
 * without them (SteVe's REST API) leave `location` / `connectorType` undefined: nothing is written.
 */
export async function recordSteveSiteData(
  tx: Tx,
  chargePoints: readonly SteveChargePoint[],
  chargerIds: ReadonlyMap<string, string>,
): Promise<void> {
  const withLocation = chargePoints.filter((cp) => cp.location && chargerIds.has(cp.chargeBoxId));
  if (withLocation.length > 0) {
    const ids = withLocation.map((cp) => chargerIds.get(cp.chargeBoxId)!);
    const existing = await tx.chargerProfile.findMany({ where: { chargerId: { in: ids } } });
    const byId = new Map(existing.map((p) => [p.chargerId, p]));
    for (const cp of withLocation) {
      const chargerId = chargerIds.get(cp.chargeBoxId)!;
      const loc = cp.location!;
      const row = byId.get(chargerId);
      const data = { steveLatitude: loc.latitude, steveLongitude: loc.longitude, steveAddress: loc.address };
      if (!row) {
        if (loc.latitude === null && loc.longitude === null && loc.address === null) continue;
        await tx.chargerProfile.create({ data: { chargerId, ...data } });
      } else if (
        row.steveLatitude !== data.steveLatitude ||
        row.steveLongitude !== data.steveLongitude ||
        row.steveAddress !== data.steveAddress
      ) {
        await tx.chargerProfile.update({ where: { chargerId }, data });
      }
    }
  }

  const typed = chargePoints.flatMap((cp) => {
    const chargerId = chargerIds.get(cp.chargeBoxId);
    if (!chargerId) return [];
    return cp.connectors
      .filter((c) => c.connectorType !== undefined && c.connectorId >= 1)
      .map((c) => ({ chargerId, connectorId: c.connectorId, type: c.connectorType ?? null }));
  });
  if (typed.length === 0) return;
  const connectors = await tx.connector.findMany({
    where: { chargerId: { in: [...new Set(typed.map((t) => t.chargerId))] } },
    select: {
      id: true,
      chargerId: true,
      connectorId: true,
      profile: { select: { steveConnectorType: true } },
    },
  });
  const byKey = new Map(connectors.map((c) => [`${c.chargerId}:${c.connectorId}`, c]));
  for (const t of typed) {
    const row = byKey.get(`${t.chargerId}:${t.connectorId}`);
    if (!row) continue;
    const current = row.profile?.steveConnectorType ?? null;
    if (current === t.type && (row.profile || t.type === null)) continue;
    await tx.connectorProfile.upsert({
      where: { connectorId: row.id },
      create: { connectorId: row.id, steveConnectorType: t.type },
      update: { steveConnectorType: t.type },
    });
  }
}

/** The display name a driver sees: the operator's, else SteVe's description, else the chargeBoxId. */
export function chargerDisplayName(c: {
  chargeBoxId: string;
  description: string | null;
  profile: { displayName: string | null } | null;
}): string {
  return c.profile?.displayName?.trim() || c.description?.trim() || c.chargeBoxId;
}

export interface ChargerLocation {
  siteName: string | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** Operator's values win field by field over SteVe's; coordinates only as a pair. */
export function chargerLocation(
  profile: {
    siteName: string | null;
    address: string | null;
    latitude: number | null;
    longitude: number | null;
    steveAddress: string | null;
    steveLatitude: number | null;
    steveLongitude: number | null;
  } | null,
): ChargerLocation {
  if (!profile) return { siteName: null, address: null, latitude: null, longitude: null };
  const own = profile.latitude !== null && profile.longitude !== null;
  const steve = profile.steveLatitude !== null && profile.steveLongitude !== null;
  return {
    siteName: profile.siteName,
    address: profile.address ?? profile.steveAddress,
    latitude: own ? profile.latitude : steve ? profile.steveLatitude : null,
    longitude: own ? profile.longitude : steve ? profile.steveLongitude : null,
  };
}
