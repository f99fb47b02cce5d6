import type { Tx } from '../segment.ts';

/** Charger ids by SteVe chargeBoxId (one query for a page). */
export async function findChargerIds(tx: Tx, chargeBoxIds: string[]): Promise<Map<string, string>> {
  const boxes = [...new Set(chargeBoxIds)];
  if (boxes.length === 0) return new Map();
  const chargers = await tx.charger.findMany({
    where: { chargeBoxId: { in: boxes } },
    select: { id: true, chargeBoxId: true },
  });
  return new Map(chargers.map((c) => [c.chargeBoxId, c.id]));
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

/** Cards by lower-cased idTag: SteVe compares idTags case-insensitively. */
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
  return new Map(cards.map((c) => [c.idTag.toLowerCase(), c]));
}
