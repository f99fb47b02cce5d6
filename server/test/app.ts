import net from 'node:net';
import { buildApp, type App, type BuildAppOptions } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { createLogger } from '../src/lib/logger.ts';
import { createAccount } from '../src/modules/auth/auth.service.ts';
import type { Role } from '../src/types.ts';
import { createTestDatabase } from './db.ts';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  headers: Headers;
}

export interface Credentials {
  /** A Cookie header value, as `signIn` returns it. */
  cookie?: string;
  /** Sent as `x-api-key`. */
  apiKey?: string;
  headers?: Record<string, string>;
}

export interface TestApp {
  app: App;
  config: Config;
  /** http://localhost:<port>; the server really listens (HTTP, SSE, graphql-ws). */
  url: string;
  stop(): Promise<void>;
  /** Creates a person directly (as `admin:create` does); returns the raw id. */
  createUser(input?: {
    email?: string;
    name?: string;
    password?: string;
    role?: Role;
    status?: 'ACTIVE' | 'INACTIVE';
  }): Promise<{ id: string; email: string; password: string }>;
  /** Signs in over HTTP as a browser would; returns the Cookie header to send afterwards. */
  signIn(email: string, password: string): Promise<string>;
  /** POST /graphql over HTTP. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    auth?: Credentials,
  ): Promise<GraphQLResponse<T>>;
  /** A request to better-auth (`/api/auth/...`) with the browser's Origin; returns the response and the updated cookie. */
  authRequest(
    path: string,
    body: unknown,
    cookie?: string,
    headers?: Record<string, string>,
  ): Promise<{ response: Response; cookie: string; json: unknown }>;
  /** An admin starts acting as a user; returns the cookie of the impersonated session. */
  impersonate(adminCookie: string, userId: string): Promise<string>;
}

let ipCounter = 0;
/** A distinct client address per sign-in, so tests do not share one sign-in rate-limit bucket. */
function nextClientIp(): string {
  ipCounter += 1;
  return `10.${(process.pid >> 8) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Applies a response's Set-Cookie headers to a Cookie header value (deletions included). */
export function applySetCookies(cookie: string, response: Response): string {
  const jar = new Map<string, string>();
  for (const part of cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name) jar.set(name, rest.join('='));
  }
  for (const line of response.headers.getSetCookie()) {
    const [pair, ...attributes] = line.split(';');
    const [name, ...rest] = (pair ?? '').trim().split('=');
    if (!name) continue;
    const value = rest.join('=');
    const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
    if (expired) jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/**
 * A real server on a free port over a fresh database (in-memory PGlite, or PostgreSQL with
 * TEST_DATABASE=postgres). Demo seeding is off unless `env.DEMO_SEED` says otherwise.
 */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    app?: Pick<BuildAppOptions, 'lago' | 'background' | 'steve' | 'clock' | 'syncCadence'>;
  } = {},
): Promise<TestApp> {
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    DEMO_SEED: 'false',
    // Lets each test client present its own address (see nextClientIp).
    TRUST_PROXY: 'true',
    ...options.env,
  });
  const database = await createTestDatabase();
  const app = await buildApp({
    config,
    database,
    logger: createLogger(config.LOG_LEVEL),
    jobStopGraceMs: 0,
    ...options.app,
  });
  const { url } = await app.start();
  const origin = config.publicUrl;

  const authRequest: TestApp['authRequest'] = async (path, body, cookie = '', headers = {}) => {
    const response = await fetch(`${url}/api/auth${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin,
        'x-forwarded-for': nextClientIp(),
        ...(cookie ? { cookie } : {}),
        ...headers,
      },
      body: JSON.stringify(body ?? {}),
    });
    const text = await response.text();
    return { response, cookie: applySetCookies(cookie, response), json: parseJson(text) };
  };

  let userCounter = 0;
  return {
    app,
    config,
    url,
    async stop() {
      await app.stop();
      await database.close();
    },
    async createUser(input = {}) {
      userCounter += 1;
      const email = input.email ?? `user${userCounter}-${Date.now()}@example.test`;
      const password = input.password ?? 'correct horse battery';
      const { id } = await createAccount(app.services, {
        email,
        name: input.name ?? `Test User ${userCounter}`,
        password,
        role: input.role ?? 'customer',
        status: input.status ?? 'ACTIVE',
      });
      return { id, email, password };
    },
    async signIn(email, password) {
      const { response, cookie } = await authRequest('/sign-in/email', { email, password });
      if (!response.ok) throw new Error(`sign-in as ${email} failed: ${response.status}`);
      if (!cookie) throw new Error(`sign-in as ${email} set no cookie`);
      return cookie;
    },
    async graphql(query, variables, auth = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          origin,
          ...(auth.cookie ? { cookie: auth.cookie } : {}),
          ...(auth.apiKey ? { 'x-api-key': auth.apiKey } : {}),
          ...auth.headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      let body: { data?: never; errors?: GraphQLResponse['errors'] };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new Error(`non-JSON GraphQL response (${response.status}): ${text.slice(0, 200)}`);
      }
      return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
    },
    authRequest,
    async impersonate(adminCookie, userId) {
      const { response, cookie, json } = await authRequest(
        '/admin/impersonate-user',
        { userId },
        adminCookie,
      );
      if (!response.ok) throw new Error(`impersonation failed: ${response.status} ${JSON.stringify(json)}`);
      return cookie;
    },
  };
}
