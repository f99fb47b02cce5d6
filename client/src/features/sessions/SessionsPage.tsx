import { useState } from 'react';
import { useClient } from 'urql';
import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import type { SessionStatus } from '../../gql/graphql.ts';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
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

const CsvQuery = graphql(/* GraphQL */ `
  query SessionsPageCsv($filter: OperatorSessionFilter) {
    operatorSessionsCsv(filter: $filter)
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

/** Live and past sessions of every driver, filterable, exportable as CSV. */
export function SessionsPage() {
  const [status, setStatus] = useState<SessionStatus | ''>('');
  const [search, setSearch] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filter = {
    status: status || null,
    search: search || null,
    from: from ? new Date(from).toISOString() : null,
    to: to ? new Date(to).toISOString() : null,
  };
  const paged = usePagedQuery({
    query: SessionsQuery,
    variables: { filter },
    connection: (d) => d.operatorSessions,
  });
  const client = useClient();
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    const res = await client.query(CsvQuery, { filter }, { requestPolicy: 'network-only' }).toPromise();
    setExporting(false);
    if (!res.data) {
      setExportError(res.error?.message ?? 'The export failed.');
      return;
    }
    const url = URL.createObjectURL(new Blob([res.data.operatorSessionsCsv], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `sessions-${new Date().toISOString().slice(0, 10)}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <>
      <PageHeader
        title="Sessions"
        documentTitle={pageTitle('Sessions', CONSOLE_NAME)}
        subtitle="Live and past charging sessions of every driver."
        actions={
          <Button onClick={() => void exportCsv()} busy={exporting}>
            Export CSV
          </Button>
        }
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
        </div>
        {exportError && <ErrorMessage compact>{exportError}</ErrorMessage>}
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
