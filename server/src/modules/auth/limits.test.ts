import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { loadConfig } from '../../config.ts';
import { resolveAuthSecret, SIGN_IN_RATE_LIMIT } from './auth.ts';
import { DEMO_ADMIN_EMAIL, DEMO_DRIVER_EMAIL, DEMO_PASSWORD, seedDemoAccounts } from './auth.service.ts';
import { DOCUMENT_LIMITS } from './graphql-guards.ts';

describe('hostile documents and sign-in limits', () => {
  let t: TestApp;
  let adminCookie: string;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
  });
  afterAll(async () => {
    await t?.stop();
  });

  // Each hostile document and the limit that must stop it (graphql-armor's messages).
  const hostile: Record<string, [() => string, RegExp]> = {
    'deep nesting': [
      () => `{ ${'node(id: "x") { ... on User { '.repeat(40)}id${' } }'.repeat(40)} }`,
      /Query depth limit of 12 exceeded|Query Cost limit of 5000 exceeded/,
    ],
    'alias flood': [
      () => `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: serverInfo { version }`).join(' ')} }`,
      /Aliases limit of 15 exceeded/,
    ],
    'token flood': [() => `{ serverInfo { ${'version '.repeat(5000)}} }`, /Token limit of 2000 exceeded/],
    'directive flood': [
      () => `{ serverInfo { version ${'@include(if: true) '.repeat(100)}} }`,
      /Directives limit of 20 exceeded/,
    ],
    'costly fan-out': [
      () =>
        `{ ${Array.from({ length: 12 }, (_, i) => `c${i}: drivers(first: 100) { edges { node { id email name status createdAt role } } }`).join(' ')} }`,
      /Query Cost limit of 5000 exceeded/,
    ],
  };

  for (const [name, [build, limit]] of Object.entries(hostile)) {
    it(`rejects ${name} before execution`, async () => {
      // As an operator, so nothing but the limit can stop these documents.
      const res = await t.graphql(build(), {}, { cookie: adminCookie });
      // GraphQL-over-HTTP: a document refused before execution is a 400 for graphql-response+json.
      expect(res.status).toBe(400);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.map((e) => e.message).join('\n')).toMatch(limit);
      // Refused while parsing or validating — no resolver ran (that, not a stopwatch, is what "cheap" means).
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(
        res.errors?.map(() => expect.stringMatching(/^GRAPHQL_(PARSE|VALIDATION)_FAILED$/) as unknown),
      );
    });
  }

  it('answers a limit refusal with 200 for a plain application/json client (legacy GraphQL-over-HTTP)', async () => {
    const aliases = `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: serverInfo { version }`).join(' ')} }`;
    const res = await t.graphql(aliases, {}, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('accepts an ordinary document within the limits', async () => {
    const res = await t.graphql(
      `{ ${Array.from({ length: DOCUMENT_LIMITS.maxAliases }, (_, i) => `a${i}: serverInfo { version }`).join(' ')} }`,
    );
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
  });

  it(`limits sign-in attempts per client address (${SIGN_IN_RATE_LIMIT.max} a minute), stored in the database`, async () => {
    const user = await t.createUser();
    const ip = { 'x-forwarded-for': '192.0.2.77' };
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_RATE_LIMIT.max + 1; i += 1) {
      const { response } = await t.authRequest(
        '/sign-in/email',
        { email: user.email, password: 'wrong-password' },
        '',
        ip,
      );
      statuses.push(response.status);
    }
    expect(statuses.slice(0, SIGN_IN_RATE_LIMIT.max).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Even the right password waits; another address is unaffected.
    const blocked = await t.authRequest(
      '/sign-in/email',
      { email: user.email, password: user.password },
      '',
      ip,
    );
    expect(blocked.response.status).toBe(429);
    expect(await t.signIn(user.email, user.password)).toContain('session_token');
    expect(await t.app.services.db.rateLimit.count()).toBeGreaterThan(0);
  });
});

describe('introspection switched off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { GRAPHQL_INTROSPECTION: 'false' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses __schema and gives no field suggestions', async () => {
    const schemaQuery = await t.graphql('{ __schema { types { name } } }');
    expect(schemaQuery.data?.__schema ?? null).toBeNull();
    expect(schemaQuery.errors?.length).toBeGreaterThan(0);
    const typo = await t.graphql('{ serverInf { version } }');
    expect(typo.status).toBe(400);
    expect(JSON.stringify(typo.errors)).not.toMatch(/Did you mean/);
  });
});

describe('introspection defaults', () => {
  it('are off in production unless GRAPHQL_INTROSPECTION=true, on elsewhere', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).introspection).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).introspection).toBe(true);
  });

  it('production answers neither __schema nor "Did you mean"', async () => {
    const t = await createTestApp({ env: { NODE_ENV: 'production' } });
    try {
      const schemaQuery = await t.graphql('{ __schema { types { name } } }');
      expect(schemaQuery.data?.__schema ?? null).toBeNull();
      const typo = await t.graphql('{ serverInf { version } }');
      expect(JSON.stringify(typo.errors)).not.toMatch(/Did you mean/);
    } finally {
      await t.stop();
    }
  });
});

describe('demo accounts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { DEMO_SEED: 'true' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('are seeded at start-up, idempotently, and can sign in', async () => {
    const again = await seedDemoAccounts(t.app.services);
    expect(again.driverIds).toHaveLength(4);
    expect(await t.app.services.db.user.count()).toBe(5);
    const admin = await t.app.services.db.user.findUniqueOrThrow({ where: { email: DEMO_ADMIN_EMAIL } });
    expect(admin).toMatchObject({ id: again.adminId, role: 'admin' });
    const cookie = await t.signIn(DEMO_DRIVER_EMAIL, DEMO_PASSWORD);
    const me = await t.graphql<{ viewer: { role: string } }>('{ viewer { role } }', {}, { cookie });
    expect(me.data?.viewer.role).toBe('CUSTOMER');
    expect(again.accounts.filter((a) => a.status === 'INACTIVE')).toHaveLength(1);
  });

  it('are never seeded when a real SteVe or Lago is configured', () => {
    const real = loadConfig({ LAGO_URL: 'https://lago.example', LAGO_API_KEY: 'k', DEMO_SEED: 'true' });
    expect(real.demo).toBe(false);
  });
});

describe('auth secret', () => {
  it('is generated once into DATA_DIR/auth-secret (0600) unless AUTH_SECRET is set', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polaris-secret-'));
    try {
      const config = loadConfig({ DATA_DIR: dir });
      const first = resolveAuthSecret(config, { persist: true });
      expect(first.length).toBeGreaterThanOrEqual(32);
      const file = path.join(dir, 'auth-secret');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(resolveAuthSecret(config, { persist: true })).toBe(first);
      const configured = loadConfig({ DATA_DIR: dir, AUTH_SECRET: 'x'.repeat(40) });
      expect(resolveAuthSecret(configured, { persist: true })).toBe('x'.repeat(40));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
