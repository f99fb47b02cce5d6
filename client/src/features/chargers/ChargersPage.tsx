import { Link } from 'react-router';
import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { paths } from '../../app/paths.ts';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Badge, StateBadge } from '../../ui/Badge.tsx';
import { Card } from '../../ui/Card.tsx';
import { ConnectionTable } from '../../ui/ConnectionTable.tsx';
import { usePagedQuery } from '../../ui/usePagedQuery.ts';
import { formatRelative } from '../../ui/format.ts';

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
  return (
    <>
      <PageHeader
        title="Chargers"
        documentTitle={pageTitle('Chargers', CONSOLE_NAME)}
        subtitle="Charge points registered in SteVe, as the last sync run saw them."
      />
      <Card>
        <ConnectionTable
          paged={paged}
          label="Chargers"
          columns={[
            { header: 'Charger' },
            { header: 'State' },
            { header: 'Model' },
            { header: 'Connectors', numeric: true },
            { header: 'Last heartbeat' },
            { header: 'Last seen by sync' },
          ]}
          row={(node) => <ChargerRow charger={node} />}
          loadingLabel="Loading chargers…"
          emptyTitle="No chargers yet"
          emptyText="Register a charge point in SteVe; the next sync run brings it in here."
          noun="chargers"
        />
      </Card>
    </>
  );
}
