import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { paths } from '../../app/paths.ts';
import { graphql } from '../../gql/gql.ts';
import { Button, buttonClassName } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { isAdmin } from '../auth/roles.ts';
import { useSession } from '../auth/useSession.ts';
import { ActiveSessionBanner } from './ActiveSessionBanner.tsx';
import { ChargerCard } from './ChargerCard.tsx';
import {
  FAILED_OUTCOMES,
  PickChargerModal,
  START_FAILED_TEXT,
  StartRequestUpdatedSubscription,
  type DetachedStart,
} from './PickChargerModal.tsx';
import { RecentSessionRow } from './RecentSessions.tsx';
import { UsageCard } from './UsageCard.tsx';
import './driver-dashboard.css';

const DriverDashboardQuery = graphql(/* GraphQL */ `
  query DriverDashboard {
    viewer {
      id
      name
      status
      impersonatedBy {
        email
      }
      cards {
        publicId
        status
        isPrimary
      }
    }
    chargers(first: 50) {
      edges {
        node {
          id
          ...ChargerCard_Charger
        }
      }
    }
  }
`);

// A second document: one query with everything exceeds the API's per-document cost limit.
const DriverHistoryQuery = graphql(/* GraphQL */ `
  query DriverHistory {
    sessions(first: 10) {
      edges {
        node {
          id
          ...RecentSessionRow_Session
        }
      }
    }
    usage {
      ...UsageCard_Usage
    }
  }
`);

const ActiveSessionSubscription = graphql(/* GraphQL */ `
  subscription DriverActiveSession {
    activeSession {
      id
      ...ActiveSessionBanner_Session
    }
  }
`);

const ChargerStateSubscription = graphql(/* GraphQL */ `
  subscription DriverChargerStateChanged {
    chargerStateChanged {
      id
      state
    }
  }
`);

/**
 * Follows a start the driver left by closing "Pick charger": reports a failure, or refreshes once the
 * session exists. Renders nothing.
 */
function DetachedStartWatcher(props: {
  requestId: string;
  onFailed: (message: string) => void;
  onStarted: () => void;
}) {
  const { requestId, onFailed, onStarted } = props;
  const [updates] = useSubscription({ query: StartRequestUpdatedSubscription, variables: { id: requestId } });
  const update = updates.data?.startRequestUpdated;
  useEffect(() => {
    if (!update || update.id !== requestId) return;
    if (update.session) onStarted();
    else if (FAILED_OUTCOMES.has(update.outcome)) onFailed(update.message ?? START_FAILED_TEXT);
  }, [update, requestId, onFailed, onStarted]);
  return null;
}

/** The driver's home at `/`: the active-session banner, chargers, recent sessions and usage. */
export function DriverDashboardPage() {
  const { state } = useSession();
  const session = state.status === 'signed-in' ? state.session : null;
  if (session && isAdmin(session.user) && !session.session.impersonatedBy) {
    return (
      <>
        <PageHeader title="Driver dashboard" documentTitle={pageTitle('Dashboard')} />
        <EmptyState
          title="This dashboard is for drivers"
          action={
            <Link className={buttonClassName('primary')} to={paths.admin.dashboard}>
              Open the operator console
            </Link>
          }
        >
          Operators work in the console. To see what a driver sees, use “view as driver” there.
        </EmptyState>
      </>
    );
  }
  return <DriverDashboard />;
}

