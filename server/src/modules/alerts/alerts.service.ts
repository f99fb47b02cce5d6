import type { Prisma } from '../../generated/prisma/client.ts';

/**
 * Writes alerts; one whose `dedupeKey` already exists is left as it is. True when at least one new
 * alert was written (the caller then announces `alerts:changed` once its transaction committed).
 */
export async function recordAlerts(
  tx: Pick<Prisma.TransactionClient, 'alert'>,
  alerts: Prisma.AlertCreateManyInput[],
): Promise<boolean> {
  if (alerts.length === 0) return false;
  const { count } = await tx.alert.createMany({ data: alerts, skipDuplicates: true });
  return count > 0;
}
