import type { Page } from '../../integrations/steve/port.ts';
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
