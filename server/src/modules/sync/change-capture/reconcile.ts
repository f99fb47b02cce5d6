import type { Db } from '../../../lib/db.ts';
import type { SyncEngine } from '../sync.engine.ts';
import type { SyncScheduler } from '../sync.scheduler.ts';

/**
 * The full sync change capture runs before (re)starting its stream: through the job queue when it
 * runs (so it never overlaps another instance's run), in this process otherwise. Resolves once a
 * RECONCILE run that started after the request finished; rejects when it failed.
 */
export async function reconcileRun(
  deps: { db: Db; engine: SyncEngine; scheduler: SyncScheduler | null },
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<void> {
  const { db, engine, scheduler } = deps;
  if (!scheduler?.started) {
    const run = await engine.run({ trigger: 'RECONCILE' });
    if (run.status === 'FAILED') throw new Error(run.error ?? 'reconciliation run failed');
    return;
  }
  const since = new Date(engine.now().getTime() - 1);
  await scheduler.requestImmediate('RECONCILE');
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  // Wait for the condition (the run's row says it finished), checking twice a second.
  for (;;) {
    const run = await db.syncRun.findFirst({
      where: { trigger: 'RECONCILE', startedAt: { gte: since }, finishedAt: { not: null } },
      orderBy: { startedAt: 'desc' },
      select: { status: true, error: true },
    });
    if (run?.status === 'SUCCEEDED') return;
    if (run?.status === 'FAILED') throw new Error(run.error ?? 'reconciliation run failed');
    if (Date.now() > deadline) throw new Error('reconciliation run did not finish in time');
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}
