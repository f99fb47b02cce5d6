import type { OperationResult } from '../../port.ts';
import type { SimChargePoint } from '../model/types.ts';

/** Refusals: a station that rejects remote starts, and SteVe refusing an ineligible tag. */

export function refusesRemoteStart(cp: SimChargePoint): boolean {
  return cp.role === 'refuses-remote-start';
}

export function rejected(taskId: number, detail?: string): OperationResult {
  return detail === undefined
    ? { kind: 'REJECTED', taskId, status: 'Rejected' }
    : { kind: 'REJECTED', taskId, status: 'Rejected', detail };
}

export function tagNotEligible(): OperationResult {
  return {
    kind: 'STEVE_REFUSED',
    reason: 'TAG_NOT_ELIGIBLE',
    detail:
      'Requested OCPP Tag is not eligible for this operation. Ensure that the OCPP Tag is registered and active.',
  };
}
