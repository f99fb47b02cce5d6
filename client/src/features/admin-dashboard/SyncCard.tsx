import { useEffect, useState } from 'react';
import type { SyncRunStatus } from '../../gql/graphql.ts';
import { useMutation, useSubscription } from 'urql';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { cx } from '../../ui/cx.ts';
import { formatDuration, formatRelative, formatTime } from '../../ui/format.ts';
import { segmentProgress } from './segment-progress.ts';

export const SyncCardScheduleFragment = graphql(/* GraphQL */ `
  fragment SyncCard_Schedule on SyncSchedule {
    tier
    nextRunAt
    interval
    consecutiveFailures
    lastSuccessAt
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

/** A lag in milliseconds: "180 ms", "1.2 s" (Intl units). */
function formatLag(ms: number): string {
  if (ms < 1000) return new Intl.NumberFormat(undefined, { style: 'unit', unit: 'millisecond' }).format(ms);
  return new Intl.NumberFormat(undefined, { style: 'unit', unit: 'second', maximumFractionDigits: 1 }).format(
    ms / 1000,
  );
}

export const SyncCardChangeCaptureFragment = graphql(/* GraphQL */ `
  fragment SyncCard_ChangeCapture on ChangeCapture {
    status
    streaming
    problem
    lagMs
    lastAppliedAt
  }
`);

const segmentLabels: Record<string, string> = {
  CHARGERS: 'Chargers',
  CONNECTOR_STATUS: 'Connector status',
  TAGS: 'Tags (EV cards)',
  TRANSACTIONS: 'Transactions',
  METER_VALUES: 'Meter values',
  RESERVATIONS: 'Reservations',
};

const runStatusLabels: Record<SyncRunStatus, string> = {
  FAILED: 'Failed',
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
};

const triggerLabels: Record<string, string> = {
  MANUAL: 'asked for by an operator',
  SCHEDULED: 'scheduled',
  STARTUP: 'at server start',
  START_REQUEST: 'after a start request',
};

/**
 * A run shows as "Active sync run" only once it has been in flight this long: at the LIVE cadence
 * most runs take a fraction of a second, and the card would flash every few seconds.
 */
export const ANIMATE_AFTER_MS = 1_500;

/**
 * "Sync schedule" with the Adaptive Cadence tier, next run and the last run's result; a run that
 * lasts long enough to see turns it into "Active sync run" with a border beam and per-segment
 * progress. The schedule shown is always the dashboard's (the same as the header strip's).
 */
export function SyncCard(props: {
  schedule: FragmentType<typeof SyncCardScheduleFragment>;
  activeRun: FragmentType<typeof SyncCardRunFragment> | null;
  lastRun: FragmentType<typeof SyncCardRunFragment> | null;
  changeCapture: FragmentType<typeof SyncCardChangeCaptureFragment>;
  /** Called when a run finishes or one was asked for, so the page reloads what changed. */
  onChanged: () => void;
}) {
  const { onChanged } = props;
  const schedule = useFragment(SyncCardScheduleFragment, props.schedule);
  const capture = useFragment(SyncCardChangeCaptureFragment, props.changeCapture);
  const initialRun = useFragment(SyncCardRunFragment, props.activeRun);
  const lastRun = useFragment(SyncCardRunFragment, props.lastRun);
  const [progress] = useSubscription({ query: SyncProgressSubscription });
  const liveRun = useFragment(SyncCardRunFragment, progress.data?.syncRunProgress ?? null);
  const [trigger, triggerSync] = useMutation(TriggerSyncMutation);

  // The newest run we know of: the subscription's when it is about the same or a later run.
  const known = [liveRun, initialRun, lastRun].filter((r) => r !== null);
  const run = known.reduce<(typeof known)[number] | null>(
    (newest, r) => (!newest || r.startedAt > newest.startedAt ? r : newest),
    null,
  );
  const inFlight = run?.status === 'RUNNING';
  const finishedRunId = run && run.status !== 'RUNNING' && liveRun?.id === run.id ? run.id : null;
  useEffect(() => {
    if (finishedRunId) onChanged();
  }, [finishedRunId, onChanged]);

  // Animate only a run still in flight after ANIMATE_AFTER_MS.
  const runningId = inFlight ? run.id : null;
  const [slowRunId, setSlowRunId] = useState<string | null>(null);
  useEffect(() => {
    if (!runningId) return;
    const id = setTimeout(() => setSlowRunId(runningId), ANIMATE_AFTER_MS);
    return () => clearTimeout(id);
  }, [runningId]);
  const showActive = inFlight && slowRunId === run.id;
  // The last finished run: the one in flight is not a result yet.
  const lastFinished = [liveRun, lastRun, initialRun]
    .filter((r) => r !== null && r.status !== 'RUNNING')
    .reduce<(typeof known)[number] | null>(
      (newest, r) => (r && (!newest || r.startedAt > newest.startedAt) ? r : newest),
      null,
    );

  const [, tick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => tick((n) => n + 1), 5_000);
    return () => clearInterval(id);
  }, []);

  const syncNow = (
    <Button
      size="small"
      variant="primary"
      busy={trigger.fetching}
      disabled={inFlight}
      title={inFlight ? 'A sync run is in flight; Sync now is available again when it ends.' : undefined}
      onClick={() => void triggerSync({}).then(onChanged)}
    >
      Sync now
    </Button>
  );

  return (
    <div
      className={cx('dash-beam', showActive && 'dash-beam--active')}
      data-testid="sync-card"
      data-in-flight={showActive}
    >
      <Card
        title={showActive ? 'Active sync run' : 'Sync schedule'}
        subtitle={
          showActive
            ? `Started ${formatTime(run.startedAt, { seconds: true })} · ${triggerLabels[run.trigger] ?? run.trigger.toLowerCase()}`
            : 'Adaptive Cadence'
        }
        actions={syncNow}
      >
        {trigger.error && <ErrorMessage compact>{trigger.error.message}</ErrorMessage>}
        {showActive ? (
          <ul className="dash-segments" aria-label="Segment progress">
            {run.segments.map((s) => {
              const { percent, text } = segmentProgress(s);
              return (
                <li key={s.kind} className="dash-segment" data-status={s.status} data-kind={s.kind}>
                  <span>{segmentLabels[s.kind] ?? s.kind}</span>
                  <span
                    className={cx('dash-segment__bar', percent === null && 'dash-segment__bar--unknown')}
                    role="progressbar"
                    aria-label={segmentLabels[s.kind] ?? s.kind}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={percent ?? undefined}
                    aria-valuetext={text}
                  >
                    <span className="dash-segment__fill" style={{ width: `${percent ?? 100}%` }} />
                  </span>
                  <span className="dash-segment__count">{text}</span>
                </li>
              );
            })}
          </ul>
        ) : (
          <dl className="dash-facts" data-testid="sync-facts">
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
            <dd data-testid="sync-tier">
              <Badge tone={schedule.tier === 'BACKOFF' ? 'warning' : 'info'}>{schedule.tier}</Badge>{' '}
              <span className="app-muted">{tierLabels[schedule.tier]}</span>
            </dd>
            <dt>Next run</dt>
            <dd data-testid="next-sync" data-at={schedule.nextRunAt}>
              {formatTime(schedule.nextRunAt, { seconds: true })}{' '}
              <span className="app-muted">({formatRelative(schedule.nextRunAt)})</span>
            </dd>
            <dt>Interval</dt>
            <dd>{formatDuration(schedule.interval)}</dd>
            <dt>Last success</dt>
            <dd data-testid="last-success" data-at={schedule.lastSuccessAt ?? ''}>
              {schedule.lastSuccessAt
                ? formatRelative(schedule.lastSuccessAt)
                : 'No sync run has completed yet'}
            </dd>
            {lastFinished && (
              <>
                <dt>Last run</dt>
                <dd data-testid="last-run" data-run-id={lastFinished.id}>
                  <Badge tone={lastFinished.status === 'FAILED' ? 'danger' : 'success'}>
                    {runStatusLabels[lastFinished.status]}
                  </Badge>{' '}
                  {lastFinished.finishedAt ? formatRelative(lastFinished.finishedAt) : ''}
                  {inFlight && <span className="app-muted"> · another run is under way</span>}
                </dd>
              </>
            )}
          </dl>
        )}
      </Card>
    </div>
  );
}
