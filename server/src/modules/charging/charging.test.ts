import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import { ManualClock } from '../sync/test-helpers.ts';
import {
  ACCOUNT_INACTIVE_MESSAGE,
  CHARGER_REJECTED_MESSAGE,
  CHARGER_UNAVAILABLE_MESSAGE,
  NO_ACTIVE_CARD_MESSAGE,
} from './charging.errors.ts';
import { expireStartRequests, pickStartCard } from './charging.service.ts';
import { giveCard } from './test-fixtures.ts';

const START = /* GraphQL */ `
  mutation ($id: ID!) {
    startCharging(chargerId: $id) {
      __typename
      ... on StartChargingSuccess {
        startRequest {
          id
          outcome
          message
          session {
            id
          }
        }
      }
      ... on NoActiveCardError {
        message
      }
      ... on AccountInactiveError {
        message
      }
      ... on ChargerRejectedError {
        message
      }
      ... on ChargerUnavailableError {
        message
      }
    }
  }
`;

type StartResult = {
  startCharging: {
    __typename: string;
    message?: string;
    startRequest?: { id: string; outcome: string; message: string | null; session: { id: string } | null };
  };
};

interface SessionEvent {
  id: string;
  energyKwh: number;
  powerKw: number | null;
  startedAt: string;
  charger: { name: string };
}

/** A GraphQL subscription over SSE (the same Yoga pipeline as graphql-ws); collects every payload. */
function sse<T>(t: TestApp, query: string, variables: Record<string, unknown>, cookie: string) {
  const events: Array<{ data?: T; errors?: unknown[] }> = [];
  const controller = new AbortController();
  const done = (async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        origin: t.config.publicUrl,
        cookie,
      },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        for (const line of block.split('\n')) {
          if (!line.startsWith('data:')) continue;
          const text = line.slice(5).trim();
          if (text) events.push(JSON.parse(text) as { data?: T });
        }
      }
    }
  })().catch(() => {
    // Aborted by close(), or the server went away at the end of the suite.
  });
  return {
    events,
    async waitFor(predicate: (e: { data?: T }) => boolean, label: string, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = events.find(predicate);
        if (hit) return hit;
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${label}: ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      controller.abort();
      await done;
    },
  };
}

