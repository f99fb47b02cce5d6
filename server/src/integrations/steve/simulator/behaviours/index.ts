import type { SimEvent, SimEventType } from '../model/types.ts';
import type { SimWorld } from '../world.ts';
import { backgroundEvents } from './background.ts';
import { faultEvents } from './faults.ts';
import { reservationEvents } from './reservations.ts';
import { resetEvents } from './reset.ts';
import { startEvents } from './start.ts';
import { stopEvents } from './stop.ts';
import { triggerEvents } from './trigger.ts';
import type { EventOf } from './types.ts';
import { unavailableEvents } from './unavailable.ts';

/**
 * The simulator's OCPP behaviours, one small unit per file. The pattern for a new one (say a
 * charger reset command):
 *
 * 1. `behaviours/<name>.ts` exports the command as a plain function `(world, command) => CommandOutcome`
 *    (synchronous; return `silence(taskId)` for a station that never answers, the facade waits).
 * 2. Delayed steps (the station acting a few seconds later) are events: add the event to `SimEvent` in
 *    model/types.ts, export its handler in an `EventHandlers` object and list that object below.
 * 3. Call the command from the port facade (../fleet-simulator.ts) through `#command`, which advances
 *    the clock first and saves the state afterwards.
 *
 * Every event type needs a handler: the table below fails to compile otherwise.
 */
type CompleteHandlers = { [K in SimEventType]: (world: SimWorld, event: EventOf<K>) => void };

// Fails to compile when an event type has no handler.
const handlers: CompleteHandlers = {
  ...backgroundEvents,
  ...startEvents,
  ...stopEvents,
  ...reservationEvents,
  ...unavailableEvents,
  ...resetEvents,
  ...triggerEvents,
  ...faultEvents,
};

/** Runs one due event. */
export function dispatch(world: SimWorld, event: SimEvent): void {
  const handler = handlers[event.type] as (world: SimWorld, event: SimEvent) => void;
  handler(world, event);
}

export { remoteStart } from './start.ts';
export { remoteStop } from './stop.ts';
export { cancelReservation, reserveNow } from './reservations.ts';
export { blockTag, createTag, expireTag, unblockTag } from './tags.ts';
export { noAnswer } from './silent.ts';
export { reset } from './reset.ts';
export { unlockConnector } from './unlock.ts';
export { changeAvailability } from './availability.ts';
export { triggerMessage } from './trigger.ts';
export { changeConfiguration, getConfiguration } from './configuration.ts';
export {
  clearChargingProfile,
  getCompositeSchedule,
  listChargingProfiles,
  setChargingProfile,
} from './charging-profiles.ts';
export { faultConnector, scheduleConnectorFault } from './faults.ts';
export type { CommandOutcome, DataOutcome } from './types.ts';
