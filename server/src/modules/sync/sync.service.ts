import type { SyncTrigger } from '../../generated/prisma/client.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ChangeCapture } from './change-capture/capture.ts';
import type { SyncEngine } from './sync.engine.ts';
import type { SyncScheduler } from './sync.scheduler.ts';

/** The sync as the rest of the app sees it (services.sync). */
export interface SyncService {
  engine: SyncEngine;
  /** Null when the app was built without background work (tests): runs then happen in-process. */
  scheduler: SyncScheduler | null;
  /** Change capture from SteVe's binlog (null when the app runs no background work). */
  capture: ChangeCapture | null;
  /**
   * Asks for a run as soon as possible; never waits for the run itself. Called after SteVe accepted
   * a RemoteStart (trigger START_REQUEST) or when an operator asks (MANUAL): the next run happens
   * right away and the cadence sees the pending start.
   */
  requestImmediate(trigger: SyncTrigger, requestedById?: string | null): Promise<{ jobId: string | null }>;
}

export function createSyncService(deps: {
  engine: SyncEngine;
  scheduler: SyncScheduler | null;
  capture?: ChangeCapture | null;
  logger: Logger;
}): SyncService {
  const { engine, scheduler, logger } = deps;
  return {
    engine,
    scheduler,
    capture: deps.capture ?? null,
    async requestImmediate(trigger, requestedById) {
      if (scheduler?.started) return { jobId: await scheduler.requestImmediate(trigger, requestedById) };
      // No queue running: run in this process (joins a run already in flight).
      await engine.markImmediate();
      engine.run({ trigger, requestedById: requestedById ?? null }).catch((error: unknown) => {
        logger.error({ err: (error as Error).message }, 'in-process sync run failed');
      });
      return { jobId: null };
    },
  };
}
