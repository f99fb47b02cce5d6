import type {
  ClearChargingProfileCommand,
  CompositeSchedule,
  SetChargingProfileCommand,
  SteveChargingProfile,
} from '../../port.ts';
import { SIM_CHARGING_PROFILES, stationOps } from '../model/station-ops.ts';
import type { SimWorld } from '../world.ts';
import { isSilent, silence } from './silent.ts';
import type { CommandOutcome, DataOutcome } from './types.ts';
import { offline } from './unavailable.ts';

/**
 * Smart charging with SteVe's stored profiles: Set/ClearChargingProfile and GetCompositeSchedule.
 * DC chargers answer `NotSupported` to SetChargingProfile; a TxProfile for a transaction the
 * connector is not running is `Rejected`, and one that was set ends with its transaction. The
 * composite schedule is the lowest limit of every installed profile at each period start.
 */

export function listChargingProfiles(): SteveChargingProfile[] {
  return SIM_CHARGING_PROFILES.map((p) => ({ ...p, periods: p.periods.map((x) => ({ ...x })) }));
}

export function setChargingProfile(world: SimWorld, command: SetChargingProfileCommand): CommandOutcome {
  const cp = world.reachable(command.chargeBoxId);
  if (!cp) return offline();
  const profile = SIM_CHARGING_PROFILES.find((p) => p.pk === command.chargingProfilePk);
  if (!profile) {
    return { kind: 'STEVE_REFUSED', reason: 'INVALID_REQUEST', detail: 'chargingProfilePk is unknown.' };
  }
  if (command.transactionPk !== undefined && profile.purpose !== 'TxProfile') {
    return {
      kind: 'STEVE_REFUSED',
      reason: 'INVALID_REQUEST',
      detail: 'Only a TxProfile can be applied to a running session.',
    };
  }
  const taskId = world.nextTaskId();
  if (isSilent(cp)) return silence(taskId);
  if (cp.connectors.some((c) => c.powerType === 'DC'))
    return { kind: 'REJECTED', taskId, status: 'NotSupported' };
  const txPk = command.transactionPk;
  if (txPk !== undefined) {
    // The station only takes a TxProfile for a transaction it is running on that connector.
    const tx = world.transactions.get(txPk);
    if (!tx || tx.stoppedAt !== null || tx.cpPk !== cp.pk || tx.connectorId !== command.connectorId)
      return { kind: 'REJECTED', taskId, status: 'Rejected' };
  }
  const ops = stationOps(cp);
  ops.profiles = ops.profiles.filter(
    (p) => !(p.connectorId === command.connectorId && p.profilePk === profile.pk),
  );
  ops.profiles.push({
    connectorId: command.connectorId,
    profilePk: profile.pk,
    ...(txPk !== undefined ? { txPk } : {}),
  });
  return { kind: 'ACCEPTED', taskId, status: 'Accepted' };
}

export function clearChargingProfile(world: SimWorld, command: ClearChargingProfileCommand): CommandOutcome {
  const cp = world.reachable(command.chargeBoxId);
  if (!cp) return offline();
  const taskId = world.nextTaskId();
  if (isSilent(cp)) return silence(taskId);
  const ops = stationOps(cp);
  const before = ops.profiles.length;
  ops.profiles = ops.profiles.filter((p) => p.profilePk !== command.chargingProfilePk);
  return ops.profiles.length < before
    ? { kind: 'ACCEPTED', taskId, status: 'Accepted' }
    : { kind: 'REJECTED', taskId, status: 'Unknown' };
}

export function getCompositeSchedule(
  world: SimWorld,
  query: { chargeBoxId: string; connectorId: number; durationSeconds: number },
): DataOutcome<CompositeSchedule | null> {
  const cp = world.reachable(query.chargeBoxId);
  if (!cp) return { kind: 'FAILED', result: offline() };
  const taskId = world.nextTaskId();
  if (isSilent(cp)) return silence(taskId);
  const running = (txPk: number | undefined) =>
    txPk === undefined || world.transactions.get(txPk)?.stoppedAt === null;
  const pks = new Set(
    stationOps(cp)
      .profiles.filter((p) => (p.connectorId === 0 || p.connectorId === query.connectorId) && running(p.txPk))
      .map((p) => p.profilePk),
  );
  const profiles = SIM_CHARGING_PROFILES.filter((p) => pks.has(p.pk));
  if (profiles.length === 0) return { kind: 'DATA', taskId, data: null };
  const starts = [...new Set(profiles.flatMap((p) => p.periods.map((x) => x.startPeriodSeconds)))]
    .filter((s) => s < query.durationSeconds)
    .sort((a, b) => a - b);
  const limitAt = (p: SteveChargingProfile, t: number) =>
    p.periods.filter((x) => x.startPeriodSeconds <= t).at(-1)?.limit ?? Number.POSITIVE_INFINITY;
  return {
    kind: 'DATA',
    taskId,
    data: {
      connectorId: query.connectorId,
      scheduleStart: new Date(world.clock),
      durationSeconds: query.durationSeconds,
      chargingRateUnit: 'A',
      periods: starts.map((s) => ({
        startPeriodSeconds: s,
        limit: Math.min(...profiles.map((p) => limitAt(p, s))),
        numberPhases: 3,
      })),
    },
  };
}
