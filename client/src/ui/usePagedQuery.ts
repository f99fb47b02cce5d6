import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  useClient,
  useQuery,
  type AnyVariables,
  type CombinedError,
  type RequestPolicy,
  type TypedDocumentNode,
} from 'urql';

/** The part of a Relay connection paging needs. `totalCount` when the connection offers one. */
export interface PagedConnection<Edge> {
  edges: readonly Edge[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  totalCount?: number;
}

interface PageResult<Data> {
  data?: Data;
  error?: CombinedError;
}

export interface PagedQuery<Data, Edge> {
  /** The first page's result (loading, error, data). */
  first: ReturnType<typeof useQuery<Data>>[0];
  /** Every loaded edge, first page first, without duplicates (rows can shift between pages). */
  edges: Edge[];
  /** The connection's `totalCount`, when it has one and the first page has loaded. */
  totalCount: number | undefined;
  /** More rows exist after the last loaded one. */
  hasMore: boolean;
  loadMore: () => void;
  loadingMore: boolean;
  /** Why the last "load more" failed, if it did. */
  moreError: CombinedError | undefined;
  refetch: () => void;
}

/**
 * A Relay connection read page by page ("Load more"), the pages kept live: every page is an active
 * urql query, so a mutation that invalidates its rows refreshes it like the first. Changing the
 * variables (filters, search) starts again from the first page. The document must take `$after`.
 */
export function usePagedQuery<
  Data,
  Variables extends AnyVariables,
  Edge extends { node: { id: string } },
>(options: {
  query: TypedDocumentNode<Data, Variables>;
  /** Everything but `after`. */
  variables: Omit<Variables, 'after'>;
  connection: (data: Data) => PagedConnection<Edge>;
  requestPolicy?: RequestPolicy;
}): PagedQuery<Data, Edge> {
  const { query, connection, requestPolicy = 'cache-and-network' } = options;
  const key = JSON.stringify(options.variables);
  // Derived from the key, so it stays the same object while the variables are equal, whatever
  // object the caller passes (GraphQL variables are JSON: the round trip keeps them as they are).
  const variables = useMemo(() => JSON.parse(key) as Omit<Variables, 'after'>, [key]);
  const firstVariables = useMemo(() => ({ ...variables, after: null }) as unknown as Variables, [variables]);
  const [first, refetchFirst] = useQuery<Data, Variables>({
    query,
    variables: firstVariables,
    requestPolicy,
  });

  // Cursors of the pages after the first, for the variables they were asked for.
  const [more, setMore] = useState<{ key: string; afters: string[] }>({ key, afters: [] });
  const afters = useMemo(() => (more.key === key ? more.afters : []), [more, key]);
  const [pages, setPages] = useState<Record<string, PageResult<Data>>>({});
  const client = useClient();
  useEffect(() => {
    const subscriptions = afters.map((after) =>
      client
        .query<Data, Variables>(query, { ...variables, after } as unknown as Variables, { requestPolicy })
        .subscribe((result) =>
          setPages((current) => ({
            ...current,
            [`${key}\u0000${after}`]: { data: result.data, error: result.error },
          })),
        ),
    );
    return () => subscriptions.forEach((s) => s.unsubscribe());
  }, [client, query, variables, key, afters, requestPolicy]);

  const loaded: PagedConnection<Edge>[] = [];
  if (first.data) loaded.push(connection(first.data));
  let pending = false;
  let moreError: CombinedError | undefined;
  for (const after of afters) {
    const page = pages[`${key}\u0000${after}`];
    if (page?.error) moreError = page.error;
    if (!page?.data) {
      pending = !page?.error;
      break;
    }
    loaded.push(connection(page.data));
  }
  const seen = new Set<string>();
  const edges: Edge[] = [];
  for (const page of loaded) {
    for (const edge of page.edges) {
      if (seen.has(edge.node.id)) continue;
      seen.add(edge.node.id);
      edges.push(edge);
    }
  }
  const last = loaded.at(-1);
  const nextCursor = !pending && !moreError && last?.pageInfo.hasNextPage ? last.pageInfo.endCursor : null;
  const loadMore = useCallback(() => {
    if (!nextCursor) return;
    setMore((current) => {
      const known = current.key === key ? current.afters : [];
      return known.includes(nextCursor) ? current : { key, afters: [...known, nextCursor] };
    });
  }, [key, nextCursor]);
  const retryMore = useCallback(() => {
    // A failed page is asked again by dropping it and every page after it.
    setMore((current) => {
      const failed = current.afters.findIndex((after) => pages[`${key}\u0000${after}`]?.error);
      return failed < 0 ? current : { key, afters: current.afters.slice(0, failed) };
    });
  }, [key, pages]);
  const refetch = useCallback(() => refetchFirst({ requestPolicy: 'network-only' }), [refetchFirst]);
  return {
    first,
    edges,
    totalCount: first.data ? connection(first.data).totalCount : undefined,
    hasMore: pending || Boolean(moreError) || Boolean(last?.pageInfo.hasNextPage),
    loadMore: moreError ? retryMore : loadMore,
    loadingMore: pending,
    moreError,
    refetch,
  };
}
