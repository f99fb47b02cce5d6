import type { OperationData, OperationResult } from '../../port.ts';
import type { SimEvent, SimEventType } from '../model/types.ts';
import type { SimWorld } from '../world.ts';

export type EventOf<K extends SimEventType> = Extract<SimEvent, { type: K }>;

/** The delayed steps a behaviour handles, by event type. */
export type EventHandlers = { [K in SimEventType]?: (world: SimWorld, event: EventOf<K>) => void };

/** A station that never answers: the facade waits the operation timeout, then reports NO_ANSWER. */
export interface Silence {
  kind: 'SILENT';
  taskId: number;
}

/** What a command behaviour answers: SteVe's result, or silence. Behaviours never wait themselves. */
export type CommandOutcome = OperationResult | Silence;

/** What a read-style command (GetConfiguration, GetCompositeSchedule) answers: the data, a failure, or silence. */
export type DataOutcome<T> = OperationData<T> | Silence;
