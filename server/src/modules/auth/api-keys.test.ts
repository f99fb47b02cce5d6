import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, type TestApp } from '../../../test/app.ts';

const CREATE_KEY = /* GraphQL */ `
  mutation ($name: String!, $role: ApiKeyRole!) {
    createApiKey(name: $name, role: $role) {
      __typename
      ... on MutationCreateApiKeySuccess {
        data {
          secret
          apiKey {
            id
            name
            role
            start
            revoked
            rateLimitMax
            rateLimitWindowSeconds
          }
        }
      }
    }
  }
`;
const DRIVERS = '{ drivers(first: 1) { edges { node { email } } } }';

interface CreatedKey {
  createApiKey: { data: { secret: string; apiKey: { id: string; start: string; role: string } } };
}

describe('API keys', () => {
  let t: TestApp;
  let adminCookie: string;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
    await t.createUser({ email: 'keyed-driver@example.test' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function newKey(name: string, role: 'READ_ONLY' | 'OPERATOR' = 'READ_ONLY') {
    const res = await t.graphql<CreatedKey>(CREATE_KEY, { name, role }, { cookie: adminCookie });
    expect(res.errors).toBeUndefined();
    return res.data!.createApiKey.data;
  }

  it('returns the secret once, stores only a hash, lists keys without secrets, 600 requests a minute', async () => {
    const res = await t.graphql<{ createApiKey: { data: unknown } }>(
      CREATE_KEY,
      { name: 'partner', role: 'OPERATOR' },
      { cookie: adminCookie },
    );
    const created = res.data!.createApiKey.data as { secret: string; apiKey: Record<string, unknown> };
    expect(created.secret).toMatch(/^pex_[A-Za-z]{64}$/);
    expect(created.apiKey).toMatchObject({
      name: 'partner',
      role: 'OPERATOR',
      revoked: false,
      rateLimitMax: 600,
      rateLimitWindowSeconds: 60,
      start: created.secret.slice(0, 6),
    });
    const row = await t.app.services.db.apikey.findUniqueOrThrow({
      where: { id: created.apiKey.id as string },
    });
    expect(row.key).not.toBe(created.secret);
    expect(JSON.stringify(row)).not.toContain(created.secret);

    const list = await t.graphql<{ apiKeys: Array<Record<string, unknown>> }>(
      '{ apiKeys { id name role revoked } }',
      {},
      { cookie: adminCookie },
    );
    expect(list.data?.apiKeys).toContainEqual({
      id: created.apiKey.id,
      name: 'partner',
      role: 'OPERATOR',
      revoked: false,
    });
    // The type has no field that could carry the secret.
    const leak = await t.graphql('{ apiKeys { secret } }', {}, { cookie: adminCookie });
    expect(leak.status).toBe(400);

    const audit = await t.app.services.db.auditEvent.findFirstOrThrow({
      where: { action: 'apiKey.created' },
    });
    expect(JSON.stringify(audit)).not.toContain(created.secret);
  });

  it('works as x-api-key over HTTP; revoked and unknown keys get 401', async () => {
    const { secret, apiKey } = await newKey('revocable');
    const ok = await t.graphql(DRIVERS, {}, { apiKey: secret });
    expect(ok.status).toBe(200);
    expect(ok.errors).toBeUndefined();

    const revoked = await t.graphql<{ revokeApiKey: { __typename: string } }>(
      'mutation ($id: ID!) { revokeApiKey(id: $id) { __typename } }',
      { id: apiKey.id },
      { cookie: adminCookie },
    );
    expect(revoked.data?.revokeApiKey.__typename).toBe('MutationRevokeApiKeySuccess');
    const after = await t.graphql(DRIVERS, {}, { apiKey: secret });
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const unknown = await t.graphql('{ serverInfo { version } }', {}, { apiKey: `pex_${'x'.repeat(64)}` });
    expect(unknown.status).toBe(401);
    const events = await t.app.services.db.auditEvent.count({
      where: { action: 'apiKey.revoked', subjectId: apiKey.id },
    });
    expect(events).toBe(1);
  });

  it('is rate-limited per key with 429 and Retry-After', async () => {
    const { secret, apiKey } = await newKey('limited');
    await t.app.services.db.apikey.update({ where: { id: apiKey.id }, data: { rateLimitMax: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1)
      statuses.push((await t.graphql('{ serverInfo { version } }', {}, { apiKey: secret })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await t.graphql('{ serverInfo { version } }', {}, { apiKey: secret });
    expect(limited.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('tells each response the key’s budget in RateLimit-* headers', async () => {
    const { secret } = await newKey('budgeted');
    const first = await t.graphql('{ serverInfo { version } }', {}, { apiKey: secret });
    expect(first.headers.get('ratelimit-limit')).toBe('600');
    expect(first.headers.get('ratelimit-policy')).toBe('600;w=60');
    const remaining = Number(first.headers.get('ratelimit-remaining'));
    expect(remaining).toBeGreaterThanOrEqual(598);
    const second = await t.graphql('{ serverInfo { version } }', {}, { apiKey: secret });
    expect(Number(second.headers.get('ratelimit-remaining'))).toBe(remaining - 1);
    expect(Number(second.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    // People signed in with a cookie have no key budget.
    const cookie = await t.graphql('{ serverInfo { version } }', {}, { cookie: adminCookie });
    expect(cookie.headers.get('ratelimit-limit')).toBeNull();
  });

  it('scopes: a READ_ONLY key with WEBHOOKS manages endpoints but runs no operations; charging is refused for operators’ keys', async () => {
    const res = await t.graphql<{
      createApiKey: { data?: { secret: string; apiKey: { scopes: string[] } }; message?: string };
    }>(
      `mutation ($scopes: [ApiKeyScope!]) { createApiKey(name: "partner hooks", role: READ_ONLY, scopes: $scopes) {
        ... on MutationCreateApiKeySuccess { data { secret apiKey { scopes role } } } } }`,
      { scopes: ['WEBHOOKS'] },
      { cookie: adminCookie },
    );
    const { secret, apiKey } = res.data!.createApiKey.data!;
    expect(apiKey).toEqual({ scopes: ['READ', 'WEBHOOKS'], role: 'READ_ONLY' });

    const hooks = await t.graphql('{ webhookEndpoints(first: 1) { totalCount } }', {}, { apiKey: secret });
    expect(hooks.errors).toBeUndefined();
    const create = await t.graphql<{ createWebhookEndpoint: unknown }>(
      'mutation { createWebhookEndpoint(url: "https://hooks.invalid/x") { __typename ... on WebhookInputError { field } } }',
      {},
      { apiKey: secret },
    );
    // Allowed (the URL is what fails), not refused.
    expect(create.errors).toBeUndefined();
    expect(create.data?.createWebhookEndpoint).toEqual({ __typename: 'WebhookInputError', field: 'url' });
    const operate = await t.graphql('mutation { triggerSync { __typename } }', {}, { apiKey: secret });
    expect(operate.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const operator = await newKey('ops', 'OPERATOR');
    const listed = await t.graphql<{ apiKeys: { id: string; scopes: string[] }[] }>(
      '{ apiKeys { id scopes } }',
      {},
      { cookie: adminCookie },
    );
    expect(listed.data!.apiKeys.find((k) => k.id === operator.apiKey.id)?.scopes).toEqual([
      'READ',
      'OPERATIONS',
      'BILLING',
      'WEBHOOKS',
    ]);

    const charging = await t.graphql<{ createApiKey: { __typename: string; message?: string } }>(
      `mutation { createApiKey(name: "charger", role: READ_ONLY, scopes: [CHARGING]) {
        __typename ... on Error { message } } }`,
      {},
      { cookie: adminCookie },
    );
    expect(charging.data!.createApiKey.message).toMatch(/charging scope is for keys a driver owns/);
  });

  it('works over SSE (header) and graphql-ws (connectionParams), and a bad key fails there too', async () => {
    const { secret } = await newKey('streaming');
    const sse = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-api-key': secret },
      body: JSON.stringify({ query: DRIVERS }),
    });
    expect(sse.status).toBe(200);
    const text = await sse.text();
    expect(text).toContain('keyed-driver@example.test');

    const run = (connectionParams: Record<string, unknown>) => {
      const client = createClient({
        url: t.url.replace('http', 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
      });
      return new Promise<{ data?: unknown; errors?: unknown }>((resolve, reject) => {
        let result: { data?: unknown; errors?: unknown } = {};
        client.subscribe(
          { query: DRIVERS },
          {
            next: (value) => {
              result = value as typeof result;
            },
            error: (error) => {
              void client.dispose();
              if (Array.isArray(error)) resolve({ errors: error });
              else if (typeof (error as { code?: unknown }).code === 'number')
                reject(new Error(`socket closed ${(error as { code: number }).code}`));
              else reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
            },
            complete: () => {
              void client.dispose();
              resolve(result);
            },
          },
        );
      });
    };
    const good = await run({ apiKey: secret });
    expect(JSON.stringify(good.data)).toContain('keyed-driver@example.test');
    // A bad key is refused at connection_init: the socket closes with the protocol's Forbidden.
    await expect(run({ apiKey: 'pex_nope' })).rejects.toThrow('socket closed 4403');
  });

  it('only operators manage keys', async () => {
    const driver = await t.createUser();
    const cookie = await t.signIn(driver.email, driver.password);
    const res = await t.graphql(CREATE_KEY, { name: 'mine', role: 'OPERATOR' }, { cookie });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { secret } = await newKey('operator', 'OPERATOR');
    const byKey = await t.graphql(CREATE_KEY, { name: 'chain', role: 'OPERATOR' }, { apiKey: secret });
    expect(byKey.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
