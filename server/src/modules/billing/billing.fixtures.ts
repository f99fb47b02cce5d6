/** Test data for billing and customer tests: chargers, cards, customers and completed sessions. */
import { subscriptionIdFor } from '../../integrations/lago/port.ts';
import type { Db } from '../../lib/db.ts';
import type { SessionUsagePayload } from './billing.service.ts';

let counter = 0;
const unique = () => `${process.pid}-${++counter}`;

export async function createCharger(db: Db) {
  return db.charger.create({ data: { chargeBoxId: `CB-${unique()}` } });
}

export async function createCard(db: Db, options: { customerId?: string | null } = {}) {
  const n = unique();
  return db.evCard.create({
    data: {
      publicId: `PX-${n}`,
      idTag: `TAG-${n}`,
      status: 'ACTIVE',
      ...(options.customerId ? { customerId: options.customerId } : {}),
    },
  });
}

/** A mirrored customer (the Lago side is the caller's business). */
export async function createCustomer(db: Db, externalId = `cus-${unique()}`) {
  return db.customer.create({ data: { externalId, name: `Customer ${externalId}` } });
}

let nextPk = 1_000_000 + (process.pid % 1000) * 100_000;
export function takePks(n: number): number[] {
  const pks = Array.from({ length: n }, (_, i) => nextPk + i);
  nextPk += n;
  return pks;
}

export function payloadFor(pk: number, kwh: number, chargeBoxId: string, idTag: string): SessionUsagePayload {
  const stoppedAt = new Date(Date.UTC(2026, 10, 1, 8) + (pk % 100_000) * 60_000);
  return {
    kwh,
    startedAt: new Date(stoppedAt.getTime() - 3_600_000).toISOString(),
    stoppedAt: stoppedAt.toISOString(),
    chargeBoxId,
    idTag,
  };
}

export interface CompletedSessionsInput {
  count: number;
  chargerId: string;
  chargeBoxId: string;
  card: { id: string; idTag: string };
  /** The card's customer when the sessions completed; null → WAITING_FOR_CUSTOMER. */
  customerExternalId: string | null;
  /** Leave externalSubscriptionId empty on PENDING rows, as the sync engine writes them. */
  withoutSubscriptionId?: boolean;
  kwh?: (pk: number) => number;
}

/** Completed sessions and their outbox rows, written as the sync engine would. Returns the pks. */
export async function createCompletedSessions(db: Db, input: CompletedSessionsInput): Promise<number[]> {
  const pks = takePks(input.count);
  const kwhOf = input.kwh ?? ((pk: number) => ((pk % 37) + 1) * 1.25);
  for (let i = 0; i < pks.length; i += 500) {
    const chunk = pks.slice(i, i + 500);
    const sessions = chunk.map((pk) => {
      const p = payloadFor(pk, kwhOf(pk), input.chargeBoxId, input.card.idTag);
      return {
        steveTransactionPk: pk,
        chargerId: input.chargerId,
        connectorNumber: 1,
        idTag: input.card.idTag,
        cardId: input.card.id,
        status: 'COMPLETED' as const,
        startedAt: new Date(p.startedAt),
        stoppedAt: new Date(p.stoppedAt),
        meterStartWh: 0,
        meterStopWh: Number(p.kwh) * 1000,
        energyKwh: Number(p.kwh),
      };
    });
    await db.chargingSession.createMany({ data: sessions });
    const ids = await db.chargingSession.findMany({
      where: { steveTransactionPk: { in: chunk } },
      select: { id: true, steveTransactionPk: true },
    });
    const idByPk = new Map(ids.map((s) => [s.steveTransactionPk, s.id]));
    await db.billingEvent.createMany({
      data: chunk.map((pk) => ({
        sessionId: idByPk.get(pk)!,
        transactionId: `polaris-session-${pk}`,
        externalSubscriptionId:
          input.customerExternalId && !input.withoutSubscriptionId
            ? subscriptionIdFor(input.customerExternalId)
            : null,
        payload: payloadFor(pk, kwhOf(pk), input.chargeBoxId, input.card.idTag) as never,
        status: input.customerExternalId ? ('PENDING' as const) : ('WAITING_FOR_CUSTOMER' as const),
      })),
    });
  }
  return pks;
}

/** Polls `check` until it returns true (no fixed sleeps): fails after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
