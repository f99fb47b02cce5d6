import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { describeError, resultError } from '../../app/errors.ts';
import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { graphql } from '../../gql/gql.ts';
import type { WebhookEndpointRow_WebhookEndpointFragment } from '../../gql/graphql.ts';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { Badge, type BadgeTone } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { ConnectionTable } from '../../ui/ConnectionTable.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { usePagedQuery } from '../../ui/usePagedQuery.ts';
import '../../ui/admin.css';

const RowFragment = graphql(/* GraphQL */ `
  fragment WebhookEndpointRow_WebhookEndpoint on WebhookEndpoint {
    id
    url
    description
    events
    status
    disabledReason
    failingSince
    previousSecretExpiresAt
    pendingCount
    createdAt
  }
`);

const EndpointsQuery = graphql(/* GraphQL */ `
  query WebhooksPage($after: String) {
    webhookEventTypes {
      name
      description
    }
    webhookEndpoints(first: 25, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          ...WebhookEndpointRow_WebhookEndpoint
        }
      }
    }
  }
`);

const DeliveriesQuery = graphql(/* GraphQL */ `
  query WebhookDeliveries($id: ID!) {
    node(id: $id) {
      id
      ... on WebhookEndpoint {
        deliveries(first: 20) {
          totalCount
          nodes {
            id
            status
            eventType
            eventNumber
            attempts
            responseStatus
            latencyMs
            lastError
            nextAttemptAt
            createdAt
          }
        }
      }
    }
  }
`);

const CreateMutation = graphql(/* GraphQL */ `
  mutation CreateWebhookEndpoint($url: String!, $events: [String!], $description: String) {
    createWebhookEndpoint(url: $url, events: $events, description: $description) {
      __typename
      ... on CreatedWebhookEndpoint {
        secret
        endpoint {
          id
          ...WebhookEndpointRow_WebhookEndpoint
        }
      }
      ... on Error {
        message
      }
      ... on WebhookInputError {
        field
      }
    }
  }
`);

