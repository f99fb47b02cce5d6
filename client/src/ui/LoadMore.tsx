import { Button } from './Button.tsx';
import { ErrorMessage } from './ErrorMessage.tsx';
import { formatCount, pluralWord } from './format.ts';

export interface LoadMoreProps {
  /** Rows on screen. */
  shown: number;
  /** Rows matching, when known. */
  total?: number | undefined;
  /** What the rows are, plural ("chargers"); the singular drops the final "s" unless `nounOne` says. */
  noun: string;
  nounOne?: string;
  hasMore: boolean;
  loading: boolean;
  error?: { message: string } | undefined;
  onLoadMore: () => void;
  label?: string;
}

/** Under a paged list: "Showing 25 of 1,204 chargers" and a button for the next page. */
export function LoadMore({
  shown,
  total,
  noun,
  nounOne = noun.replace(/s$/, ''),
  hasMore,
  loading,
  error,
  onLoadMore,
  label = 'Load more',
}: LoadMoreProps) {
  if (shown === 0) return null;
  const what = pluralWord(total ?? shown, { one: nounOne, other: noun });
  return (
    <div className="ui-load-more">
      <span className="ui-load-more__count" data-testid="list-count" aria-live="polite">
        {total === undefined
          ? `Showing ${formatCount(shown)} ${what}`
          : `Showing ${formatCount(shown)} of ${formatCount(total)} ${what}`}
      </span>
      {error && (
        <ErrorMessage compact title="The next page could not be loaded">
          {error.message}
        </ErrorMessage>
      )}
      {hasMore && (
        <Button busy={loading} onClick={onLoadMore}>
          {error ? 'Try again' : label}
        </Button>
      )}
    </div>
  );
}
