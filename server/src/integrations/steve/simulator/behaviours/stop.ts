import type { RemoteStopCommand } from '../../port.ts';
import { stopTransaction } from '../model/transactions.ts';
import type { SimWorld } from '../world.ts';
import { isSilent, silence } from './silent.ts';
import type { CommandOutcome, EventHandlers } from './types.ts';
import { offline } from './unavailable.ts';

/** Stop: RemoteStopTransaction; the station ends the transaction a moment later. */

export function remoteStop(world: SimWorld, command: RemoteStopCommand): CommandOutcome {
  const cp = world.reachable(command.chargeBoxId);
  if (!cp) return offline();
  const tx = world.transactions.get(command.transactionPk);
  if (!tx || tx.cpPk !== cp.pk || tx.stoppedAt !== null) {
    return {
      kind: 'STEVE_REFUSED',
      reason: 'TRANSACTION_NOT_ACTIVE',
      detail: 'This transaction is not active at this station.',
    };
  }
  const taskId = world.nextTaskId();
  if (isSilent(cp)) return silence(taskId);
  world.after(world.prng.between(1_000, 2_000), { type: 'stop', txPk: tx.pk, reason: 'Remote' });
  return { kind: 'ACCEPTED', taskId, status: 'Accepted' };
}

export const stopEvents = {
  stop(world, event) {
    stopTransaction(world, event.txPk, event.reason);
  },
} satisfies EventHandlers;
