import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { paths } from '../../app/paths.ts';
import { graphql } from '../../gql/gql.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { useUnreadAlertCount } from '../alerts/useUnreadAlertCount.ts';
import { DemoPanel } from './DemoPanel.tsx';
import { HealthCard } from './HealthCard.tsx';
import { LiveNowCard } from './LiveNowCard.tsx';
import { SyncCard } from './SyncCard.tsx';
import { ThisWeekCard } from './ThisWeekCard.tsx';
import { WelcomeBanner } from './WelcomeBanner.tsx';
import { formatRelative, formatTime } from '../../ui/format.ts';

const DashboardQuery = graphql(/* GraphQL */ `
  query AdminDashboardPage {
    adminDashboard {
      welcome
      chargersOnline
      chargersTotal
      unreadAlerts
      syncSchedule {
        nextRunAt
        ...SyncCard_Schedule
      }
      activeSyncRun {
        ...SyncCard_Run
      }
      liveSessions {
        ...LiveNowCard_Session
      }
      weeklyFigures {
        ...ThisWeekCard_Figures
      }
      health {
        warnings {
          code
          message
        }
      }
    }
    changeCapture {
      ...SyncCard_ChangeCapture
    }
    syncRuns(first: 1) {
      edges {
        node {
          id
          ...SyncCard_Run
        }
      }
    }
    serverInfo {
      lagoMode
    }
  }
`);

const ChargerChangedSubscription = graphql(/* GraphQL */ `
  subscription AdminDashboardChargerChanged {
    chargerStateChanged {
      id
      state
    }
  }
`);

/** The operator's daily check-in at `/admin`: header strip, then Live now, sync, Health and This week. */
export function AdminDashboardPage() {
  const [result, refetch] = useQuery({ query: DashboardQuery, requestPolicy: 'cache-and-network' });
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);

  // Charger state changes move the online count; reload at most once a second.
  const [changed] = useSubscription({ query: ChargerChangedSubscription });
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!changed.data || pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      reload();
    }, 1_000);
  }, [changed.data, reload]);
  useEffect(() => () => clearTimeout(pending.current ?? undefined), []);

  // Bumped when something the Health card reports was changed from this page (the demo panel).
  const [healthSignal, setHealthSignal] = useState(0);
  const d = result.data?.adminDashboard;
  // Live: the server re-sends the count when an alert is raised or marked read.
  const unreadAlerts = useUnreadAlertCount(d?.unreadAlerts);
  return (
    <div className="dash-page">
      <PageHeader
        title="Dashboard"
        documentTitle={pageTitle('Dashboard', CONSOLE_NAME)}
        subtitle="Live sessions, sync runs, fleet health and the week’s figures."
        actions={
          result.data?.serverInfo.lagoMode === 'sandbox' ? (
            <DemoPanel
              onChanged={() => {
                setHealthSignal((n) => n + 1);
                reload();
              }}
              recheckSignal={healthSignal}
            />
          ) : undefined
        }
      />
      {!d && result.fetching && <Spinner block label="Loading the dashboard…" />}
      {!d && result.error && (
        <ErrorMessage onRetry={reload}>
          The dashboard could not be loaded: {result.error.message}
        </ErrorMessage>
      )}
      {d && (
        <>
          {d.welcome && (
            <WelcomeBanner
              steveUnreachable={
                d.health.warnings.find((w) => w.code === 'STEVE_UNREACHABLE')?.message ?? null
              }
            />
          )}
          <div className="dash-strip" aria-label="Fleet at a glance">
            <Link className="dash-strip__item" to={paths.admin.chargers} data-testid="strip-chargers">
              <span className="dash-strip__label">Chargers online</span>
              <span className="dash-strip__value">
                <span data-testid="chargers-online">{d.chargersOnline}</span> / {d.chargersTotal}
              </span>
              <span className="dash-strip__hint">online / total</span>
            </Link>
            <div
              className="dash-strip__item"
              data-testid="strip-next-sync"
              data-at={d.syncSchedule.nextRunAt}
            >
              <span className="dash-strip__label">Next sync run</span>
              <span className="dash-strip__value">
                {formatTime(d.syncSchedule.nextRunAt, { seconds: true })}
              </span>
              <span className="dash-strip__hint">{formatRelative(d.syncSchedule.nextRunAt)}</span>
            </div>
            <Link className="dash-strip__item" to={paths.admin.alerts} data-testid="strip-alerts">
              <span className="dash-strip__label">Unread alerts</span>
              <span className="dash-strip__value" data-testid="unread-alerts">
                {unreadAlerts}
              </span>
              <span className="dash-strip__hint">
                {unreadAlerts === 0 ? 'nothing new' : 'open the alerts'}
              </span>
            </Link>
          </div>
          <div className="dash-grid">
            <LiveNowCard sessions={d.liveSessions} />
            <SyncCard
              schedule={d.syncSchedule}
              activeRun={d.activeSyncRun ?? null}
              lastRun={result.data?.syncRuns.edges[0]?.node ?? null}
              changeCapture={result.data!.changeCapture}
              onChanged={reload}
            />
            <HealthCard recheckSignal={healthSignal} />
            <ThisWeekCard figures={d.weeklyFigures} />
          </div>
        </>
      )}
    </div>
  );
}