const RotateMutation = graphql(/* GraphQL */ `
  mutation RotateWebhookSecret($id: ID!) {
    rotateWebhookSecret(id: $id) {
      __typename
      ... on CreatedWebhookEndpoint {
        secret
        endpoint {
          id
          ...WebhookEndpointRow_WebhookEndpoint
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const PauseMutation = graphql(/* GraphQL */ `
  mutation PauseWebhookEndpoint($id: ID!) {
    pauseWebhookEndpoint(id: $id) {
      __typename
      ... on WebhookEndpoint {
        id
        ...WebhookEndpointRow_WebhookEndpoint
      }
      ... on Error {
        message
      }
    }
  }
`);

const ResumeMutation = graphql(/* GraphQL */ `
  mutation ResumeWebhookEndpoint($id: ID!) {
    resumeWebhookEndpoint(id: $id) {
      __typename
      ... on WebhookEndpoint {
        id
        ...WebhookEndpointRow_WebhookEndpoint
      }
      ... on Error {
        message
      }
    }
  }
`);

const DeleteMutation = graphql(/* GraphQL */ `
  mutation DeleteWebhookEndpoint($id: ID!) {
    deleteWebhookEndpoint(id: $id) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

const ResendMutation = graphql(/* GraphQL */ `
  mutation ResendWebhookDelivery($id: ID!) {
    resendWebhookDelivery(id: $id) {
      __typename
      ... on WebhookDelivery {
        id
        status
      }
      ... on Error {
        message
      }
    }
  }
`);

const ReplayMutation = graphql(/* GraphQL */ `
  mutation ReplayWebhookEvents($id: ID!, $from: String!) {
    replayWebhookEvents(endpointId: $id, fromEvent: $from) {
      __typename
      ... on MutationReplayWebhookEventsSuccess {
        data
      }
      ... on Error {
        message
      }
    }
  }
`);

const STATUS_TONE: Record<string, BadgeTone> = { ACTIVE: 'success', PAUSED: 'warning', DISABLED: 'danger' };
const DELIVERY_TONE: Record<string, BadgeTone> = { DELIVERED: 'success', PENDING: 'info', FAILED: 'danger' };

/** A secret shown once, with the reminder that it cannot be shown again. */
function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <div className="webhooks-secret" role="status">
      <p>
        <strong>Signing secret — copy it now, it is not shown again:</strong>
      </p>
      <code className="webhooks-secret__value">{secret}</code>
      <div className="webhooks-secret__actions">
        <Button size="small" onClick={() => void navigator.clipboard?.writeText(secret)}>
          Copy
        </Button>
        <Button size="small" variant="ghost" onClick={onDone}>
          I stored it
        </Button>
      </div>
    </div>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const [{ data, fetching, error }, refetch] = useQuery({
    query: DeliveriesQuery,
    variables: { id: endpointId },
    requestPolicy: 'cache-and-network',
  });
  const [resend, doResend] = useMutation(ResendMutation);
  const [replay, doReplay] = useMutation(ReplayMutation);
  const [from, setFrom] = useState('');
  const [replayed, setReplayed] = useState<number | null>(null);
  const node = data?.node && 'deliveries' in data.node ? data.node : null;
  if (error && !data) return <ErrorMessage compact>{error.message}</ErrorMessage>;
  return (
    <div className="webhooks-deliveries">
      <form
        className="webhooks-replay"
        onSubmit={(event) => {
          event.preventDefault();
          void doReplay({ id: endpointId, from }).then((r) => {
            const result = r.data?.replayWebhookEvents;
            if (result?.__typename === 'MutationReplayWebhookEventsSuccess') {
              setReplayed(result.data);
              refetch({ requestPolicy: 'network-only' });
            }
          });
        }}
      >
        <TextField
          label="Replay from event number"
          inputMode="numeric"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          error={
            resultError(replay.data?.replayWebhookEvents) ??
            (replay.error ? describeError(replay.error) : undefined)
          }
        />
        <Button type="submit" size="small" busy={replay.fetching} disabled={!/^\d+$/.test(from)}>
          Replay
        </Button>
        {replayed !== null && (
          <span role="status">
            {new Intl.NumberFormat().format(replayed)}{' '}
            {new Intl.PluralRules().select(replayed) === 'one' ? 'delivery' : 'deliveries'} queued
          </span>
        )}
      </form>
      {fetching && !node && <p>Loading deliveries…</p>}
      {node && node.deliveries.nodes.length === 0 && <p>No deliveries yet.</p>}
      {node && node.deliveries.nodes.length > 0 && (
        <div className="admin-table-box">
          <table className="admin-table" aria-label="Deliveries">
            <thead>
              <tr>
                <th>Event</th>
                <th>Status</th>
                <th className="admin-table__numeric">HTTP</th>
                <th className="admin-table__numeric">Latency</th>
                <th className="admin-table__numeric">Attempts</th>
                <th>Queued</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {node.deliveries.nodes.map((d) => (
                <tr key={d.id}>
                  <td>
                    <code>{d.eventType}</code> #{d.eventNumber}
                  </td>
                  <td>
                    <Badge tone={DELIVERY_TONE[d.status] ?? 'neutral'}>{d.status.toLowerCase()}</Badge>
                    {d.lastError && <div className="admin-muted">{d.lastError}</div>}
                    {d.nextAttemptAt && (
                      <div className="admin-muted">next try {formatDateTime(d.nextAttemptAt)}</div>
                    )}
                  </td>
                  <td className="admin-table__numeric">{d.responseStatus ?? '—'}</td>
                  <td className="admin-table__numeric">{d.latencyMs == null ? '—' : `${d.latencyMs} ms`}</td>
                  <td className="admin-table__numeric">{d.attempts}</td>
                  <td>{formatDateTime(d.createdAt)}</td>
                  <td>
                    <Button
                      size="small"
                      busy={resend.fetching}
                      onClick={() =>
                        void doResend({ id: d.id }).then(() => refetch({ requestPolicy: 'network-only' }))
                      }
                    >
                      Resend
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function EndpointRow({
  endpoint: masked,
  onChanged,
}: {
  endpoint: FragmentType<typeof RowFragment>;
  onChanged: () => void;
}) {
  const e: WebhookEndpointRow_WebhookEndpointFragment = useFragment(RowFragment, masked);
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [paused, pause] = useMutation(PauseMutation);
  const [resumed, resume] = useMutation(ResumeMutation);
  const [rotated, rotate] = useMutation(RotateMutation);
  const [deleted, remove] = useMutation(DeleteMutation);
  const failed = paused.error ?? resumed.error ?? rotated.error ?? deleted.error;
  const problem =
    resultError(paused.data?.pauseWebhookEndpoint) ??
    resultError(resumed.data?.resumeWebhookEndpoint) ??
    resultError(rotated.data?.rotateWebhookSecret) ??
    resultError(deleted.data?.deleteWebhookEndpoint) ??
    (failed ? describeError(failed) : null);
  return (
    <>
      <tr>
        <td>
          <div className="webhooks-url">{e.url}</div>
          {e.description && <div className="admin-muted">{e.description}</div>}
        </td>
        <td>
          <Badge tone={STATUS_TONE[e.status] ?? 'neutral'}>{e.status.toLowerCase()}</Badge>
          {e.disabledReason && <div className="admin-muted">{e.disabledReason}</div>}
          {e.failingSince && !e.disabledReason && (
            <div className="admin-muted">failing since {formatDateTime(e.failingSince)}</div>
          )}
        </td>
        <td>{e.events.length === 0 ? 'All events' : e.events.join(', ')}</td>
        <td className="admin-table__numeric">{new Intl.NumberFormat().format(e.pendingCount)}</td>
        <td>
          <div className="webhooks-actions">
            <Button size="small" onClick={() => setOpen((v) => !v)} aria-expanded={open}>
              {open ? 'Hide deliveries' : 'Deliveries'}
            </Button>
            {e.status === 'ACTIVE' ? (
              <Button size="small" busy={paused.fetching} onClick={() => void pause({ id: e.id })}>
                Pause
              </Button>
            ) : (
              <Button size="small" busy={resumed.fetching} onClick={() => void resume({ id: e.id })}>
                Resume
              </Button>
            )}
            <Button
              size="small"
              busy={rotated.fetching}
              onClick={() => {
                if (!window.confirm('Rotate the signing secret? The old one keeps signing for 24 hours.'))
                  return;
                void rotate({ id: e.id }).then((r) => {
                  const result = r.data?.rotateWebhookSecret;
                  setSecret(result?.__typename === 'CreatedWebhookEndpoint' ? result.secret : null);
                });
              }}
            >
              Rotate secret
            </Button>
            <Button
              size="small"
              variant="danger"
              busy={deleted.fetching}
              onClick={() => {
                if (!window.confirm(`Delete the endpoint ${e.url} and its delivery log?`)) return;
                void remove({ id: e.id }).then(onChanged);
              }}
            >
              Delete
            </Button>
          </div>
          {problem && <ErrorMessage compact>{problem}</ErrorMessage>}
        </td>
      </tr>
      {(open || secret) && (
        <tr>
          <td colSpan={5}>
            {secret && <SecretOnce secret={secret} onDone={() => setSecret(null)} />}
            {open && <Deliveries endpointId={e.id} />}
          </td>
        </tr>
      )}
    </>
  );
}

/** /admin/webhooks: partners' endpoints, their delivery logs, resend and replay. */
export function WebhooksPage() {
  const paged = usePagedQuery({
    query: EndpointsQuery,
    variables: {},
    connection: (d) => d.webhookEndpoints,
  });
  const types = paged.first.data?.webhookEventTypes ?? [];
  const [created, create] = useMutation(CreateMutation);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const outcome = created.data?.createWebhookEndpoint;
  const refusal = resultError(outcome);
  const refusedField = outcome?.__typename === 'WebhookInputError' ? outcome.field : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const res = await create({ url, events, description: null });
    const result = res.data?.createWebhookEndpoint;
    if (result?.__typename === 'CreatedWebhookEndpoint') {
      setSecret(result.secret);
      setUrl('');
      setEvents([]);
      paged.refetch();
    }
  };

  return (
    <>
      <PageHeader
        title="Webhooks"
        documentTitle={pageTitle('Webhooks', CONSOLE_NAME)}
        subtitle="Signed, ordered events for partners (Standard Webhooks). /docs/api lists the catalogue and how to verify a delivery."
      />
      <Card title="Add an endpoint">
        <form className="webhooks-form" onSubmit={(e) => void submit(e)}>
          <TextField
            label="URL"
            type="url"
            placeholder="https://partner.example/hooks/polaris"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            required
            error={refusedField === 'url' ? (refusal ?? undefined) : undefined}
          />
          <fieldset className="webhooks-types">
            <legend>Events (none ticked: all)</legend>
            {types.map((t) => (
              <label key={t.name} title={t.description}>
                <input
                  type="checkbox"
                  checked={events.includes(t.name)}
                  onChange={(e) =>
                    setEvents((list) =>
                      e.target.checked ? [...list, t.name] : list.filter((n) => n !== t.name),
                    )
                  }
                />{' '}
                <code>{t.name}</code>
              </label>
            ))}
          </fieldset>
          {refusal && refusedField !== 'url' && <ErrorMessage compact>{refusal}</ErrorMessage>}
          {created.error && <ErrorMessage compact>{describeError(created.error)}</ErrorMessage>}
          <Button type="submit" variant="primary" busy={created.fetching} disabled={!url.trim()}>
            Add endpoint
          </Button>
        </form>
        {secret && <SecretOnce secret={secret} onDone={() => setSecret(null)} />}
      </Card>
      <Card title="Endpoints">
        <ConnectionTable
          paged={paged}
          label="Webhook endpoints"
          columns={[
            { header: 'URL' },
            { header: 'Status' },
            { header: 'Events' },
            { header: 'Waiting', numeric: true },
            { header: 'Actions' },
          ]}
          row={(node) => <EndpointRow key={node.id} endpoint={node} onChanged={paged.refetch} />}
          loadingLabel="Loading webhook endpoints…"
          emptyTitle="No webhook endpoints yet"
          emptyText="Add one above: partners then receive every charge, charger and card change as it happens."
          noun="endpoints"
          nounOne="endpoint"
        />
      </Card>
    </>
  );
}
