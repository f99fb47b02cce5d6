import { steveKey } from '../../../integrations/steve/key.ts';
import type { Tx } from '../segment.ts';
import { chargerIdsBySteveKey } from '../steve-ids.ts';

/**
 * Charger ids keyed by `steveKey(chargeBoxId)` (one query for a page): SteVe matches charge box
 * ids by its collation, so look results up with `map.get(steveKey(id))`.
 */
export function findChargerIds(tx: Tx, chargeBoxIds: string[]): Promise<Map<string, string>> {
  return chargerIdsBySteveKey(tx, chargeBoxIds);
}

/** What the writers need of an EV card. */
export interface CardRef {
  id: string;
  publicId: string;
  ownerId: string | null;
  customerId: string | null;
  customer: { externalId: string } | null;
  status: 'PENDING' | 'ACTIVE' | 'DISABLED';
  steveTagPk: number | null;
  steveTagGoneAt: Date | null;
}

/** Cards by `steveKey(idTag)`: SteVe compares idTags by its collation (case-insensitively). */
export async function findCardsByIdTag(tx: Tx, idTags: string[]): Promise<Map<string, CardRef>> {
  const unique = [...new Set(idTags)];
  if (unique.length === 0) return new Map();
  const cards = await tx.evCard.findMany({
    where: { idTag: { in: unique, mode: 'insensitive' } },
    select: {
      id: true,
      idTag: true,
      publicId: true,
      ownerId: true,
      customerId: true,
      customer: { select: { externalId: true } },
      status: true,
      steveTagPk: true,
      steveTagGoneAt: true,
    },
  });
  return new Map(cards.map((c) => [steveKey(c.idTag), c]));
}
