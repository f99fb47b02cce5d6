import type { SyncSegmentStatus } from '../../gql/graphql.ts';
import { formatCount } from '../../ui/format.ts';

/** A segment's bar and count: the bar is exactly processed / total; an unknown total is "…". */
export function segmentProgress(s: { status: SyncSegmentStatus; processed: number; total?: number | null }): {
  percent: number | null;
  text: string;
} {
  const finished = s.status === 'SUCCEEDED' || s.status === 'SKIPPED';
  if (s.status === 'PENDING') return { percent: 0, text: 'waiting' };
  if (s.status === 'SKIPPED') return { percent: 100, text: 'skipped' };
  // A finished segment without a total read everything there was.
  const total = s.total ?? (finished ? s.processed : null);
  const count =
    total === null
      ? `${formatCount(s.processed)} / …`
      : `${formatCount(s.processed)} / ${formatCount(total)}`;
  const percent =
    total === null
      ? null
      : total === 0
        ? finished
          ? 100
          : 0
        : Math.min(100, Math.round((s.processed / total) * 100));
  return { percent, text: s.status === 'FAILED' ? `${count} failed` : count };
}
