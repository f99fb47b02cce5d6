import { useEffect } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { pageTitle } from '../../app/brand.ts';
import { paths } from '../../app/paths.ts';
import { graphql } from '../../gql/gql.ts';
import { Card } from '../../ui/Card.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import './api-docs.css';

const EventTypesQuery = graphql(/* GraphQL */ `
  query ApiDocsEventTypes {
    webhookEventTypes {
      name
      description
      example
    }
  }
`);

const origin = typeof window === 'undefined' ? 'https://polaris.example' : window.location.origin;

const CURL = `curl ${origin}/graphql \\
  -H 'content-type: application/json' \\
  -H 'x-api-key: pex_…' \\
  -d '{"query":"{ chargers(first: 20) { totalCount nodes { id name state } pageInfo { hasNextPage endCursor } } }"}'`;

const SSE = `curl -N ${origin}/graphql \\
  -H 'accept: text/event-stream' -H 'content-type: application/json' \\
  -H 'x-api-key: pex_…' \\
  -d '{"query":"subscription { chargerStateChanged { id state } }"}'`;

const WS_CLIENT = `import { createClient } from 'graphql-ws';

const client = createClient({
  url: '${origin.replace(/^http/, 'ws')}/graphql',
  connectionParams: { apiKey: process.env.POLARIS_API_KEY },
});

for await (const event of client.iterate({
  query: 'subscription { chargerStateChanged { id name state } }',
})) {
  console.log(event.data?.chargerStateChanged);
}`;

const DRIVER_KEY = `# signed in as the driver (session cookie), once:
mutation {
  createMyApiKey(name: "Home charger app", scopes: [CHARGING]) {
    ... on MutationCreateMyApiKeySuccess { data { secret } }   # pex_… — shown once
    ... on Error { message }
  }
}

# then, from the app, with x-api-key: pex_…
mutation ($chargerId: ID!) {
  startCharging(chargerId: $chargerId) {
    ... on StartChargingSuccess { startRequest { id outcome } }
    ... on Error { message }
  }
}`;

const WEBHOOK_CREATE = `mutation {
  createWebhookEndpoint(url: "https://partner.example/hooks/polaris", events: ["session.completed"]) {
    ... on CreatedWebhookEndpoint {
      secret        # whsec_… — shown once: store it now
      endpoint { id status }
    }
    ... on Error { message }              # e.g. a private address or an unknown event type
    ... on WebhookInputError { field }    # which argument: url, events, description …
  }
}`;

const VERIFY = `import { Webhook } from 'standardwebhooks';

const wh = new Webhook(process.env.POLARIS_WEBHOOK_SECRET); // whsec_…
// rawBody: the body exactly as received; headers: webhook-id, webhook-timestamp, webhook-signature
const event = wh.verify(rawBody, headers); // throws when the signature or timestamp is wrong
if (!alreadySeen(event.id)) handle(event);  // deliveries are at least once: de-duplicate by id`;

function Code({ children, label }: { children: string; label: string }) {
  return (
    <pre className="api-docs__code" aria-label={label} tabIndex={0}>
      <code>{children}</code>
    </pre>
  );
}

