import DataLoader from 'dataloader';

/**
 * One query for the same per-viewer read of many viewers at once.
 *
 * When a sync page changes the sessions of N drivers it publishes N `driver:session` events in one
 * go, and N subscriptions — N different people, so nothing is shared (lib/shared-subscriptions.ts)
 * — each run their own execution and each would read their own row. Here the reads that start in
 * the same turn of the event loop (those N executions, or N subscriptions arriving in one network
 * read) are gathered by DataLoader and answered by one `… WHERE owner IN (…)` query per batch.
 *
 * Each caller still gets only the row of the id it asked for (its viewer's own id), and each
 * execution still checks its field scopes on it: batching changes how rows are fetched, not who
 * may see them. Nothing is cached — every event reads afresh — and a batch whose query fails fails
 * every caller in it (each gets the error in its own result).
 *
 * Loads are grouped by `key` (what the query depends on besides the id, e.g. the Prisma selection
 * Pothos built); a group lives only while it has loads waiting, so varied documents leave nothing
 * behind.
 */
const groupsByScope = new WeakMap<object, Map<string, DataLoader<string, unknown>>>();

/** Ids per query; a larger batch is split (PostgreSQL allows 65 535 bind parameters per statement). */
export const MAX_BATCH = 2_000;

export function batchedAcrossViewers<V>(
  scope: object,
  key: unknown,
  id: string,
  loadMany: (ids: readonly string[]) => Promise<ReadonlyMap<string, V>>,
): Promise<V | null> {
  let k: string;
  try {
    k = JSON.stringify(key);
  } catch {
    return loadMany([id]).then((rows) => rows.get(id) ?? null);
  }
  let groups = groupsByScope.get(scope);
  if (!groups) {
    groups = new Map();
    groupsByScope.set(scope, groups);
  }
  let loader = groups.get(k) as DataLoader<string, V | null> | undefined;
  if (!loader) {
    const created: DataLoader<string, V | null> = new DataLoader(
      async (ids) => {
        // Dispatched: later loads start a new batch (and this group no longer holds memory).
        if (groups.get(k) === created) groups.delete(k);
        const rows = await loadMany([...new Set(ids)]);
        return ids.map((i) => rows.get(i) ?? null);
      },
      {
        cache: false,
        maxBatchSize: MAX_BATCH,
        // After the current I/O callbacks and all their promise jobs: N subscribers woken by one
        // burst of events (or one network read) have all asked by then.
        batchScheduleFn: (dispatch) => setImmediate(dispatch),
      },
    );
    groups.set(k, created as DataLoader<string, unknown>);
    loader = created;
  }
  return loader.load(id);
}
