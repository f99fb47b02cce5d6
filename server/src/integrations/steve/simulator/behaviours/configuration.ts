import type { ChangeConfigurationCommand, ConfigurationResult } from '../../port.ts';
import { READ_ONLY_KEYS, stationOps } from '../model/station-ops.ts';
import type { SimWorld } from '../world.ts';
import { isSilent, silence } from './silent.ts';
import type { CommandOutcome, DataOutcome } from './types.ts';
import { offline } from './unavailable.ts';

/**
 * Get/ChangeConfiguration on a small OCPP 1.6 key set per station: read-only keys are `Rejected`,
 * unknown keys `NotSupported`, number keys refuse other text, SecurityProfile answers `RebootRequired`.
 */

export function getConfiguration(world: SimWorld, chargeBoxId: string): DataOutcome<ConfigurationResult> {
  const cp = world.reachable(chargeBoxId);
  if (!cp) return { kind: 'FAILED', result: offline() };
  const taskId = world.nextTaskId();
  if (isSilent(cp)) return silence(taskId);
  return {
    kind: 'DATA',
    taskId,
    data: { keys: stationOps(cp).config.map((k) => ({ ...k })), unknownKeys: [] },
  };
}

export function changeConfiguration(world: SimWorld, command: ChangeConfigurationCommand): CommandOutcome {
  const cp = world.reachable(command.chargeBoxId);
  if (!cp) return offline();
  const taskId = world.nextTaskId();
  if (isSilent(cp)) return silence(taskId);
  const key = stationOps(cp).config.find((k) => k.key === command.key);
  if (!key) return { kind: 'REJECTED', taskId, status: 'NotSupported' };
  if (key.readonly || READ_ONLY_KEYS.has(key.key)) return { kind: 'REJECTED', taskId, status: 'Rejected' };
  if (/Interval|TimeOut|SecurityProfile/.test(key.key) && !/^\d+$/.test(command.value)) {
    return { kind: 'REJECTED', taskId, status: 'Rejected', detail: 'Not a whole number' };
  }
  key.value = command.value;
  return { kind: 'ACCEPTED', taskId, status: key.key === 'SecurityProfile' ? 'RebootRequired' : 'Accepted' };
}
