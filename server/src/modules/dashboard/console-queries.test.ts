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

/** One more row of each kind than a console page shows, so every list has a second page. */
const SEEDED = 26;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: Record<string, unknown> }>;
}

/**
 * The console's paged lists, exactly as the browser sends them (urql adds `__typename` everywhere):
 * they stay under the API's query cost limit (which multiplies a connection's cost by its `first`),
 * and an operator sees a full first page of the rows that exist, their total and a next page.
 */
describe("the operator console's list queries", () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp({ app: { background: false } });
    const admin = await t.createUser({ role: 'admin' });
    cookie = await t.signIn(admin.email, admin.password);
    const db = t.app.services.db;
    const n = Array.from({ length: SEEDED }, (_, i) => i + 1);
    const at = (i: number) => new Date(Date.UTC(2026, 10, 1, 8, i));
    await db.charger.createMany({
      data: n.map((i) => ({ id: `ch-${i}`, chargeBoxId: `CB-${i}`, description: `Bay ${i}` })),
    });
    await db.user.createMany({
      data: n.map((i) => ({ id: `dr-${i}`, name: `Driver ${i}`, email: `driver${i}@example.test` })),
    });
    await db.evCard.createMany({
      data: n.map((i) => ({
        id: `card-${i}`,
        publicId: `PX-${1000 + i}`,
        idTag: `TAG${i}`,
        ownerId: `dr-${i}`,
      })),
    });
    await db.chargingSession.createMany({
      data: n.map((i) => ({
        id: `cs-${i}`,
        steveTransactionPk: i,
        chargerId: `ch-${i}`,
        connectorNumber: 1,
        idTag: `TAG${i}`,
        startedAt: at(i),
        meterStartWh: 0,
      })),
    });
    await db.alert.createMany({
      data: n.map((i) => ({ id: `al-${i}`, severity: 'WARNING', kind: 'TEST', message: `Alert ${i}` })),
    });
    await db.auditEvent.createMany({
      data: n.map((i) => ({
        id: `au-${i}`,
        action: 'card.activated',
        subjectType: 'EvCard',
        subjectId: `PX-${1000 + i}`,
      })),
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** Each list: its document, root field, page size and what a row shows of the seeded data. */
  const lists: Record<
    string,
    {
      document: DocumentNode;
      field: string;
      pageSize: number;
      row: (node: Record<string, unknown>) => boolean;
    }
  > = {
    ChargersPage: {
      document: ChargersPageDocument,
      field: 'chargers',
      pageSize: 25,
      row: (c) =>
        /^CB-(\d+)$/.test(String(c.chargeBoxId)) && c.name === `Bay ${String(c.chargeBoxId).slice(3)}`,
    },
    SessionsPage: {
      document: SessionsPageDocument,
      field: 'operatorSessions',
      pageSize: 20,
      row: (s) => /^TAG\d+$/.test(String(s.idTag)) && (s.charger as { name: string }).name.startsWith('Bay '),
    },
    EvCardsPage: {
      document: EvCardsPageDocument,
      field: 'evCards',
      pageSize: 25,
      row: (c) =>
        /^PX-10\d\d$/.test(String(c.publicId)) &&
        (c.owner as { email: string }).email ===
          `driver${Number(String(c.publicId).slice(3)) - 1000}@example.test`,
    },
    DriversPage: {
      document: DriversPageDocument,
      field: 'drivers',
      pageSize: 25,
      row: (d) => /^driver\d+@example\.test$/.test(String(d.email)) && String(d.name).startsWith('Driver '),
    },
    AlertsPage: {
      document: AlertsPageDocument,
      field: 'alerts',
      pageSize: 20,
      row: (a) => /^Alert \d+$/.test(String(a.message)) && a.readAt === null,
    },
    AuditLogPage: {
      document: AuditLogPageDocument,
      field: 'auditEvents',
      pageSize: 25,
      row: (e) => e.action === 'card.activated' && /^PX-10\d\d$/.test(String(e.subjectId)),
    },
  };

  it.each(Object.keys(lists))(
    '%s shows a full first page of the rows that exist, within the cost limit',
    async (name) => {
      const list = lists[name]!;
      const res = await t.graphql<Record<string, Page>>(print(formatDocument(list.document)), {}, { cookie });
      expect(res.errors).toBeUndefined();
      const page = res.data![list.field]!;
      expect(page.totalCount).toBe(SEEDED);
      expect(page.edges).toHaveLength(list.pageSize);
      expect(page.pageInfo.hasNextPage).toBe(true);
      expect(page.edges.filter((e) => !list.row(e.node))).toEqual([]);
      // Every row once: the page repeats none.
      expect(new Set(page.edges.map((e) => e.node.id)).size).toBe(list.pageSize);
    },
  );

  it('the alerts page also counts the unread ones for the badge', async () => {
    const res = await t.graphql<{ unreadAlertCount: number }>(
      print(formatDocument(AlertsPageDocument)),
      {},
      { cookie },
    );
    expect(res.data!.unreadAlertCount).toBe(SEEDED);
  });
});
