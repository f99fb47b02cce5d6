import type { RemoteStartCommand } from '../../port.ts';
import { reservedFor } from '../model/reservations.ts';
import { tagEligible } from '../model/tags.ts';
import { startTransaction } from '../model/transactions.ts';
import type { SimWorld } from '../world.ts';
import { refusesRemoteStart, rejected, tagNotEligible } from './refuse.ts';
import { isSilent, silence } from './silent.ts';
import type { CommandOutcome, EventHandlers } from './types.ts';
import { offline } from './unavailable.ts';

/** Start: RemoteStartTransaction, and the EV that then starts the transaction (or never shows up). */

export function remoteStart(world: SimWorld, command: RemoteStartCommand): CommandOutcome {
  const cp = world.reachable(command.chargeBoxId);
  if (!cp) return offline();
  if (!tagEligible(world, command.idTag, true)) return tagNotEligible();
  const taskId = world.nextTaskId();
  if (isSilent(cp)) return silence(taskId);
  if (refusesRemoteStart(cp)) return rejected(taskId);

  const connector =
    command.connectorId && command.connectorId > 0
      ? cp.connectors.find((c) => c.connectorId === command.connectorId)
      : (cp.connectors.find((c) => c.status === 'Available') ??
        cp.connectors.find((c) => reservedFor(world, cp, c, command.idTag)));
  if (!connector) return rejected(taskId, 'No usable connector');
  const free = connector.status === 'Available' || reservedFor(world, cp, connector, command.idTag);
  if (!free) return rejected(taskId, `Connector is ${connector.status}`);

  // Accepted only means "will try": the EV starts the transaction a few seconds later (or never).
  world.setStatus(connector, 'Preparing');
  if (world.prng.chance(world.settings.noShowRate)) {
    world.after(world.prng.between(30_000, 90_000), {
      type: 'noShow',
      cpPk: cp.pk,
      connectorId: connector.connectorId,
    });
  } else {
    world.after(world.prng.between(2_000, 4_000), {
      type: 'start',
      cpPk: cp.pk,
      connectorId: connector.connectorId,
      idTag: command.idTag,
      remote: true,
    });
  }
  return { kind: 'ACCEPTED', taskId, status: 'Accepted' };
}

export const startEvents = {
  start(world, event) {
    startTransaction(world, event.cpPk, event.connectorId, event.idTag);
  },
  noShow(world, event) {
    const connector = world.connector(event.cpPk, event.connectorId);
    if (connector?.status === 'Preparing' && connector.txPk === null) world.setStatus(connector, 'Available');
  },
} satisfies EventHandlers;
