import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { paths } from '../../app/paths.ts';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { ConnectionTable } from '../../ui/ConnectionTable.tsx';
import { usePagedQuery } from '../../ui/usePagedQuery.ts';
import { formatDateTime } from '../../ui/format.ts';
import { isFixKind, OneClickFix } from '../chargers/OneClickFix.tsx';
import { useUnreadAlertCount } from './useUnreadAlertCount.ts';

const RowFragment = graphql(/* GraphQL */ `
  fragment AlertRow_Alert on Alert {
    id
    severity
    kind
    message
    subjectType
    subjectId
    createdAt
    readAt
    connectorNumber
    charger {
      id
      name
    }
    suggestedCommand {
      kind
      connectorNumber
    }
  }
`);

const AlertsQuery = graphql(/* GraphQL */ `
  query AlertsPage($unreadOnly: Boolean, $after: String) {
    unreadAlertCount
    alerts(first: 20, after: $after, unreadOnly: $unreadOnly) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          ...AlertRow_Alert
        }
      }
    }
  }
`);

const MarkReadMutation = graphql(/* GraphQL */ `
  mutation AlertsPageMarkRead($id: ID!) {
    markAlertRead(id: $id) {
      id
      readAt
    }
  }
`);

const tones = { INFO: 'info', WARNING: 'warning', CRITICAL: 'danger' } as const;

function AlertRow(props: { alert: FragmentType<typeof RowFragment>; onRead: () => void }) {
  const a = useFragment(RowFragment, props.alert);
  const [marking, markRead] = useMutation(MarkReadMutation);
  return (
    <tr data-unread={a.readAt === null}>
      <td>
        <Badge tone={tones[a.severity]}>{a.severity}</Badge>
      </td>
      <td>
        {a.readAt === null ? <strong>{a.message}</strong> : a.message}
        <br />
        <span className="app-muted admin-mono">{a.kind}</span>
        {a.charger && (
          <>
            {' · '}
            <Link to={`${paths.admin.chargers}/${a.charger.id}`}>{a.charger.name}</Link>
            {a.connectorNumber !== null && <> · connector {a.connectorNumber}</>}
          </>
        )}
        {a.charger && isFixKind(a.suggestedCommand?.kind) && (
          <div className="alert-fix">
            <OneClickFix
              chargerId={a.charger.id}
              kind={a.suggestedCommand.kind}
              connectorNumber={a.suggestedCommand.connectorNumber ?? null}
            />
          </div>
        )}
      </td>
      <td>{formatDateTime(a.createdAt)}</td>
      <td>
        {a.readAt === null ? (
          <Button
            size="small"
            busy={marking.fetching}
            onClick={() => void markRead({ id: a.id }).then(props.onRead)}
          >
            Mark read
          </Button>
        ) : (
          <span className="app-muted">Read {formatDateTime(a.readAt)}</span>
        )}
      </td>
    </tr>
  );
}

/** Alerts raised by the system; marking one read lowers the unread count in the dashboard header. */
export function AlertsPage() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const paged = usePagedQuery({
    query: AlertsQuery,
    variables: { unreadOnly },
    connection: (d) => d.alerts,
  });
  const result = paged.first;
  const unread = useUnreadAlertCount(result.data?.unreadAlertCount);
  // A count that changed under us (an alert raised, or read elsewhere): show the list as it is now.
  const { refetch } = paged;
  const seenCount = useRef(unread);
  useEffect(() => {
    if (unread === undefined || seenCount.current === unread) return;
    const first = seenCount.current === undefined;
    seenCount.current = unread;
    if (!first) refetch();
  }, [unread, refetch]);
  return (
    <>
      <PageHeader
        title="Alerts"
        documentTitle={pageTitle('Alerts', CONSOLE_NAME)}
        subtitle={unread !== undefined ? `${unread} unread` : 'Things the system wants you to know.'}
      />
      <Card>
        <div className="admin-toolbar">
          <label>
            <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />{' '}
            Unread only
          </label>
        </div>
        <ConnectionTable
          paged={paged}
          label="Alerts"
          columns={[{ header: 'Severity' }, { header: 'Alert' }, { header: 'Raised' }, { header: '' }]}
          row={(node) => <AlertRow alert={node} onRead={refetch} />}
          loadingLabel="Loading alerts…"
          emptyTitle="No alerts"
          emptyText="Nothing needs your attention."
          noun="alerts"
        />
      </Card>
    </>
  );
}