function EventCatalogue() {
  const [{ data, fetching, error }] = useQuery({ query: EventTypesQuery });
  if (fetching && !data) return <Spinner label="Loading the event catalogue…" />;
  if (error && !data)
    return <ErrorMessage title="The event catalogue could not be loaded">{error.message}</ErrorMessage>;
  return (
    <dl className="api-docs__events">
      {data?.webhookEventTypes.map((e) => (
        <div key={e.name} className="api-docs__event">
          <dt>
            <code>{e.name}</code>
          </dt>
          <dd>
            <p>{e.description}</p>
            <details>
              <summary>Example body</summary>
              <Code label={`Example body of ${e.name}`}>{JSON.stringify(e.example, null, 2)}</Code>
            </details>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** /docs/api: how a partner authenticates, reads, subscribes and receives webhooks. Public. */
export function ApiDocsPage() {
  useEffect(() => {
    document.title = pageTitle('API');
  }, []);
  return (
    <main className="api-docs">
      <header className="api-docs__header">
        <h1>Polaris Express API</h1>
        <p>
          One GraphQL API for the dashboard, the console and partners: queries and mutations over HTTP, live
          subscriptions over graphql-ws or Server-Sent Events, and signed webhooks. Download the schema:{' '}
          <a href="/schema.graphql" download>
            schema.graphql
          </a>{' '}
          (needs an API key or a signed-in session where the server hides its schema).
        </p>
        <nav aria-label="On this page" className="api-docs__toc">
          <a href="#auth">Authentication</a>
          <a href="#limits">Rate limits</a>
          <a href="#pagination">Pagination</a>
          <a href="#errors">Errors</a>
          <a href="#subscriptions">Subscriptions</a>
          <a href="#webhooks">Webhooks</a>
          <a href="#events">Event catalogue</a>
        </nav>
      </header>

      <Card title="Authentication" className="api-docs__section">
        <p id="auth">
          An operator creates a key in the console (or with <code>createApiKey</code>); its secret (
          <code>pex_…</code>) is shown once. Send it as the <code>x-api-key</code> header on HTTP and SSE, or
          as <code>connectionParams.apiKey</code> on graphql-ws. Every key can <code>read</code> what an
          operator reads; scopes add <code>operations</code>, <code>billing</code> and <code>webhooks</code>.
          Each field’s description in the schema says who may use it.
        </p>
        <p id="driver-keys">
          A driver can create a key of their own with <code>createMyApiKey</code> (signed in, not through a
          key): it acts as that driver and reads only their own data (<code>read</code>); with{' '}
          <code>charging</code> it also runs <code>startCharging</code> and <code>stopCharging</code> on the
          driver’s own cards — nothing else (403 <code>KEY_SCOPE</code>). Operators’ keys never get{' '}
          <code>charging</code>.
        </p>
        <Code label="A query with curl">{CURL}</Code>
        <Code label="A driver’s key: create it, then start charging with it">{DRIVER_KEY}</Code>
      </Card>

      <Card title="Rate limits" className="api-docs__section">
        <p id="limits">
          600 requests per minute per key, counted across every Polaris instance. Each response carries{' '}
          <code>RateLimit-Limit</code>, <code>RateLimit-Remaining</code> and <code>RateLimit-Reset</code>{' '}
          (seconds); past the limit you get HTTP 429 with <code>Retry-After</code>. Untrusted documents are
          also bounded in depth, aliases and cost: an over-large query is refused with HTTP 400 before it
          runs.
        </p>
      </Card>

      <Card title="Pagination" className="api-docs__section">
        <p id="pagination">
          Lists are Relay connections: ask for <code>first</code> (at most 100) and pass{' '}
          <code>pageInfo.endCursor</code> as <code>after</code> until <code>hasNextPage</code> is false;{' '}
          <code>totalCount</code> counts every match of the same filters.
        </p>
      </Card>

      <Card title="Errors" className="api-docs__section">
        <p id="errors">
          Expected failures of a mutation are typed results: select <code>{'... on Error { message }'}</code>{' '}
          (and the specific error types for their fields). Refusals are errors with{' '}
          <code>extensions.code</code>: <code>UNAUTHENTICATED</code> (401: missing, revoked or expired key),{' '}
          <code>FORBIDDEN</code> (403: not allowed, e.g. a read-only key calling a mutation),{' '}
          <code>BAD_USER_INPUT</code> (with <code>extensions.field</code>), <code>RATE_LIMITED</code> (429)
          and <code>SERVICE_UNAVAILABLE</code> (503: retry later).
        </p>
      </Card>

      <Card title="Subscriptions" className="api-docs__section">
        <p id="subscriptions">
          The same subscriptions over two transports: graphql-ws (WebSocket, <code>/graphql</code>) or
          Server-Sent Events (POST with <code>accept: text/event-stream</code>). A revoked key ends an open
          subscription within seconds.
        </p>
        <Code label="A subscription over SSE with curl">{SSE}</Code>
        <Code label="A small TypeScript client with graphql-ws">{WS_CLIENT}</Code>
      </Card>

      <Card title="Webhooks" className="api-docs__section">
        <p id="webhooks">
          Events are signed following Standard Webhooks (<code>webhook-id</code>,{' '}
          <code>webhook-timestamp</code>, <code>webhook-signature: v1,…</code>), delivered in order per
          session, charger or card (<code>stream</code>, <code>sequence</code>), retried with backoff for 3
          days, and can be resent or replayed from any event <code>number</code> (
          <code>replayWebhookEvents</code>). Rotating a secret keeps the old one signing for a grace period.
          Creating endpoints needs the <code>webhooks</code> scope; URLs must be public <code>https://</code>{' '}
          addresses.
        </p>
        <Code label="Create an endpoint">{WEBHOOK_CREATE}</Code>
        <Code label="Verify a delivery in Node">{VERIFY}</Code>
      </Card>

      <Card title="Event catalogue" className="api-docs__section">
        <div id="events">
          <EventCatalogue />
        </div>
      </Card>

      <p className="api-docs__back">
        <Link to={paths.driverDashboard}>Back to Polaris Express</Link>
      </p>
    </main>
  );
}