function DriverDashboard() {
  const [result, reexecute] = useQuery({ query: DriverDashboardQuery });
  const [history, reexecuteHistory] = useQuery({ query: DriverHistoryQuery });
  const [pickerOpen, setPickerOpen] = useState(false);
  const refreshChargers = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const refresh = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
    reexecuteHistory({ requestPolicy: 'network-only' });
  }, [reexecute, reexecuteHistory]);

  // Live kWh: the subscription sends the current session (or null) at once, then every change.
  const [live] = useSubscription({ query: ActiveSessionSubscription });
  const active = live.data?.activeSession ?? null;

  // A session started or stopped: recent sessions and usage change too.
  const activeId = active?.id ?? null;
  const previous = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (previous.current !== undefined && previous.current !== activeId) refresh();
    previous.current = activeId;
  }, [activeId, refresh]);

  // Charger states change all the time; refetch (coalesced) when the sync reports one.
  const pendingRefetch = useRef<ReturnType<typeof setTimeout> | null>(null);
  useSubscription({ query: ChargerStateSubscription }, (_prev, event) => {
    if (!pendingRefetch.current) {
      pendingRefetch.current = setTimeout(() => {
        pendingRefetch.current = null;
        refreshChargers();
      }, 500);
    }
    return event;
  });
  useEffect(() => () => clearTimeout(pendingRefetch.current ?? undefined), []);

  const closePicker = useCallback(() => setPickerOpen(false), []);

  // A start the driver closed the dialog on: followed here, its failure shown until dismissed.
  const [detachedRequest, setDetachedRequest] = useState<string | null>(null);
  const [startFailure, setStartFailure] = useState<string | null>(null);
  const onDetached = useCallback(
    (start: DetachedStart) => {
      if (start.kind === 'pending') {
        setDetachedRequest(start.requestId);
      } else if (start.kind === 'failed') {
        setStartFailure(start.message);
      } else {
        refresh();
      }
    },
    [refresh],
  );
  const onDetachedFailed = useCallback((message: string) => {
    setDetachedRequest(null);
    setStartFailure(message);
  }, []);
  const onDetachedStarted = useCallback(() => {
    setDetachedRequest(null);
    refresh();
  }, [refresh]);
  const openPicker = useCallback(() => {
    setStartFailure(null);
    setPickerOpen(true);
  }, []);
  const data = result.data;
  const viewer = data?.viewer;
  const readOnly = Boolean(viewer?.impersonatedBy);
  const firstName = viewer?.name.split(' ')[0];
  const chargers = data?.chargers.edges.map((e) => e.node) ?? [];
  const sessions = history.data?.sessions.edges.map((e) => e.node) ?? [];
  const hasActiveCard = viewer?.cards.some((c) => c.status === 'ACTIVE') ?? true;

  return (
    <>
      {active && <ActiveSessionBanner session={active} readOnly={readOnly} />}
      {detachedRequest && (
        <DetachedStartWatcher
          requestId={detachedRequest}
          onFailed={onDetachedFailed}
          onStarted={onDetachedStarted}
        />
      )}
      {startFailure && (
        <div className="app-banner dd-start-failure" role="alert" data-testid="start-failure">
          <span>{startFailure}</span>
          <Button variant="ghost" onClick={() => setStartFailure(null)}>
            Dismiss
          </Button>
        </div>
      )}
      <PageHeader
        title={firstName ? `Hello, ${firstName}` : 'Your dashboard'}
        documentTitle={pageTitle('Dashboard')}
        subtitle="Your chargers, recent sessions and usage."
      />
      {((result.error && !data) || (history.error && !history.data)) && (
        <ErrorMessage
          title="Could not load your dashboard"
          onRetry={refresh}
          retrying={result.fetching || history.fetching}
        >
          {(result.error ?? history.error)?.networkError
            ? 'The server could not be reached.'
            : (result.error ?? history.error)?.message}
        </ErrorMessage>
      )}
      {viewer && viewer.status === 'INACTIVE' && (
        <p className="app-banner app-banner--warning" role="note">
          Your account is inactive, so starting a charge is refused. Contact your operator.
        </p>
      )}
      {viewer && !hasActiveCard && viewer.status === 'ACTIVE' && (
        <p className="app-banner app-banner--warning" role="note">
          You have no active EV card. Contact your operator to have a card issued or activated.
        </p>
      )}
      <div className="app-grid">
        <Card
          title="Chargers"
          busy={result.fetching}
          actions={
            <Button
              variant="primary"
              onClick={openPicker}
              disabled={readOnly || !data}
              title={readOnly ? 'Impersonation is read-only' : undefined}
            >
              Pick charger
            </Button>
          }
        >
          {!data && result.fetching ? (
            <Spinner block label="Loading chargers…" />
          ) : chargers.length === 0 ? (
            <EmptyState title="No chargers to show yet" compact>
              Chargers appear here with their state: online, in use, reserved or offline. You can start a
              session on a charger that is online.
            </EmptyState>
          ) : (
            <ul className="dd-chargers" aria-label="Chargers" data-testid="chargers">
              {chargers.map((c) => (
                <ChargerCard key={c.id} charger={c} />
              ))}
            </ul>
          )}
        </Card>
        <Card title="Recent sessions" busy={history.fetching}>
          {!history.data && history.fetching ? (
            <Spinner block label="Loading sessions…" />
          ) : sessions.length === 0 ? (
            <EmptyState title="No sessions yet" compact>
              A session shows up here once its first meter reading syncs.
            </EmptyState>
          ) : (
            <ul className="dd-sessions" aria-label="Recent sessions" data-testid="recent-sessions">
              {sessions.map((s) => (
                <RecentSessionRow key={s.id} session={s} />
              ))}
            </ul>
          )}
        </Card>
        <UsageCard usage={history.data?.usage ?? null} loading={!history.data && history.fetching} />
      </div>
      <PickChargerModal
        open={pickerOpen}
        onClose={closePicker}
        readOnly={readOnly}
        onStarted={refresh}
        onDetached={onDetached}
      />
    </>
  );
}
