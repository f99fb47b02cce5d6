import { useSearchParams } from 'react-router';
import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Card } from '../../ui/Card.tsx';
import { CsvDownloadLink } from '../../ui/CsvDownloadLink.tsx';
import { ConnectionTable } from '../../ui/ConnectionTable.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { usePagedQuery } from '../../ui/usePagedQuery.ts';
import { formatDateTime } from '../../ui/format.ts';

const RowFragment = graphql(/* GraphQL */ `
  fragment AuditRow_Event on AuditEvent {
    id
    at
    action
    actorEmail
    actorId
    impersonatorId
    subjectType
    subjectId
    before
    after
  }
`);

const AuditQuery = graphql(/* GraphQL */ `
  query AuditLogPage($subjectId: String, $actor: String, $after: String) {
    auditEvents(first: 25, after: $after, subjectId: $subjectId, actor: $actor) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          ...AuditRow_Event
        }
      }
    }
  }
`);

function AuditRow(props: { event: FragmentType<typeof RowFragment> }) {
  const e = useFragment(RowFragment, props.event);
  return (
    <tr data-action={e.action}>
      <td>{formatDateTime(e.at)}</td>
      <td className="admin-mono">{e.action}</td>
      <td>
        {e.subjectType} <span className="admin-mono">{e.subjectId}</span>
      </td>
      <td>
        {e.actorEmail ?? e.actorId ?? 'system'}
        {e.impersonatorId && <span className="app-muted"> (impersonated)</span>}
      </td>
      <td className="admin-mono app-muted">{e.after != null ? JSON.stringify(e.after) : ''}</td>
    </tr>
  );
}

/** Every operator action, newest first; filter by subject (a card's Public ID) and actor. Read-only. */
export function AuditLogPage() {
  const [params, setParams] = useSearchParams();
  const subject = params.get('subject') ?? '';
  const actor = params.get('actor') ?? '';
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const variables = { subjectId: subject || null, actor: actor || null };
  const paged = usePagedQuery({
    query: AuditQuery,
    variables,
    connection: (d) => d.auditEvents,
    requestPolicy: 'network-only',
  });
  return (
    <>
      <PageHeader
        title="Audit log"
        documentTitle={pageTitle('Audit log', CONSOLE_NAME)}
        subtitle="Every operator action, append-only. Nothing here can be edited or deleted."
        actions={<CsvDownloadLink name="audit" filters={{ subjectId: subject, actor }} />}
      />
      <Card>
        <div className="admin-toolbar">
          <TextField
            label="Card Public ID (subject)"
            value={subject}
            onChange={(e) => set('subject', e.target.value)}
            placeholder="EV-…"
          />
          <TextField
            label="Actor"
            value={actor}
            onChange={(e) => set('actor', e.target.value)}
            placeholder="Email or user id"
          />
        </div>
        <ConnectionTable
          paged={paged}
          label="Audit log"
          columns={[
            { header: 'When' },
            { header: 'Action' },
            { header: 'Subject' },
            { header: 'Actor' },
            { header: 'After' },
          ]}
          row={(node) => <AuditRow event={node} />}
          loadingLabel="Loading the audit log…"
          emptyTitle="No recorded actions match"
          noun="actions"
          loadMoreLabel="Show older actions"
        />
      </Card>
    </>
  );
}
