import { useState } from 'react';
import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import type { SessionStatus } from '../../gql/graphql.ts';
import { CsvDownloadLink } from '../../ui/CsvDownloadLink.tsx';
import { Card } from '../../ui/Card.tsx';
import { ConnectionTable } from '../../ui/ConnectionTable.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { usePagedQuery } from '../../ui/usePagedQuery.ts';
import { formatDateTime, formatKwh } from '../../ui/format.ts';

const RowFragment = graphql(/* GraphQL */ `
  fragment SessionRow_Session on OperatorSession {
    status
    connectorNumber
    idTag
    startedAt
    stoppedAt
    energyKwh
    charger {
      name
    }
    card {
      publicId
    }
    driver {
      email
    }
  }
`);

const SessionsQuery = graphql(/* GraphQL */ `
  query SessionsPage($filter: OperatorSessionFilter, $after: String) {
    operatorSessions(first: 20, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          ...SessionRow_Session
        }
      }
    }
  }
`);

function SessionRow(props: { session: FragmentType<typeof RowFragment> }) {
  const s = useFragment(RowFragment, props.session);
  return (
    <tr>
      <td>{formatDateTime(s.startedAt)}</td>
      <td>{s.status === 'ACTIVE' ? <strong>Charging</strong> : formatDateTime(s.stoppedAt)}</td>
      <td>
        {s.charger.name} <span className="app-muted">#{s.connectorNumber}</span>
      </td>
      <td className="admin-mono">{s.card?.publicId ?? s.idTag}</td>
      <td>{s.driver?.email ?? '—'}</td>
      <td className="num">{formatKwh(s.energyKwh)}</td>
    </tr>
  );
}

/** Live and past sessions of every driver, filterable; "Download CSV" exports what the filters select. */
export function SessionsPage() {
  const [status, setStatus] = useState<SessionStatus | ''>('');
  const [search, setSearch] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [charger, setCharger] = useState('');
  const [card, setCard] = useState('');
  const [customer, setCustomer] = useState('');
  const filter = {
    status: status || null,
    search: search || null,
    from: from ? new Date(from).toISOString() : null,
    to: to ? new Date(to).toISOString() : null,
    charger: charger.trim() || null,
    card: card.trim() || null,
    customer: customer.trim() || null,
  };
  const paged = usePagedQuery({
    query: SessionsQuery,
    variables: { filter },
    connection: (d) => d.operatorSessions,
  });

  return (
    <>
      <PageHeader
        title="Sessions"
        documentTitle={pageTitle('Sessions', CONSOLE_NAME)}
        subtitle="Live and past charging sessions of every driver."
        actions={<CsvDownloadLink name="sessions" filters={filter} />}
      />
      <Card>
        <div className="admin-toolbar">
          <label className="ui-field">
            <span className="ui-field__label">Status</span>
            <select
              className="admin-select"
              value={status}
              onChange={(e) => setStatus(e.target.value as SessionStatus | '')}
            >
              <option value="">Live and past</option>
              <option value="ACTIVE">Live</option>
              <option value="COMPLETED">Completed</option>
            </select>
          </label>
          <TextField
            label="Search"
            type="search"
            placeholder="Charger, card, idTag or driver"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <TextField
            label="Started from"
            type="date"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
          <TextField label="Started before" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          <TextField
            label="Charger"
            placeholder="chargeBoxId"
            value={charger}
            onChange={(e) => setCharger(e.target.value)}
          />
          <TextField label="Card" placeholder="EV-…" value={card} onChange={(e) => setCard(e.target.value)} />
          <TextField
            label="Customer"
            placeholder="Lago customer id"
            value={customer}
            onChange={(e) => setCustomer(e.target.value)}
          />
        </div>
        <ConnectionTable
          paged={paged}
          label="Sessions"
          columns={[
            { header: 'Started' },
            { header: 'Stopped' },
            { header: 'Charger' },
            { header: 'Card' },
            { header: 'Driver' },
            { header: 'kWh', numeric: true },
          ]}
          row={(node) => <SessionRow session={node} />}
          loadingLabel="Loading sessions…"
          emptyTitle="No sessions match"
          emptyText="Sessions appear once the sync sees them."
          noun="sessions"
        />
      </Card>
    </>
  );
}
