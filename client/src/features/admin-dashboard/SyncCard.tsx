import { useEffect, useState } from 'react';
import { useMutation, useSubscription } from 'urql';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { cx } from '../../ui/cx.ts';
import { formatInterval, formatLag, formatRelative, formatTime } from './format.ts';

export const SyncCardScheduleFragment = graphql(/* GraphQL */ `
  fragment SyncCard_Schedule on SyncSchedule {
    tier
    nextRunAt
    interval
    consecutiveFailures
    lastSuccessAt
  }
`);

export const SyncCardChangeCaptureFragment = graphql(/* GraphQL */ `
  fragment SyncCard_ChangeCapture on ChangeCapture {
    status
    streaming
    problem
    lagMs
    lastAppliedAt
  }
`);

export const SyncCardRunFragment = graphql(/* GraphQL */ `
  fragment SyncCard_Run on SyncRun {
    id
    status
    trigger
    tier
    startedAt
    finishedAt
    segments {
      kind
      status
      processed
      total
    }
  }
`);

const SyncProgressSubscription = graphql(/* GraphQL */ `
  subscription SyncCardProgress {
    syncRunProgress {
      ...SyncCard_Run
    }
  }
`);

const TriggerSyncMutation = graphql(/* GraphQL */ `
  mutation SyncCardTriggerSync {
    triggerSync {
      ...SyncCard_Schedule
    }
  }
`);

const tierLabels: Record<string, string> = {
  LIVE: 'Live — sessions running, every few seconds',
  ACTIVE: 'Active — recent activity, about every minute',
  IDLE: 'Idle — quiet fleet, every few minutes',
  BACKOFF: 'Backoff — runs failing, retrying with backoff',
  STREAMING: 'Streaming — changes arrive from SteVe’s binlog; runs only reconcile, every few minutes',
};

const captureLabels: Record<string, string> = {
  OFF: 'Change capture is off (STEVE_CDC=off)',
  UNAVAILABLE: 'Change capture unavailable',
  RECONCILING: 'Reconciling with a full sync before streaming',
  STREAMING: 'Pushed from SteVe’s binlog',
  RECONNECTING: 'Stream interrupted, reconnecting',
};

const segmentLabels: Record<string, string> = {
  CHARGERS: 'Chargers',
  CONNECTOR_STATUS: 'Connector status',
  TAGS: 'Tags (EV cards)',
  TRANSACTIONS: 'Transactions',
  METER_VALUES: 'Meter values',
  RESERVATIONS: 'Reservations',
};

/**
 * "Active sync run" with a border beam and live per-segment progress while a run is in flight,
 * otherwise "Sync schedule" with the Adaptive Cadence tier and the next run.
 */
