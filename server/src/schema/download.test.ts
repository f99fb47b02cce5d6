import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.ts';

describe('GET /schema.graphql (the SDL linked from /docs/api)', () => {
  let open: TestApp;
  let hidden: TestApp;
  beforeAll(async () => {
    open = await createTestApp({ app: { background: false } });
    hidden = await createTestApp({ env: { GRAPHQL_INTROSPECTION: 'false' }, app: { background: false } });
  });
  afterAll(async () => {
    await open?.stop();
    await hidden?.stop();
  });

  it('downloads the printed schema where introspection is on', async () => {
    const res = await fetch(`${open.url}/schema.graphql`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('schema.graphql');
    const sdl = await res.text();
    expect(sdl).toContain('createWebhookEndpoint(');
    expect(sdl).toContain('type Query');
  });

  it('asks for credentials where the server hides its schema, and serves signed-in callers', async () => {
    const anonymous = await fetch(`${hidden.url}/schema.graphql`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toMatch(/API key/);
    const admin = await hidden.createUser({ role: 'admin' });
    const cookie = await hidden.signIn(admin.email, admin.password);
    const signedIn = await fetch(`${hidden.url}/schema.graphql`, {
      headers: { cookie, origin: hidden.config.publicUrl },
    });
    expect(signedIn.status).toBe(200);
    expect(await signedIn.text()).toContain('type Mutation');
  });

  it('lists the event catalogue to anyone (the docs page reads it before sign-in)', async () => {
    const res = await open.graphql<{ webhookEventTypes: { name: string }[] }>(
      '{ webhookEventTypes { name } }',
    );
    expect(res.data?.webhookEventTypes.map((e) => e.name)).toContain('session.completed');
  });
});