describe('starting and stopping a charge', () => {
  let t: TestApp;
  let clock: ManualClock;
  let sim: FleetSimulator;
  let driver: { id: string; cookie: string };
  let other: { id: string; cookie: string };
  let noCard: { id: string; cookie: string };
  let inactive: { id: string; cookie: string };
  let adminCookie: string;
  let chargerIds: Map<string, string>;

  /** One complete run that starts now (a run requested by the app itself may be in flight). */
  const sync = async () => {
    const engine = t.app.services.sync.engine;
    while (engine.running) await new Promise((r) => setTimeout(r, 10));
    await engine.run({ trigger: 'MANUAL' });
  };
  const start = (chargeBoxId: string, cookie: string) =>
    t.graphql<StartResult>(START, { id: chargerIds.get(chargeBoxId) }, { cookie });
  const person = async (status: 'ACTIVE' | 'INACTIVE' = 'ACTIVE') => {
    const u = await t.createUser({ status });
    return { id: u.id, cookie: await t.signIn(u.email, u.password) };
  };

  beforeAll(async () => {
    clock = new ManualClock();
    sim = new FleetSimulator({
      seed: 42,
      size: 10,
      now: clock.now,
      fleetChurn: false,
      outages: false,
      backgroundActivity: false,
      remoteStartNoShowRate: 0,
      operationWaitMs: 30,
    });
    t = await createTestApp({ app: { background: false, steve: sim, clock: clock.now } });
    driver = await person();
    other = await person();
    noCard = await person();
    inactive = await person('INACTIVE');
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
    const db = t.app.services.db;
    await giveCard(db, sim, driver.id, { isPrimary: true, label: 'Primary' });
    await giveCard(db, sim, other.id);
    await giveCard(db, sim, inactive.id);
    await giveCard(db, sim, noCard.id, { status: 'DISABLED' });
    await sync();
    const rows = await db.charger.findMany({ select: { id: true, chargeBoxId: true } });
    const { encodeGlobalID } = await import('@pothos/plugin-relay');
    chargerIds = new Map(rows.map((c) => [c.chargeBoxId, encodeGlobalID('Charger', c.id)]));
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('picks the primary active card, else the most recently activated active one', async () => {
    const db = t.app.services.db;
    const u = await t.createUser();
    const older = await giveCard(db, sim, u.id, { activatedAt: new Date('2026-01-01T00:00:00Z') });
    const newer = await giveCard(db, sim, u.id, { activatedAt: new Date('2026-06-01T00:00:00Z') });
    await giveCard(db, sim, u.id, { status: 'DISABLED', isPrimary: true });
    expect((await pickStartCard(db, u.id))?.id).toBe(newer.id);
    await db.evCard.update({ where: { id: older.id }, data: { isPrimary: true } });
    expect((await pickStartCard(db, u.id))?.id).toBe(older.id);
  });

  it('refuses a driver without an active card, and an inactive account', async () => {
    const charger = sim.normalChargers[0]!;
    const a = await start(charger, noCard.cookie);
    expect(a.data?.startCharging).toEqual({
      __typename: 'NoActiveCardError',
      message: NO_ACTIVE_CARD_MESSAGE,
    });
    const b = await start(charger, inactive.cookie);
    expect(b.data?.startCharging).toEqual({
      __typename: 'AccountInactiveError',
      message: ACCOUNT_INACTIVE_MESSAGE,
    });
  });

  it('refuses a charger that is not online without sending anything', async () => {
    const charger = sim.normalChargers[1]!;
    await t.app.services.db.charger.update({ where: { chargeBoxId: charger }, data: { state: 'OFFLINE' } });
    const spy = vi.spyOn(sim, 'remoteStart');
    try {
      const res = await start(charger, driver.cookie);
      expect(res.data?.startCharging).toEqual({
        __typename: 'ChargerUnavailableError',
        message: CHARGER_UNAVAILABLE_MESSAGE,
      });
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      await t.app.services.db.charger.update({ where: { chargeBoxId: charger }, data: { state: 'ONLINE' } });
    }
  });

  it('tells the driver the charger could not start when it refuses (REJECTED)', async () => {
    const res = await start(sim.roles.refusesRemoteStart!, driver.cookie);
    expect(res.data?.startCharging).toEqual({
      __typename: 'ChargerRejectedError',
      message: CHARGER_REJECTED_MESSAGE,
    });
    const row = await t.app.services.db.startRequest.findFirstOrThrow({
      where: { charger: { chargeBoxId: sim.roles.refusesRemoteStart! } },
    });
    expect(row.outcome).toBe('REJECTED');
  });

  it('tells the driver the charger could not start when it never answers (TIMED_OUT)', async () => {
    const res = await start(sim.roles.neverAnswers!, driver.cookie);
    expect(res.data?.startCharging).toEqual({
      __typename: 'ChargerRejectedError',
      message: CHARGER_REJECTED_MESSAGE,
    });
    const row = await t.app.services.db.startRequest.findFirstOrThrow({
      where: { charger: { chargeBoxId: sim.roles.neverAnswers! } },
    });
    expect(row.outcome).toBe('TIMED_OUT');
  });

  it('refuses an impersonating admin with 403 before anything is sent', async () => {
    const cookie = await t.impersonate(adminCookie, driver.id);
    const spy = vi.spyOn(sim, 'remoteStart');
    try {
      const res = await start(sim.normalChargers[0]!, cookie);
      expect(res.status).toBe(403);
      expect(res.errors?.[0]?.extensions?.reason).toBe('IMPERSONATION_READ_ONLY');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('a double click sends one RemoteStart and both calls get the same request', async () => {
    const charger = sim.normalChargers[2]!;
    const spy = vi.spyOn(sim, 'remoteStart');
    try {
      const [a, b] = await Promise.all([start(charger, other.cookie), start(charger, other.cookie)]);
      expect(a.data?.startCharging.__typename).toBe('StartChargingSuccess');
      expect(b.data?.startCharging.__typename).toBe('StartChargingSuccess');
      expect(a.data?.startCharging.startRequest?.id).toBe(b.data?.startCharging.startRequest?.id);
      expect(spy).toHaveBeenCalledTimes(1);
      // A third click after the answer still sends nothing while the start is under way.
      const c = await start(charger, other.cookie);
      expect(c.data?.startCharging.startRequest?.id).toBe(a.data?.startCharging.startRequest?.id);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    // Let the session start and end so the other driver's card is free again.
    clock.advance(5_000);
    await sync();
    const session = await t.app.services.db.chargingSession.findFirstOrThrow({
      where: { driverId: other.id },
    });
    await sim.remoteStop({ chargeBoxId: charger, transactionPk: session.steveTransactionPk });
    clock.advance(5_000);
    await sync();
  });

  it('marks an accepted start without a transaction NOT_STARTED after the timeout', async () => {
    const charger = sim.normalChargers[3]!;
    const res = await start(charger, other.cookie);
    const request = res.data!.startCharging.startRequest!;
    expect(request.outcome).toBe('ACCEPTED');
    clock.advance(91_000);
    const { decodeGlobalID } = await import('@pothos/plugin-relay');
    const rawId = decodeGlobalID(request.id).id;
    // No sync ran, so no session was linked.
    expect(await expireStartRequests(t.app.services)).toContain(rawId);
    const q = await t.graphql<{ node: { outcome: string; message: string } }>(
      'query ($id: ID!) { node(id: $id) { ... on StartRequest { outcome message } } }',
      { id: request.id },
      { cookie: other.cookie },
    );
    expect(q.data?.node).toEqual({ outcome: 'NOT_STARTED', message: CHARGER_REJECTED_MESSAGE });
    // Tidy up: the EV did start meanwhile; stop it.
    await sync();
    const session = await t.app.services.db.chargingSession.findFirstOrThrow({
      where: { driverId: other.id, status: 'ACTIVE' },
    });
    await sim.remoteStop({ chargeBoxId: charger, transactionPk: session.steveTransactionPk });
    clock.advance(5_000);
    await sync();
  });

  it('accepted: the request follows PENDING → ACCEPTED → session, kWh rises live, stop ends it', async () => {
    const charger = sim.normalChargers[0]!;
    const active = sse<{ activeSession: SessionEvent | null }>(
      t,
      'subscription { activeSession { id energyKwh powerKw startedAt charger { name } } }',
      {},
      driver.cookie,
    );
    await active.waitFor((e) => e.data !== undefined && e.data.activeSession === null, 'initial null');

    const res = await start(charger, driver.cookie);
    const request = res.data!.startCharging.startRequest!;
    expect(request).toMatchObject({ outcome: 'ACCEPTED', message: null, session: null });

    const updates = sse<{ startRequestUpdated: { outcome: string; session: { id: string } | null } }>(
      t,
      'subscription ($id: ID!) { startRequestUpdated(id: $id) { outcome session { id } } }',
      { id: request.id },
      driver.cookie,
    );
    await updates.waitFor((e) => e.data?.startRequestUpdated.outcome === 'ACCEPTED', 'accepted');

    clock.advance(5_000);
    await sync();
    const linked = await updates.waitFor((e) => e.data?.startRequestUpdated.session != null, 'session link');
    const sessionId = linked.data!.startRequestUpdated.session!.id;

    const kwh: number[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      await sync();
      const seen = active.events.length;
      await active.waitFor(
        (e) =>
          active.events.indexOf(e) >= seen - 1 && (e.data?.activeSession?.energyKwh ?? 0) > (kwh.at(-1) ?? 0),
        `kWh above ${kwh.at(-1) ?? 0}`,
      );
      const last = active.events.filter((e) => e.data?.activeSession).at(-1)!.data!.activeSession!;
      expect(last.id).toBe(sessionId);
      expect(last.charger.name.length).toBeGreaterThan(0);
      kwh.push(last.energyKwh);
    }
    expect(kwh[0]).toBeGreaterThan(0);
    expect(kwh[1]).toBeGreaterThan(kwh[0]!);
    expect(kwh[2]).toBeGreaterThan(kwh[1]!);

    // The session is listed (first meter reading synced) and private to its driver.
    const mine = await t.graphql<{ sessions: { edges: { node: { id: string } }[] } }>(
      '{ sessions(first: 5) { edges { node { id energyKwh durationSeconds card { publicId isPrimary } } } } }',
      {},
      { cookie: driver.cookie },
    );
    expect(mine.data?.sessions.edges.map((e) => e.node.id)).toContain(sessionId);
    const theirs = await t.graphql<{ sessions: { edges: unknown[] } }>(
      '{ sessions(first: 50) { edges { node { id } } } }',
      {},
      { cookie: noCard.cookie },
    );
    expect(theirs.data?.sessions.edges).toEqual([]);
    const peek = await t.graphql(
      'query ($id: ID!) { node(id: $id) { id } }',
      { id: sessionId },
      { cookie: noCard.cookie },
    );
    expect(peek.data?.node ?? null).toBeNull();

    // Another driver cannot stop it.
    const STOP =
      'mutation ($id: ID!) { stopCharging(sessionId: $id) { __typename ... on SessionNotFoundError { message } } }';
    const foreign = await t.graphql<{ stopCharging: { __typename: string } }>(
      STOP,
      { id: sessionId },
      { cookie: other.cookie },
    );
    expect(foreign.data?.stopCharging.__typename).toBe('SessionNotFoundError');

    const stop = await t.graphql<{ stopCharging: { __typename: string } }>(
      STOP,
      { id: sessionId },
      { cookie: driver.cookie },
    );
    expect(stop.errors).toBeUndefined();
    expect(stop.data?.stopCharging.__typename).toBe('StopChargingSuccess');
    clock.advance(5_000);
    const before = active.events.length;
    await sync();
    await active.waitFor(
      (e) => active.events.indexOf(e) >= before && e.data?.activeSession === null,
      'null after stop',
    );

    const usage = await t.graphql<{ usage: { weekKwh: number; monthKwh: number; billingPeriod: unknown } }>(
      '{ usage { weekKwh monthKwh weekSessions billingPeriod { kwh } } }',
      {},
      { cookie: driver.cookie },
    );
    expect(usage.errors).toBeUndefined();
    expect(usage.data!.usage.monthKwh).toBeGreaterThanOrEqual(kwh[2]!);
    await active.close();
    await updates.close();
  });

  it("a driver's own key with the charging scope starts and stops on that driver's cards only", async () => {
    const db = t.app.services.db;
    const owner = await person();
    const card = await giveCard(db, sim, owner.id, { isPrimary: true });
    const CREATE = `mutation ($name: String!, $scopes: [ApiKeyScope!]) {
      createMyApiKey(name: $name, scopes: $scopes) {
        __typename
        ... on MutationCreateMyApiKeySuccess { data { secret apiKey { scopes driverOwned } } }
        ... on InvalidAccountInputError { message field }
      }
    }`;
    type Created = {
      createMyApiKey: {
        __typename: string;
        data?: { secret: string; apiKey: { scopes: string[]; driverOwned: boolean } };
        field?: string;
      };
    };
    const charging = await t.graphql<Created>(
      CREATE,
      { name: 'home app', scopes: ['CHARGING'] },
      { cookie: owner.cookie },
    );
    expect(charging.data?.createMyApiKey.data?.apiKey).toEqual({
      scopes: ['READ', 'CHARGING'],
      driverOwned: true,
    });
    const key = charging.data!.createMyApiKey.data!.secret;
    const readOnly = await t.graphql<Created>(CREATE, { name: 'dashboard' }, { cookie: owner.cookie });
    const readKey = readOnly.data!.createMyApiKey.data!.secret;
    // A driver's key can have nothing beyond reading and charging.
    const tooMuch = await t.graphql<Created>(
      CREATE,
      { name: 'ops', scopes: ['OPERATIONS'] },
      { cookie: owner.cookie },
    );
    expect(tooMuch.data?.createMyApiKey).toMatchObject({
      __typename: 'InvalidAccountInputError',
      field: 'scopes',
    });

    const charger = sim.normalChargers[2]!;
    const spy = vi.spyOn(sim, 'remoteStart');
    try {
      // Without the charging scope: refused before anything is sent.
      const refused = await t.graphql(START, { id: chargerIds.get(charger) }, { apiKey: readKey });
      expect(refused.status).toBe(403);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'KEY_SCOPE' });
      expect(spy).not.toHaveBeenCalled();

      // With it: the charger is asked to start with the owner's card, and the key's response carries
      // its rate-limit budget.
      const started = await t.graphql<StartResult>(START, { id: chargerIds.get(charger) }, { apiKey: key });
      expect(started.data?.startCharging.startRequest).toMatchObject({ outcome: 'ACCEPTED' });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]![0]).toMatchObject({ chargeBoxId: charger, idTag: card.idTag });
      expect(Number(started.headers.get('ratelimit-limit'))).toBeGreaterThan(0);
    } finally {
      spy.mockRestore();
    }
    clock.advance(5_000);
    await sync();

    // The key reads the owner's own session, like the owner does.
    const mine = await t.graphql<{ activeSession: { id: string } | null; viewer: { email: string } }>(
      '{ activeSession { id } viewer { email } }',
      {},
      { apiKey: readKey },
    );
    const sessionId = mine.data?.activeSession?.id;
    expect(sessionId).toBeDefined();
    const ownerEmail = (await db.user.findUniqueOrThrow({ where: { id: owner.id } })).email;
    expect(mine.data?.viewer.email).toBe(ownerEmail);

    // Another driver's charging key cannot stop it; it is not theirs.
    const otherKey = await t.graphql<Created>(
      CREATE,
      { name: 'theirs', scopes: ['CHARGING'] },
      { cookie: other.cookie },
    );
    const STOP = 'mutation ($id: ID!) { stopCharging(sessionId: $id) { __typename } }';
    const foreign = await t.graphql<{ stopCharging: { __typename: string } }>(
      STOP,
      { id: sessionId },
      { apiKey: otherKey.data!.createMyApiKey.data!.secret },
    );
    expect(foreign.data?.stopCharging.__typename).toBe('SessionNotFoundError');

    // Nothing but start and stop: no reservations, no new keys through a key.
    const reserve = await t.graphql(
      'mutation ($id: ID!) { reserveCharger(chargerId: $id) { __typename } }',
      { id: chargerIds.get(sim.normalChargers[3]!) },
      { apiKey: key },
    );
    expect(reserve.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'KEY_SCOPE' });
    const mint = await t.graphql(CREATE, { name: 'more', scopes: ['CHARGING'] }, { apiKey: key });
    expect(mint.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'KEY_SCOPE' });

    const stop = await t.graphql<{ stopCharging: { __typename: string } }>(
      STOP,
      { id: sessionId },
      { apiKey: key },
    );
    expect(stop.data?.stopCharging.__typename).toBe('StopChargingSuccess');
    clock.advance(5_000);
    await sync();
    const after = await t.graphql<{ activeSession: unknown }>(
      '{ activeSession { id } }',
      {},
      { apiKey: key },
    );
    expect(after.data?.activeSession).toBeNull();
  });

  it('shows the viewer their cards with the primary flag', async () => {
    const res = await t.graphql<{
      viewer: { cards: { publicId: string; isPrimary: boolean; status: string }[] };
    }>('{ viewer { status cards { publicId isPrimary status label } } }', {}, { cookie: driver.cookie });
    expect(res.errors).toBeUndefined();
    expect(res.data!.viewer.cards).toHaveLength(1);
    expect(res.data!.viewer.cards[0]).toMatchObject({ isPrimary: true, status: 'ACTIVE' });
  });
});
