import { Fragment, type ReactNode } from 'react';
import { cx } from './cx.ts';
import { EmptyState } from './EmptyState.tsx';
import { ErrorMessage } from './ErrorMessage.tsx';
import { LoadMore } from './LoadMore.tsx';
import { Spinner } from './Spinner.tsx';
import type { PagedQuery } from './usePagedQuery.ts';

export interface ConnectionColumn {
  header: ReactNode;
  /** Right-aligned figures. */
  numeric?: boolean;
}

export interface ConnectionTableProps<Data, Edge extends { node: { id: string } }> {
  /** What `usePagedQuery` returned. */
  paged: PagedQuery<Data, Edge>;
  /** The table's accessible name ("Chargers"); tests and screen readers find it by this. */
  label: string;
  columns: readonly ConnectionColumn[];
  /** One `<tr>` per node. */
  row: (node: Edge['node']) => ReactNode;
  /** "Loading chargers…". */
  loadingLabel: string;
  /** The empty state's title, and what it says below. */
  emptyTitle: string;
  emptyText?: ReactNode;
  /** What the rows are, plural ("chargers"), for "Showing 25 of 31 chargers". */
  noun: string;
  nounOne?: string;
  loadMoreLabel?: string;
}

/**
 * A paged Relay connection as a table: first-page error, loading, empty state, the rows and
 * "Load more". The table scrolls sideways inside its own box, so a phone never gets a page wider
 * than the screen.
 */
export function ConnectionTable<Data, Edge extends { node: { id: string } }>({
  paged,
  label,
  columns,
  row,
  loadingLabel,
  emptyTitle,
  emptyText,
  noun,
  nounOne,
  loadMoreLabel,
}: ConnectionTableProps<Data, Edge>) {
  const { first, edges } = paged;
  return (
    <>
      {first.error && <ErrorMessage compact>{first.error.message}</ErrorMessage>}
      {!first.data && first.fetching && <Spinner block label={loadingLabel} />}
      {first.data !== undefined && edges.length === 0 && (
        <EmptyState title={emptyTitle}>{emptyText}</EmptyState>
      )}
      {edges.length > 0 && (
        <TableBox
          label={label}
          columns={columns}
          rows={edges.map((e) => (
            <Fragment key={e.node.id}>{row(e.node)}</Fragment>
          ))}
        />
      )}
      <LoadMore
        shown={edges.length}
        total={paged.totalCount}
        noun={noun}
        {...(nounOne ? { nounOne } : {})}
        hasMore={paged.hasMore}
        loading={paged.loadingMore}
        error={paged.moreError}
        onLoadMore={paged.loadMore}
        {...(loadMoreLabel ? { label: loadMoreLabel } : {})}
      />
    </>
  );
}

/** A table in a box that scrolls sideways on its own (keyboard-reachable), for any list of rows. */
export function TableBox({
  label,
  columns,
  rows,
  className,
}: {
  label: string;
  columns: readonly ConnectionColumn[];
  rows: ReactNode;
  className?: string;
}) {
  return (
    <div
      className={cx('ui-table-box', className)}
      role="region"
      aria-label={`${label}, scrollable`}
      tabIndex={0}
    >
      <table className="admin-table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{rows}</tbody>
      </table>
    </div>
  );
}
