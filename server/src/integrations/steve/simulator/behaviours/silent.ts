import type { OperationResult } from '../../port.ts';
import type { SimChargePoint } from '../model/types.ts';
import type { Silence } from './types.ts';

/** Silent station ('never-answers'): SteVe sends the command, the station never replies. */

export function isSilent(cp: SimChargePoint): boolean {
  return cp.role === 'never-answers';
}

export function silence(taskId: number): Silence {
  return { kind: 'SILENT', taskId };
}

/** What SteVe reports once the operation wait has passed without an answer. */
export function noAnswer(taskId: number): OperationResult {
  return { kind: 'NO_ANSWER', taskId, detail: 'Station did not answer within the operation wait' };
}
