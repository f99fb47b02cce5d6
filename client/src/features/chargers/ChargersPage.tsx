import { Link } from 'react-router';
import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { paths } from '../../app/paths.ts';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Badge, StateBadge } from '../../ui/Badge.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { LoadMore } from '../../ui/LoadMore.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { usePagedQuery } from '../../ui/usePagedQuery.ts';
import { formatRelative } from '../admin-dashboard/format.ts';
import '../admin-dashboard/admin.css';

const RowFragment = graphql(/* GraphQL */ `
  fragment ChargerRow_Charger on Charger {
    id
    chargeBoxId
    name
    vendor
    model
    state
    lastHeartbeatAt
    lastSeenAt
    goneAt
    connectors {
      connectorId
    }
  }
`);

const ChargersQuery = graphql(/* GraphQL */ `
  query ChargersPage($after: String) {
    chargers(first: 25, after: $after, includeGone: true) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          ...ChargerRow_Charger
        }
      }
    }
  }
`);

function ChargerRow(props: { charger: FragmentType<typeof RowFragment> }) {
  const c = useFragment(RowFragment, props.charger);
  const gone = c.goneAt !== null;
  return (
    <tr data-gone={gone}>
      <td>
        <Link to={`${paths.admin.chargers}/${encodeURIComponent(c.id)}`}>{c.name}</Link>
        <br />
        <span className="app-muted admin-mono">{c.chargeBoxId}</span>
      </td>
      <td>{gone ? <Badge tone="neutral">Gone from SteVe</Badge> : <StateBadge state={c.state} />}</td>
      <td>{[c.vendor, c.model].filter(Boolean).join(' ') || '—'}</td>
      <td className="num">{c.connectors.length}</td>
      <td>{formatRelative(c.lastHeartbeatAt)}</td>
      <td>{gone ? `gone ${formatRelative(c.goneAt)}` : formatRelative(c.lastSeenAt)}</td>
    </tr>
  );
}

/** Every charger the sync has seen, with state and last seen; chargers deleted in SteVe stay, marked gone. */
export function ChargersPage() {
  const paged = usePagedQuery({ query: ChargersQuery, variables: {}, connection: (d) => d.chargers });
  const result = paged.first;
  const chargers = paged.edges;
  return (
    <>
      <PageHeader
        title="Chargers"
        documentTitle={pageTitle('Chargers', CONSOLE_NAME)}
        subtitle="Charge points registered in SteVe, as the last sync run saw them."
      />
      <Card>
        {result.error && <ErrorMessage compact>{result.error.message}</ErrorMessage>}
        {!result.data && result.fetching && <Spinner block label="Loading chargers…" />}
        {result.data && chargers.length === 0 && (
          <EmptyState title="No chargers yet">
            Register a charge point in SteVe; the next sync run brings it in here.
          </EmptyState>
        )}
        {chargers.length > 0 && (
          <table className="admin-table" aria-label="Chargers">
            <thead>
              <tr>
                <th>Charger</th>
                <th>State</th>
                <th>Model</th>
                <th className="num">Connectors</th>
                <th>Last heartbeat</th>
                <th>Last seen by sync</th>
              </tr>
            </thead>
            <tbody>
              {chargers.map((e) => (
                <ChargerRow key={e.node.id} charger={e.node} />
              ))}
            </tbody>
          </table>
        )}
        <LoadMore
          shown={chargers.length}
          total={paged.totalCount}
          noun="chargers"
          hasMore={paged.hasMore}
          loading={paged.loadingMore}
          error={paged.moreError}
          onLoadMore={paged.loadMore}
        />
      </Card>
    </>
  );
}
