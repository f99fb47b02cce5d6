import type { SteveTransaction } from '../../integrations/steve/port.ts';
import { energyKwh } from '../../lib/energy.ts';
import {
  recordSessionUsage,
  recordSessionUsages,
  type BillingTx,
  type SessionUsageInput,
  type SessionUsagePayload,
} from './billing.service.ts';

/** A session completed from a SteVe transaction, with its card's current Lago customer (if any). */
export interface CompletedSession {
  sessionId: string;
  transaction: SteveTransaction;
  customerExternalId: string | null;
}

function usagePayload(t: SteveTransaction): SessionUsagePayload {
  return {
    kwh: energyKwh(t.meterStartWh, t.meterStopWh ?? t.meterStartWh),
    startedAt: t.startedAt.toISOString(),
    stoppedAt: (t.stoppedAt ?? t.startedAt).toISOString(),
    chargeBoxId: t.chargeBoxId,
    idTag: t.idTag,
  };
}

function usageInput(s: CompletedSession): SessionUsageInput {
  return {
    sessionId: s.sessionId,
    steveTransactionPk: s.transaction.pk,
    payload: usagePayload(s.transaction),
    customerExternalId: s.customerExternalId,
  };
}

/**
 * The sync's billing hook for sessions that just completed: their usage events commit in the same
 * transaction as the completion (one per session; applying the same completion again queues nothing).
 */
export async function recordCompletedSessions(tx: BillingTx, sessions: CompletedSession[]): Promise<void> {
  if (sessions.length) await recordSessionUsages(tx, sessions.map(usageInput));
}

/**
 * The sync's billing hook for a stop SteVe replaced: billing decides between in-place update,
 * correction and alert. True when an alert was raised.
 */
export async function recordReplacedStop(tx: BillingTx, session: CompletedSession): Promise<boolean> {
  const outcome = await recordSessionUsage(tx, usageInput(session));
  return outcome.action === 'negative';
}
