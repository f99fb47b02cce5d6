import { MAX_PAGE_SIZE, type Page } from '../../integrations/steve/port.ts';
import { commitPage, type SegmentContext, type SegmentDeps, type Tx, type WriteScope } from './segment.ts';

/**
 * The shared paging driver: for every page read from SteVe, one transaction with the page's rows,
 * its cursor and the segment's progress, then the page's events. SteVe is never awaited while the
 * transaction is open (the pages come from `readAhead` or `pagesInTurn`).
 */
export async function drivePages<T, C>(
  deps: SegmentDeps,
  ctx: SegmentContext,
  pages: AsyncIterable<Page<T, C>>,
  write: (tx: Tx, page: Page<T, C>, scope: WriteScope) => Promise<void>,
): Promise<void> {
  for await (const page of pages) {
    await commitPage(deps, ctx, async (tx, scope) => {
      await write(tx, page, scope);
      ctx.processed += page.items.length;
    });
  }
}

/**
 * Page size of the segments that re-read the whole fleet every run (CHARGERS, CONNECTOR_STATUS):
 * ten pages' worth, as the stop and meter passes read. Each page costs a fixed number of statements
 * (lookups, writes, progress, commit), so a no-change run over 10k chargers needs 2 pages, not 20.
 */
export function fleetPageSize(deps: Pick<SegmentDeps, 'pageSize'>): number {
  return Math.min(MAX_PAGE_SIZE, deps.pageSize * 10);
}
