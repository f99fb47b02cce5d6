import { encodeGlobalID } from '@pothos/plugin-relay';
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Credentials, type TestApp } from '../../../test/app.ts';
import { schema } from '../../schema/index.ts';
import { createApiKey, createDriverApiKey } from './auth.service.ts';
import { DRIVER_KEY_MUTATIONS } from './graphql-guards.ts';
import { MATRIX, PERSONAS, type FieldCase, type Fixtures, type Persona } from './authorization-matrix.ts';

type Root = keyof typeof MATRIX;
const ROOTS: Root[] = ['Query', 'Mutation', 'Subscription'];

function schemaFields(root: Root): string[] {
  const type = {
    Query: schema.getQueryType(),
    Mutation: schema.getMutationType(),
    Subscription: schema.getSubscriptionType(),
  }[root];
  return type ? Object.keys(type.getFields()).sort() : [];
}

type Outcome = 'allowed' | 'refused' | `unexpected: ${string}`;

function classify(status: number, errors: ExecutionResult['errors'] | undefined): Outcome {
  const codes = (errors ?? []).map((e) => e.extensions?.code);
  if (status === 401 || status === 403 || codes.includes('FORBIDDEN') || codes.includes('UNAUTHENTICATED')) {
    return 'refused';
  }
  if (status >= 400) return `unexpected: HTTP ${status} ${JSON.stringify(errors)}`;
  return 'allowed';
}

