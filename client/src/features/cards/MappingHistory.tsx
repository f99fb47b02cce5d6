import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { formatDateTime } from '../../ui/format.ts';

const MappingFragment = graphql(/* GraphQL */ `
  fragment MappingHistory_Card on EvCard {
    customerMappings {
      id
      current
      startedAt
      endedAt
      customer {
        id
        name
        externalId
      }
      actor {
        id
        email
      }
    }
  }
`);

/** Which Lago customers the card was billed to, newest first; re-pointing keeps the old rows. */
export function MappingHistory(props: { card: FragmentType<typeof MappingFragment> }) {
  const { customerMappings } = useFragment(MappingFragment, props.card);
  return (
    <Card title="Customer mapping history">
      {customerMappings.length === 0 ? (
        <EmptyState title="Never mapped" compact>
          The card has not been linked to a Lago customer yet.
        </EmptyState>
      ) : (
        <table className="admin-table" aria-label="Customer mapping history">
          <thead>
            <tr>
              <th>Customer</th>
              <th>From</th>
              <th>Until</th>
              <th>By</th>
            </tr>
          </thead>
          <tbody>
            {customerMappings.map((m) => (
              <tr key={m.id}>
                <td>
                  {m.customer.name} <span className="app-muted admin-mono">{m.customer.externalId}</span>
                </td>
                <td>{formatDateTime(m.startedAt)}</td>
                <td>{m.current ? 'current' : formatDateTime(m.endedAt)}</td>
                <td>{m.actor?.email ?? 'system / API key'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
