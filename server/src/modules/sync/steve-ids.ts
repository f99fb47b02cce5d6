import { steveKey } from '../../integrations/steve/key.ts';
import type { Prisma } from '../../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

/**
 * Polaris chargers by SteVe's identity rule for charge box ids (`steveKey`): SteVe matches a
 * station's id case-insensitively, so a transaction, status or reservation it reports under
 * `fid-case-15` belongs to the charger registered as `FID-Case-15`. Look results up with
 * `map.get(steveKey(chargeBoxId))`.
 */
export async function chargerIdsBySteveKey(tx: Tx, chargeBoxIds: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(chargeBoxIds)];
  if (unique.length === 0) return new Map();
  const chargers = await tx.charger.findMany({
    where: { chargeBoxId: { in: unique, mode: 'insensitive' } },
    select: { id: true, chargeBoxId: true },
  });
  const wanted = new Set(unique.map(steveKey));
  return new Map(
    chargers.filter((c) => wanted.has(steveKey(c.chargeBoxId))).map((c) => [steveKey(c.chargeBoxId), c.id]),
  );
}
