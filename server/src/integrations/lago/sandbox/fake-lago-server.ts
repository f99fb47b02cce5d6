/**
 * A local HTTP server that speaks Lago's API (the parts Polaris uses), for tests and benchmarks of
 * anything that talks to Lago over HTTP: the real adapter, the outbox worker, load tests.
 *
 * The rules live in LagoStore (shared with the sandbox); this file only adds HTTP: Bearer auth,
 * routing, JSON bodies, and injectable faults (hang, status codes with Retry-After, connection
 * resets), plus a record of every request. It also notes "violations": requests real Lago might
 * accept but that are wrong for Polaris (no JSON content type, `external_customer_id` on events,
 * non-numeric timestamps) so tests can assert there are none.
 *
 * Every authorized request is also checked against Lago's published OpenAPI spec
 * (../fixtures/lago-openapi.yaml): path, method, query parameters and JSON body. A request the spec
 * does not allow is answered 400 (Lago's error shape), listed in `specViolations`, and `close()`
 * rejects with the list, so a test whose code sends anything real Lago's spec forbids fails.
 *
 *   const lago = await startFakeLagoServer();
 *   const adapter = new RealLagoAdapter({ baseUrl: lago.origin, apiKey: lago.apiKey });
 *   lago.failNext(2, { kind: 'status', status: 500 });
 *   ...
 *   await lago.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenApiRequestValidator } from '../../openapi-request-validator.ts';
import { SandboxInvoices } from './invoices.ts';
import { LagoApiFailure } from './failures.ts';
import { LagoStore, type PolarisProvisioning, type StoredEvent } from './store.ts';

export type FakeFault =
  /** Answer with this status (default 500). 429 gets Retry-After / x-ratelimit-reset when given. */
  | {
      kind: 'status';
      status?: number;
      retryAfterSeconds?: number;
      rateLimitResetSeconds?: number;
      body?: unknown;
    }
  /** Never answer (the client's timeout must fire). Connections are dropped on close(). */
  | { kind: 'hang' }
  /** Destroy the connection without an answer (a network error for the client). */
  | { kind: 'reset' };

export interface FakeLagoServerOptions {
  /** Accepted Bearer token (default "fake-lago-api-key"). */
  apiKey?: string;
  /** Share a store (e.g. with a LagoSandbox); default: a fresh one. */
  store?: LagoStore;
  /** Clock for a fresh store. */
  now?: () => Date;
  /** Create Polaris' metric and plan at start (default: yes, with defaults); false: an empty organization. */
  provision?: PolarisProvisioning | false;
  /** Check every request against Lago's spec (default true; off only for tests of Lago's own rules). */
  validateSpec?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path below /api/v1, e.g. "/events/batch". */
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** The status answered; 0 when the request was hung or reset. */
  status: number;
  authorized: boolean;
  fault: FakeFault['kind'] | null;
}

export interface FakeLagoServer {
  /** http://127.0.0.1:<port> — what LAGO_URL would be. */
  readonly origin: string;
  /** origin + /api/v1 */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly store: LagoStore;
  /** Invoices of ended billing periods over `store` (GET /invoices, GET /invoices/{lago_id}). */
  readonly invoices: SandboxInvoices;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Shape problems noticed in requests (see the file header); should stay empty. */
  readonly violations: string[];
  /**
   * Requests that did not conform to Lago's published OpenAPI spec, one line per problem. Such a
   * request is answered 400 and `close()` rejects listing them.
   */
  readonly specViolations: string[];
  /** The next `count` requests fail with `fault` (queued after earlier failNext calls). */
  failNext(count: number, fault: FakeFault): void;
  /** Every request fails with `fault` until cleared with null (checked after failNext's queue). */
  setFault(fault: FakeFault | null): void;
  /** Requests that reached the store (not faulted, authorized). */
  requestsTo(method: string, path: string): RecordedRequest[];
  /** Every event the store accepted, in order. */
  acceptedEvents(): readonly StoredEvent[];
  close(): Promise<void>;
}

const API_PREFIX = '/api/v1';

