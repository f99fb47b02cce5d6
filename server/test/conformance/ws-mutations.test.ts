import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';
import { openRawSocket } from './ws-client.ts';

const CREATE_CARD = `mutation ($idTag: String!) { createCard(idTag: $idTag) {
  __typename ... on MutationCreateCardSuccess { data { idTag } } } }`;

describe('mutations over graphql-ws', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.createUser({ role: 'admin' });
    cookie = await t.signIn(admin.email, admin.password);
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function mutateOverSocket(headers: Record<string, string>, idTag: string) {
    const raw = await openRawSocket(t.url, headers);
    raw.send({ type: 'connection_init' });
    await raw.next('connection_ack');
    raw.send({ type: 'subscribe', id: 'm', payload: { query: CREATE_CARD, variables: { idTag } } });
    const next = await raw.next('next');
    raw.socket.close(1000);
    return next.payload as { data?: { createCard?: { __typename: string } } | null; errors?: unknown[] };
  }

  it('run like over HTTP POST for a cookie session from a trusted origin (what urql sends)', async () => {
    const payload = await mutateOverSocket({ cookie, origin: t.config.publicUrl }, 'WS-CARD-1');
    expect(payload.errors).toBeUndefined();
    expect(payload.data?.createCard).toMatchObject({ __typename: 'MutationCreateCardSuccess' });
    expect(await t.app.services.db.evCard.count({ where: { idTag: 'WS-CARD-1' } })).toBe(1);
  });

  it('do not ride the cookie from another site (cross-site WebSocket): refused, nothing written', async () => {
    const payload = await mutateOverSocket({ cookie, origin: 'https://evil.example' }, 'WS-CARD-2');
    expect(payload.data?.createCard ?? null).toBeNull();
    expect(JSON.stringify(payload.errors)).toMatch(/FORBIDDEN|UNAUTHENTICATED/);
    expect(await t.app.services.db.evCard.count({ where: { idTag: 'WS-CARD-2' } })).toBe(0);
  });
});
