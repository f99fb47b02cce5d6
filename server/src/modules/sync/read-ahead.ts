import type { Page } from '../../integrations/steve/port.ts';

/**
 * The pages of a keyset read, each next page requested from SteVe as soon as the current one
 * arrives, so it is read while the caller writes the current one (never inside the caller's
 * transaction: the request starts before and is awaited after it). Stops after the last page.
 */
export async function* readAhead<T, C>(
  read: (cursor: C) => Promise<Page<T, C>>,
  start: C,
): AsyncGenerator<Page<T, C>> {
  let pending = read(start);
  try {
    for (;;) {
      const page = await pending;
      if (!page.hasMore) {
        yield page;
        return;
      }
      pending = read(page.cursor);
      yield page;
    }
  } finally {
    // The caller stopped early (an error): a read still under way must not become unhandled.
    pending.catch(() => undefined);
  }
}

/** The pages of a keyset read, one after the other (the next is read after the current is written). */
export async function* pagesInTurn<T, C>(
  read: (cursor: C) => Promise<Page<T, C>>,
  start: C,
): AsyncGenerator<Page<T, C>> {
  let cursor = start;
  for (;;) {
    const page = await read(cursor);
    yield page;
    if (!page.hasMore) return;
    cursor = page.cursor;
  }
}