let lagoSpec: OpenApiRequestValidator | undefined;
/** Lago's published spec, loaded once per process (the file is large). */
export function lagoSpecValidator(): OpenApiRequestValidator {
  lagoSpec ??= OpenApiRequestValidator.fromFile(new URL('../fixtures/lago-openapi.yaml', import.meta.url));
  return lagoSpec;
}
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export async function startFakeLagoServer(options: FakeLagoServerOptions = {}): Promise<FakeLagoServer> {
  const apiKey = options.apiKey ?? 'fake-lago-api-key';
  const store = options.store ?? new LagoStore(options.now ? { now: options.now } : {});
  if (options.provision !== false) store.provisionPolaris(options.provision ?? {});
  const invoices = new SandboxInvoices(store, options.now);

  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const specViolations: string[] = [];
  const spec = options.validateSpec === false ? undefined : lagoSpecValidator();
  const queued: FakeFault[] = [];
  let standing: FakeFault | null = null;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { status: 500, error: 'Internal Server Error' });
      violations.push(`fake server crashed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-lago.local');
    const method = req.method ?? 'GET';
    const path = url.pathname.startsWith(API_PREFIX)
      ? url.pathname.slice(API_PREFIX.length) || '/'
      : url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const specQuery: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      specQuery[key] = values.length > 1 ? values : values[0]!;
    }
    const raw = await readBody(req);
    let body: unknown;
    let bodyError = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        bodyError = true;
      }
    }
    const record: RecordedRequest = { method, path, query, body, status: 0, authorized: false, fault: null };
    requests.push(record);

    const fault = queued.shift() ?? standing;
    if (fault) {
      record.fault = fault.kind;
      if (fault.kind === 'hang') return; // never answered; close() destroys the socket
      if (fault.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      const status = fault.status ?? 500;
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      if (fault.rateLimitResetSeconds !== undefined) {
        headers['x-ratelimit-limit'] = '100';
        headers['x-ratelimit-remaining'] = '0';
        headers['x-ratelimit-reset'] = String(fault.rateLimitResetSeconds);
      }
      record.status = status;
      send(
        res,
        status,
        fault.body ?? { status, error: status === 429 ? 'Too Many Requests' : 'Internal Server Error' },
        headers,
      );
      return;
    }

    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      record.status = 401;
      send(res, 401, { status: 401, error: 'Unauthorized' });
      return;
    }
    record.authorized = true;

    if (method === 'POST') {
      const type = req.headers['content-type'] ?? '';
      if (!type.startsWith('application/json')) violations.push(`${method} ${path}: content-type "${type}"`);
      if (bodyError) {
        record.status = 400;
        send(res, 400, { status: 400, error: 'BadRequest: body is not valid JSON' });
        return;
      }
      checkEventShape(path, body, violations);
    }

    if (spec) {
      const problems = spec.validate({ method, path, query: specQuery, body });
      if (problems.length > 0) {
        specViolations.push(...problems);
        record.status = 400;
        send(res, 400, { status: 400, error: 'BadRequest: not allowed by Lago spec', details: problems });
        return;
      }
    }

    try {
      const result = route(method, path, query, body);
      if (result === undefined) {
        record.status = 404;
        send(res, 404, { status: 404, error: 'Not Found', code: 'route_not_found' });
        return;
      }
      record.status = 200;
      send(res, 200, result);
    } catch (error) {
      if (!(error instanceof LagoApiFailure)) throw error;
      record.status = error.status;
      send(res, error.status, error.body);
    }
  }

  function route(method: string, path: string, query: Record<string, string>, body: unknown): unknown {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const [resource, id, sub] = parts;
    if (parts.length > 3) return undefined;
    switch (resource) {
      case 'customers':
        if (method === 'POST' && parts.length === 1) return store.createCustomer(body);
        if (method === 'GET' && parts.length === 1) return store.listCustomers(query);
        if (method === 'GET' && id && parts.length === 2) return store.findCustomer(id);
        if (method === 'GET' && id && sub === 'current_usage')
          return store.currentUsage(id, query.external_subscription_id);
        return undefined;
      case 'events':
        if (method === 'POST' && parts.length === 1) return store.createEvent(body);
        if (method === 'POST' && id === 'batch' && parts.length === 2) return store.createBatchEvents(body);
        return undefined;
      case 'subscriptions':
        if (method === 'POST' && parts.length === 1) return store.createSubscription(body);
        if (method === 'GET' && id && parts.length === 2) return store.findSubscription(id);
        return undefined;
      case 'billable_metrics':
        if (method === 'POST' && parts.length === 1) return store.createBillableMetric(body);
        if (method === 'GET' && id && parts.length === 2) return store.findBillableMetric(id);
        return undefined;
      case 'invoices':
        if (method === 'GET' && parts.length === 1) return invoices.list(query);
        if (method === 'GET' && id && parts.length === 2) return invoices.find(id);
        return undefined;
      case 'plans':
        if (method === 'POST' && parts.length === 1) return store.createPlan(body);
        if (method === 'GET' && id && parts.length === 2) return store.findPlan(id);
        return undefined;
      default:
        return undefined;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    baseUrl: `${origin}${API_PREFIX}`,
    apiKey,
    store,
    invoices,
    requests,
    violations,
    specViolations,
    failNext(count, fault) {
      for (let i = 0; i < count; i++) queued.push(fault);
    },
    setFault(fault) {
      standing = fault;
    },
    requestsTo(method, path) {
      return requests.filter(
        (r) => r.method === method && r.path === path && r.fault === null && r.authorized,
      );
    },
    acceptedEvents: () => store.acceptedEvents(),
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      if (specViolations.length > 0)
        throw new Error(`requests not allowed by Lago's spec:\n${specViolations.join('\n')}`);
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Polaris-specific expectations on event payloads (Lago itself is laxer). */
function checkEventShape(path: string, body: unknown, violations: string[]): void {
  const events =
    path === '/events'
      ? [(body as { event?: unknown } | undefined)?.event]
      : path === '/events/batch'
        ? ((body as { events?: unknown } | undefined)?.events as unknown[] | undefined)
        : undefined;
  if (!Array.isArray(events)) return;
  events.forEach((event, index) => {
    if (typeof event !== 'object' || event === null) return;
    const e = event as Record<string, unknown>;
    const where = `${path}[${index}] ${String(e.transaction_id)}`;
    if ('external_customer_id' in e)
      violations.push(`${where}: external_customer_id is not accepted on events`);
    if (e.timestamp !== undefined && typeof e.timestamp !== 'number') {
      violations.push(
        `${where}: timestamp should be a number of Unix seconds, got ${JSON.stringify(e.timestamp)}`,
      );
    } else if (typeof e.timestamp === 'number' && e.timestamp > 1e11) {
      violations.push(`${where}: timestamp looks like milliseconds (${e.timestamp})`);
    }
    const props = e.properties as Record<string, unknown> | undefined;
    if (props && 'kwh' in props && !(typeof props.kwh === 'string' || typeof props.kwh === 'number')) {
      violations.push(`${where}: properties.kwh must be a number or decimal string`);
    }
  });
}
