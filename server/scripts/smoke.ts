// Smoke test of a running server: health, readiness, the client, GraphQL over HTTP and graphql-ws.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const base = process.argv[2] ?? 'http://127.0.0.1:4000';
const deadline = Date.now() + 90_000;

async function waitReady() {
  for (;;) {
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${base}/readyz did not answer 200 within 90 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`smoke: ${message}`);
}

await waitReady();
const health = await fetch(`${base}/healthz`);
assert(health.ok, `/healthz answered ${health.status}`);

for (const page of ['/', '/admin']) {
  const res = await fetch(`${base}${page}`);
  const html = await res.text();
  assert(res.ok && html.includes('<div id="root">'), `${page} did not serve the client (${res.status})`);
}

const http = await fetch(`${base}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
  body: JSON.stringify({ query: '{ serverInfo { version steveMode lagoMode } }' }),
});
const body = (await http.json()) as { data?: { serverInfo?: { version: string } }; errors?: unknown };
assert(http.ok && body.data?.serverInfo?.version, `GraphQL over HTTP failed: ${JSON.stringify(body)}`);

const ws = createClient({
  url: `${base.replace(/^http/, 'ws')}/graphql`,
  webSocketImpl: WebSocket,
  retryAttempts: 0,
});
const overWs = await new Promise<unknown>((resolve, reject) => {
  let result: unknown;
  ws.subscribe(
    { query: '{ serverInfo { version now } }' },
    { next: (v) => (result = v), error: reject, complete: () => resolve(result) },
  );
});
await ws.dispose();
assert(
  (overWs as { data?: { serverInfo?: unknown } }).data?.serverInfo,
  `GraphQL over WebSocket failed: ${JSON.stringify(overWs)}`,
);

console.log(`smoke: ${base} healthy; client, GraphQL over HTTP and graphql-ws answer`);