export function SyncCard(props: {
  schedule: FragmentType<typeof SyncCardScheduleFragment>;
  activeRun: FragmentType<typeof SyncCardRunFragment> | null;
  changeCapture: FragmentType<typeof SyncCardChangeCaptureFragment>;
  /** Called when a run finishes, so the page reloads what the run changed. */
  onRunFinished: () => void;
}) {
  const { onRunFinished } = props;
  const schedule = useFragment(SyncCardScheduleFragment, props.schedule);
  const capture = useFragment(SyncCardChangeCaptureFragment, props.changeCapture);
  const initialRun = useFragment(SyncCardRunFragment, props.activeRun);
  const [progress] = useSubscription({ query: SyncProgressSubscription });
  const liveRun = useFragment(SyncCardRunFragment, progress.data?.syncRunProgress ?? null);
  const [trigger, triggerSync] = useMutation(TriggerSyncMutation);
  const triggered = useFragment(SyncCardScheduleFragment, trigger.data?.triggerSync ?? null);

  // The newest run we know of: the subscription's when it is about the same or a later run.
  const run = liveRun && (!initialRun || liveRun.startedAt >= initialRun.startedAt) ? liveRun : initialRun;
  const inFlight = run?.status === 'RUNNING';
  const finishedRunId = run && run.status !== 'RUNNING' && liveRun?.id === run.id ? run.id : null;
  useEffect(() => {
    if (finishedRunId) onRunFinished();
  }, [finishedRunId, onRunFinished]);

  const [, tick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => tick((n) => n + 1), 5_000);
    return () => clearInterval(id);
  }, []);

  const shown = triggered && triggered.nextRunAt < schedule.nextRunAt ? triggered : schedule;
  const syncNow = (
    <Button
      size="small"
      variant="primary"
      busy={trigger.fetching}
      disabled={inFlight}
      onClick={() => void triggerSync({})}
    >
      Sync now
    </Button>
  );

  return (
    <div
      className={cx('dash-beam', inFlight && 'dash-beam--active')}
      data-testid="sync-card"
      data-in-flight={inFlight}
    >
      <Card
        title={inFlight ? 'Active sync run' : 'Sync schedule'}
        subtitle={
          inFlight
            ? `Started ${formatTime(run.startedAt)} · ${run.trigger.toLowerCase()}`
            : 'Adaptive Cadence'
        }
        actions={syncNow}
      >
        {trigger.error && <ErrorMessage compact>{trigger.error.message}</ErrorMessage>}
        {inFlight ? (
          <ul className="dash-segments" aria-label="Segment progress">
            {run.segments.map((s) => {
              const pct =
                s.status === 'SUCCEEDED' || s.status === 'SKIPPED'
                  ? 100
                  : s.total
                    ? Math.min(100, Math.round((s.processed / s.total) * 100))
                    : s.status === 'RUNNING'
                      ? 50
                      : 0;
              return (
                <li key={s.kind} className="dash-segment" data-status={s.status} data-kind={s.kind}>
                  <span>{segmentLabels[s.kind] ?? s.kind}</span>
                  <span className="dash-segment__bar" aria-hidden="true">
                    <span className="dash-segment__fill" style={{ width: `${pct}%`, display: 'block' }} />
                  </span>
                  <span className="dash-segment__count">
                    {s.status === 'PENDING'
                      ? 'waiting'
                      : `${s.processed}${s.total != null ? ` / ${s.total}` : ''}`}
                    {s.status === 'FAILED' && ' failed'}
                  </span>
                </li>
              );
            })}
          </ul>
        ) : (
          <dl className="dash-facts">
            <dt>Changes</dt>
            <dd data-testid="change-capture" data-streaming={capture.streaming}>
              <Badge
                tone={capture.streaming ? 'success' : capture.status === 'RECONNECTING' ? 'warning' : 'info'}
              >
                {capture.streaming ? 'Streaming' : 'Polled'}
              </Badge>{' '}
              <span className="app-muted">{captureLabels[capture.status]}</span>
              {capture.problem && !capture.streaming && <div className="app-muted">{capture.problem}</div>}
            </dd>
            {capture.streaming && (
              <>
                <dt>Lag</dt>
                <dd data-testid="change-lag">
                  {capture.lagMs != null ? formatLag(capture.lagMs) : '—'}{' '}
                  {capture.lastAppliedAt && (
                    <span className="app-muted">(last change {formatRelative(capture.lastAppliedAt)})</span>
                  )}
                </dd>
              </>
            )}
            <dt>Cadence tier</dt>
            <dd>
              <Badge tone={shown.tier === 'BACKOFF' ? 'warning' : 'info'}>{shown.tier}</Badge>{' '}
              <span className="app-muted">{tierLabels[shown.tier]}</span>
            </dd>
            <dt>Next run</dt>
            <dd data-testid="next-sync">
              {formatTime(shown.nextRunAt)}{' '}
              <span className="app-muted">({formatRelative(shown.nextRunAt)})</span>
            </dd>
            <dt>Interval</dt>
            <dd>{formatInterval(shown.interval)}</dd>
            <dt>Last success</dt>
            <dd>
              {shown.lastSuccessAt ? formatRelative(shown.lastSuccessAt) : 'No sync run has completed yet'}
            </dd>
            {run && (
              <>
                <dt>Last run</dt>
                <dd>
                  <Badge tone={run.status === 'FAILED' ? 'danger' : 'success'}>{run.status}</Badge>{' '}
                  {run.finishedAt ? formatRelative(run.finishedAt) : ''}
                </dd>
              </>
            )}
          </dl>
        )}
      </Card>
    </div>
  );
}
