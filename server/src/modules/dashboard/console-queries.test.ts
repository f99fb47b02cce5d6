import { formatDocument } from '@urql/core';
import { print, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AlertsPageDocument,
  AuditLogPageDocument,
  ChargersPageDocument,
  DriversPageDocument,
  EvCardsPageDocument,
  SessionsPageDocument,
} from '../../../../client/src/gql/graphql.ts';
import { createTestApp, type TestApp } from '../../../test/app.ts';

/**
 * The console's paged lists, exactly as the browser sends them (urql adds `__typename` everywhere),
 * must stay under the API's query cost limit, which multiplies a connection's cost by its `first`.
 */
describe("the operator console's list queries", () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp({ app: { background: false } });
    const admin = await t.createUser({ role: 'admin' });
    cookie = await t.signIn(admin.email, admin.password);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const documents: Record<string, DocumentNode> = {
    ChargersPage: ChargersPageDocument,
    SessionsPage: SessionsPageDocument,
    EvCardsPage: EvCardsPageDocument,
    DriversPage: DriversPageDocument,
    AlertsPage: AlertsPageDocument,
    AuditLogPage: AuditLogPageDocument,
  };

  it.each(Object.keys(documents))('%s runs within the cost limit', async (name) => {
    const res = await t.graphql(print(formatDocument(documents[name]!)), {}, { cookie });
    expect(res.errors).toBeUndefined();
    expect(res.data).toBeTruthy();
  });
});