describe('authorization matrix', () => {
  let t: TestApp;
  let credentials: Record<Persona, Credentials>;
  let base: Omit<Fixtures, 'unique'>;
  let counter = 0;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.createUser({ role: 'admin', email: 'matrix-admin@example.test' });
    const driver = await t.createUser({ email: 'matrix-driver@example.test' });
    const other = await t.createUser({ email: 'matrix-other@example.test' });
    const spare = await t.createUser({ email: 'matrix-spare@example.test' });
    const adminViewer = {
      kind: 'user' as const,
      userId: admin.id,
      email: admin.email,
      role: 'admin' as const,
      status: 'ACTIVE' as const,
      sessionId: 'matrix',
      impersonatorId: null,
    };
    const readOnly = await createApiKey(t.app.services, adminViewer, {
      name: 'matrix read',
      role: 'READ_ONLY',
    });
    const operator = await createApiKey(t.app.services, adminViewer, {
      name: 'matrix operator',
      role: 'OPERATOR',
    });
    const spareKey = await createApiKey(t.app.services, adminViewer, {
      name: 'matrix spare',
      role: 'READ_ONLY',
    });
    const driverViewer = {
      kind: 'user' as const,
      userId: driver.id,
      email: driver.email,
      role: 'customer' as const,
      status: 'ACTIVE' as const,
      sessionId: 'matrix-driver',
      impersonatorId: null,
    };
    const driverKey = await createDriverApiKey(t.app.services, driverViewer, {
      name: 'matrix driver charging',
      scopes: ['charging'],
    });
    const driverReadKey = await createDriverApiKey(t.app.services, driverViewer, {
      name: 'matrix driver read',
    });
    const impersonatorCookie = await t.impersonate(await t.signIn(admin.email, admin.password), driver.id);
    credentials = {
      anonymous: {},
      driver: { cookie: await t.signIn(driver.email, driver.password) },
      otherDriver: { cookie: await t.signIn(other.email, other.password) },
      admin: { cookie: await t.signIn(admin.email, admin.password) },
      impersonator: { cookie: impersonatorCookie },
      readOnlyKey: { apiKey: readOnly.secret },
      operatorKey: { apiKey: operator.secret },
      driverKey: { apiKey: driverKey.secret },
      driverReadKey: { apiKey: driverReadKey.secret },
    };
    base = {
      driverId: encodeGlobalID('User', driver.id),
      otherDriverId: encodeGlobalID('User', other.id),
      adminId: encodeGlobalID('User', admin.id),
      spareDriverId: encodeGlobalID('User', spare.id),
      spareApiKeyId: spareKey.apiKey.id,
      missingChargerId: encodeGlobalID('Charger', '00000000-0000-7000-8000-000000000000'),
    };
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('the personas are who they claim to be', async () => {
    const q = '{ viewer { email role impersonatedBy { email } } }';
    const seen = async (p: Persona) =>
      (await t.graphql<{ viewer: unknown }>(q, {}, credentials[p])).data?.viewer;
    expect(await seen('anonymous')).toBeNull();
    expect(await seen('driver')).toMatchObject({ email: 'matrix-driver@example.test', impersonatedBy: null });
    expect(await seen('otherDriver')).toMatchObject({ email: 'matrix-other@example.test' });
    expect(await seen('admin')).toMatchObject({ role: 'ADMIN' });
    expect(await seen('impersonator')).toMatchObject({
      email: 'matrix-driver@example.test',
      role: 'CUSTOMER',
      impersonatedBy: { email: 'matrix-admin@example.test' },
    });
    expect(await seen('readOnlyKey')).toBeNull();
    // A driver's own key is that driver, with no one acting as them.
    expect(await seen('driverKey')).toMatchObject({
      email: 'matrix-driver@example.test',
      role: 'CUSTOMER',
      impersonatedBy: null,
    });
    expect(await seen('driverReadKey')).toMatchObject({ email: 'matrix-driver@example.test' });
  });

  it.each(ROOTS)('the table knows every %s field, and only those', (root) => {
    const unknown = schemaFields(root).filter((f) => !(f in MATRIX[root]));
    const stale = Object.keys(MATRIX[root]).filter((f) => !schemaFields(root).includes(f));
    expect(unknown, `add these ${root} fields to authorization-matrix.ts`).toEqual([]);
    expect(stale, `these ${root} fields no longer exist`).toEqual([]);
  });

  it('the table never lets an impersonating admin run a mutation', () => {
    const wrong = Object.entries(MATRIX.Mutation)
      .filter(([, c]) => c.allowed.includes('impersonator'))
      .map(([f]) => f);
    expect(wrong).toEqual([]);
  });

  it("the table lets a driver's key run start/stop only, and only with the charging scope", () => {
    const wrong = Object.entries(MATRIX.Mutation)
      .filter(
        ([f, c]) =>
          c.allowed.includes('driverReadKey') ||
          (c.allowed.includes('driverKey') && !DRIVER_KEY_MUTATIONS.includes(f)),
      )
      .map(([f]) => f);
    expect(wrong).toEqual([]);
    expect(DRIVER_KEY_MUTATIONS.filter((f) => !MATRIX.Mutation[f]?.allowed.includes('driverKey'))).toEqual(
      [],
    );
  });

  async function runHttp(fieldCase: FieldCase, persona: Persona) {
    counter += 1;
    const variables =
      fieldCase.variables?.({ ...base, unique: `m${counter}-${persona.toLowerCase()}` }, persona) ?? {};
    return t.graphql(fieldCase.document, variables, credentials[persona]);
  }

  /** Subscriptions go through the same envelope graphql-ws uses; an async iterator means "subscribed". */
  async function runSubscription(fieldCase: FieldCase, persona: Persona): Promise<Outcome> {
    counter += 1;
    const variables = fieldCase.variables?.({ ...base, unique: `m${counter}` }, persona) ?? {};
    const c = credentials[persona];
    const headers = new Headers({ origin: t.config.publicUrl });
    if (c.cookie) headers.set('cookie', c.cookie);
    const connectionParams = c.apiKey ? { apiKey: c.apiKey } : {};
    const request = new Request(`${t.url}/graphql`, { headers });
    const params = { query: fieldCase.document, variables };
    const env = t.app.yoga.getEnveloped({ request, connectionParams, params });
    const document = env.parse(fieldCase.document);
    const errors = env.validate(env.schema, document);
    if (errors.length)
      return `unexpected: invalid document ${errors.map((e: { message: string }) => e.message).join('; ')}`;
    let contextValue;
    try {
      contextValue = await env.contextFactory();
    } catch (error) {
      const status = (error as { extensions?: { http?: { status?: number } } }).extensions?.http?.status;
      return status === 401 || status === 403 ? 'refused' : `unexpected: ${String(error)}`;
    }
    const result = await env.subscribe({
      schema: env.schema,
      document,
      variableValues: variables,
      contextValue,
    });
    if (Symbol.asyncIterator in (result as object)) {
      await (result as AsyncGenerator).return?.(undefined);
      return 'allowed';
    }
    return classify(200, (result as ExecutionResult).errors);
  }

  for (const root of ROOTS) {
    for (const field of schemaFields(root)) {
      it(`${root}.${field}`, async () => {
        const fieldCase = MATRIX[root][field];
        expect(fieldCase, `${root}.${field} is missing from authorization-matrix.ts`).toBeDefined();
        if (!fieldCase) return;
        const mismatches: string[] = [];
        for (const persona of PERSONAS) {
          const expected = fieldCase.allowed.includes(persona) ? 'allowed' : 'refused';
          if (root === 'Subscription') {
            const outcome = await runSubscription(fieldCase, persona);
            if (outcome !== expected) mismatches.push(`${persona}: expected ${expected}, got ${outcome}`);
            continue;
          }
          const res = await runHttp(fieldCase, persona);
          const outcome = classify(res.status, res.errors as ExecutionResult['errors']);
          if (outcome !== expected) {
            mismatches.push(
              `${persona}: expected ${expected}, got ${outcome} ${JSON.stringify(res.errors ?? res.data)}`,
            );
          }
          // Impersonation is read-only: the refusal is the pipeline's, with a 403, before any resolver.
          if (root === 'Mutation' && persona === 'impersonator') {
            const reason = res.errors?.[0]?.extensions?.reason;
            if (res.status !== 403 || reason !== 'IMPERSONATION_READ_ONLY') {
              mismatches.push(
                `impersonator: expected HTTP 403 IMPERSONATION_READ_ONLY, got ${res.status} ${String(reason)}`,
              );
            }
          }
        }
        expect(mismatches).toEqual([]);
      });
    }
  }
});
