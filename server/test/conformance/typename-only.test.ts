import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  getNamedType,
  isObjectType,
  isUnionType,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LagoSandbox } from '../../src/integrations/lago/sandbox/sandbox.ts';
import { FleetSimulator } from '../../src/integrations/steve/simulator/index.ts';
import { giveCard } from '../../src/modules/charging/test-fixtures.ts';
import { ManualClock } from '../../src/modules/sync/test-helpers.ts';
import { recordDomainEvents } from '../../src/modules/events/domain-events.ts';
import { createEndpoint } from '../../src/modules/webhooks/webhooks.service.ts';
import { schema } from '../../src/schema/index.ts';
import { createTestApp, type TestApp } from '../app.ts';

/**
 * A client may select nothing but `__typename` on a mutation's result (urql's cache does, and so do
 * fire-and-forget callers). Every mutation must then still succeed, including the Prisma objects
 * behind it (an empty Prisma `select` is an error).
 */

interface Case {
  /** Who calls it. */
  as: 'admin' | 'driver';
  /** Variables of a call that succeeds (a fresh subject per call: each mutation runs several times). */
  variables: () => Promise<Record<string, unknown>>;
}

const mutationType = schema.getMutationType()!;

/** The object type the result is about: a union's `…Success` member's `data`-like field, or the type. */
function successOf(type: GraphQLNamedType): { success: GraphQLObjectType; dataField: string | null } | null {
  if (isObjectType(type)) return { success: type, dataField: null };
  if (!isUnionType(type)) return null;
  const success = type.getTypes().find((m) => m.name.endsWith('Success'));
  // A direct result (e.g. `Reservation | …Error`): the object itself is the success member.
  if (!success) return { success: type.getTypes().find((m) => !m.name.endsWith('Error'))!, dataField: null };
  const [dataField] = Object.keys(success.getFields());
  return { success, dataField: dataField ?? null };
}

/** Documents that select `__typename` only, at each level a client might stop. */
function documents(field: string, args: string): string[] {
  const type = getNamedType(mutationType.getFields()[field]!.type);
  const call = `${field}${args}`;
  const out = [`mutation${signature(field)} { ${call} { __typename } }`];
  if (isUnionType(type)) {
    for (const member of type.getTypes())
      out.push(`mutation${signature(field)} { ${call} { ... on ${member.name} { __typename } } }`);
    const s = successOf(type)!;
    // A scalar `data` (an id, a count) has no `__typename` of its own to stop at.
    if (s.dataField && isObjectType(getNamedType(s.success.getFields()[s.dataField]!.type))) {
      out.push(
        `mutation${signature(field)} { ${call} { ... on ${s.success.name} { ${s.dataField} { __typename } } } }`,
      );
    }
  }
  return out;
}

function signature(field: string): string {
  const args = mutationType.getFields()[field]!.args;
  if (args.length === 0) return '';
  return `(${args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ')})`;
}

function argumentList(field: string): string {
  const args = mutationType.getFields()[field]!.args;
  if (args.length === 0) return '';
  return `(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})`;
}

describe('mutations with a `__typename`-only selection', () => {
  let t: TestApp;
  let sim: FleetSimulator;
  let clock: ManualClock;
  let adminCookie: string;
  let driver: { id: string; cookie: string };
  let n = 0;
  const fresh = () => `${Date.now().toString(36)}${(n += 1)}`.toUpperCase();

  /** A PENDING card registered through the API (returns its Public ID). */
  const newCard = async (): Promise<string> => {
    const res = await t.graphql<{ createCard: { data?: { publicId: string } } }>(
      'mutation ($idTag: String!) { createCard(idTag: $idTag) { ... on MutationCreateCardSuccess { data { publicId } } } }',
      { idTag: `TN${fresh()}` },
      { cookie: adminCookie },
    );
    return res.data!.createCard.data!.publicId;
  };
  const activeCard = async (): Promise<string> => {
    const publicId = await newCard();
    await t.graphql(
      'mutation ($p: String!) { activateCard(publicId: $p) { __typename } }',
      { p: publicId },
      { cookie: adminCookie },
    );
    return publicId;
  };
  const newDriver = async () => {
    const u = await t.createUser();
    return encodeGlobalID('User', u.id);
  };

  /** A webhook endpoint (to local port 9: deliveries are never attempted here). */
  const newEndpoint = async () => {
    const { endpoint } = await createEndpoint(
      { db: t.app.services.db, config: t.config, pubsub: t.app.services.pubsub },
      null,
      { url: 'http://127.0.0.1:9/hook' },
    );
    return encodeGlobalID('WebhookEndpoint', endpoint.id);
  };
  const endpointCase = (extra: Record<string, unknown> = {}): Case => ({
    as: 'admin',
    variables: async () => ({ id: await newEndpoint(), ...extra }),
  });

  const cases: Record<string, Case> = {
    createWebhookEndpoint: {
      as: 'admin',
      variables: async () => ({ url: 'http://127.0.0.1:9/hook', events: null, description: null }),
    },
    updateWebhookEndpoint: endpointCase({ url: null, events: ['session.started'], description: 'typename' }),
    rotateWebhookSecret: endpointCase({ graceHours: null }),
    pauseWebhookEndpoint: endpointCase(),
    deleteWebhookEndpoint: endpointCase(),
    replayWebhookEvents: {
      as: 'admin',
      variables: async () => ({ endpointId: await newEndpoint(), fromEvent: '1' }),
    },
    resumeWebhookEndpoint: endpointCase(),
    resendWebhookDelivery: {
      as: 'admin',
      variables: async () => {
        const id = await newEndpoint();
        const endpointId = Buffer.from(id, 'base64').toString().split(':')[1]!;
        const db = t.app.services.db;
        await db.$transaction((tx) =>
          recordDomainEvents(tx, [
            { type: 'sync.failed', stream: `sync:${fresh()}`, occurredAt: new Date(), data: {} },
          ]),
        );
        const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId } });
        return { id: encodeGlobalID('WebhookDelivery', delivery.id) };
      },
    },
    createCard: { as: 'admin', variables: async () => ({ idTag: `TN${fresh()}`, label: null }) },
    activateCard: { as: 'admin', variables: async () => ({ publicId: await newCard() }) },
    disableCard: { as: 'admin', variables: async () => ({ publicId: await activeCard() }) },
    assignCard: {
      as: 'admin',
      variables: async () => ({ publicId: await activeCard(), driverId: await newDriver() }),
    },
    setPrimaryCard: {
      as: 'admin',
      variables: async () => {
        const publicId = await activeCard();
        await t.graphql(
          'mutation ($p: String!, $d: ID!) { assignCard(publicId: $p, driverId: $d) { __typename } }',
          { p: publicId, d: await newDriver() },
          { cookie: adminCookie },
        );
        return { publicId };
      },
    },
    mapCardToCustomer: {
      as: 'admin',
      variables: async () => ({ cardId: await newCard(), customerExternalId: 'demo-cus-001' }),
    },
    createLagoCustomer: {
      as: 'admin',
      variables: async () => ({ input: { name: 'Typename Only', externalId: `tn-${fresh()}` } }),
    },
    createDriver: {
      as: 'admin',
      variables: async () => ({
        input: {
          email: `tn-${fresh()}@example.test`,
          name: 'Typename Only',
          password: 'correct horse battery',
        },
      }),
    },
    setDriverStatus: { as: 'admin', variables: async () => ({ id: await newDriver(), status: 'INACTIVE' }) },
    resetDriverPassword: {
      as: 'admin',
      variables: async () => ({ id: await newDriver(), password: 'another horse battery' }),
    },
    createApiKey: { as: 'admin', variables: async () => ({ name: `tn ${fresh()}`, role: 'READ_ONLY' }) },
    revokeApiKey: {
      as: 'admin',
      variables: async () => {
        const res = await t.graphql<{ createApiKey: { data?: { apiKey: { id: string } } } }>(
          'mutation ($name: String!) { createApiKey(name: $name, role: READ_ONLY) { ... on MutationCreateApiKeySuccess { data { apiKey { id } } } } }',
          { name: `tn ${fresh()}` },
          { cookie: adminCookie },
        );
        return { id: res.data!.createApiKey.data!.apiKey.id };
      },
    },
    createMyApiKey: {
      as: 'driver',
      variables: async () => ({ name: `tn ${fresh()}`, scopes: ['CHARGING'] }),
    },
    revokeMyApiKey: {
      as: 'driver',
      variables: async () => {
        const res = await t.graphql<{ createMyApiKey: { data?: { apiKey: { id: string } } } }>(
          'mutation ($name: String!) { createMyApiKey(name: $name) { ... on MutationCreateMyApiKeySuccess { data { apiKey { id } } } } }',
          { name: `tn ${fresh()}` },
          { cookie: driver.cookie },
        );
        return { id: res.data!.createMyApiKey.data!.apiKey.id };
      },
    },
    setLagoSandboxFault: { as: 'admin', variables: async () => ({ down: false }) },
    markAlertRead: {
      as: 'admin',
      variables: async () => {
        const alert = await t.app.services.db.alert.create({
          data: { severity: 'WARNING', kind: 'TEST', message: 'typename only' },
        });
        return { id: encodeGlobalID('Alert', alert.id) };
      },
    },
    triggerSync: { as: 'admin', variables: async () => ({}) },
    // Charger commands go to the charger that never answers, so no command changes the fleet.
    resetCharger: {
      as: 'admin',
      variables: async () => ({ chargerId: await silentCharger(), type: 'SOFT' }),
    },
    unlockConnector: {
      as: 'admin',
      variables: async () => ({ chargerId: await silentCharger(), connectorNumber: 1 }),
    },
    changeAvailability: {
      as: 'admin',
      variables: async () => ({ chargerId: await silentCharger(), connectorNumber: 1, available: true }),
    },
    triggerMessage: {
      as: 'admin',
      variables: async () => ({
        chargerId: await silentCharger(),
        message: 'HEARTBEAT',
        connectorNumber: null,
      }),
    },
    changeConfiguration: {
      as: 'admin',
      variables: async () => ({ chargerId: await silentCharger(), key: 'HeartbeatInterval', value: '60' }),
    },
    setChargingProfile: {
      as: 'admin',
      variables: async () => ({
        chargerId: await silentCharger(),
        chargingProfileId: 1,
        connectorNumber: 1,
        sessionId: null,
      }),
    },
    clearChargingProfile: {
      as: 'admin',
      variables: async () => ({ chargerId: await silentCharger(), chargingProfileId: 1 }),
    },
    updateChargerDetails: {
      as: 'admin',
      variables: async () => {
        const charger = await t.app.services.db.charger.findFirstOrThrow({ select: { id: true } });
        return { chargerId: encodeGlobalID('Charger', charger.id), input: { siteName: `Site ${fresh()}` } };
      },
    },

    startCharging: {
      as: 'driver',
      variables: async () => {
        // A free charger each time, and no session of the driver's left running.
        await stopAll();
        const rows = await t.app.services.db.charger.findMany({
          where: { chargeBoxId: { in: sim.normalChargers }, state: 'ONLINE' },
          select: { id: true },
        });
        return { chargerId: encodeGlobalID('Charger', rows[n++ % rows.length]!.id) };
      },
    },
    reserveCharger: {
      as: 'driver',
      variables: async () => {
        // No open reservation left from the previous call, and a free charger each time.
        await cancelOpenReservations();
        await stopAll();
        const rows = await t.app.services.db.charger.findMany({
          where: { chargeBoxId: { in: sim.normalChargers }, state: 'ONLINE' },
          select: { id: true },
        });
        return { chargerId: encodeGlobalID('Charger', rows[n++ % rows.length]!.id) };
      },
    },
    cancelReservation: {
      as: 'driver',
      variables: async () => {
        await cancelOpenReservations();
        await sync();
        const rows = await t.app.services.db.charger.findMany({
          where: { chargeBoxId: { in: sim.normalChargers }, state: 'ONLINE' },
          select: { id: true },
        });
        const res = await t.graphql<{ reserveCharger: { id: string } }>(
          'mutation ($id: ID!) { reserveCharger(chargerId: $id) { ... on Reservation { id } } }',
          { id: encodeGlobalID('Charger', rows[n++ % rows.length]!.id) },
          { cookie: driver.cookie },
        );
        return { id: res.data!.reserveCharger.id };
      },
    },
    stopCharging: {
      as: 'driver',
      variables: async () => {
        await stopAll();
        const rows = await t.app.services.db.charger.findMany({
          where: { chargeBoxId: { in: sim.normalChargers }, state: 'ONLINE' },
          select: { id: true },
        });
        await t.graphql(
          'mutation ($id: ID!) { startCharging(chargerId: $id) { __typename } }',
          { id: encodeGlobalID('Charger', rows[0]!.id) },
          { cookie: driver.cookie },
        );
        clock.advance(5_000);
        await sync();
        const session = await t.app.services.db.chargingSession.findFirstOrThrow({
          where: { driverId: driver.id, status: 'ACTIVE' },
        });
        return { sessionId: encodeGlobalID('ChargingSession', session.id) };
      },
    },
  };

  const silentCharger = async () => {
    const row = await t.app.services.db.charger.findFirstOrThrow({
      where: { chargeBoxId: sim.roles.neverAnswers! },
      select: { id: true },
    });
    return encodeGlobalID('Charger', row.id);
  };

  const sync = async () => {
    const engine = t.app.services.sync.engine;
    while (engine.running) await new Promise((r) => setTimeout(r, 10));
    await engine.run({ trigger: 'MANUAL' });
  };
  /** Cancels the driver's open reservations at the station and here. */
  const cancelOpenReservations = async () => {
    const open = await t.app.services.db.reservation.findMany({
      where: { status: { in: ['WAITING', 'ACCEPTED'] } },
      include: { charger: { select: { chargeBoxId: true } } },
    });
    for (const r of open)
      await sim.cancelReservation({
        chargeBoxId: r.charger.chargeBoxId,
        reservationId: r.steveReservationPk,
      });
    await t.app.services.db.reservation.updateMany({
      where: { id: { in: open.map((r) => r.id) } },
      data: { status: 'CANCELLED' },
    });
  };
  /** Ends the driver's running sessions at the station and records it. */
  const stopAll = async () => {
    const running = await t.app.services.db.chargingSession.findMany({
      where: { driverId: driver.id, status: 'ACTIVE' },
      select: { steveTransactionPk: true, charger: { select: { chargeBoxId: true } } },
    });
    for (const s of running)
      await sim.remoteStop({ chargeBoxId: s.charger.chargeBoxId, transactionPk: s.steveTransactionPk });
    clock.advance(5_000);
    await sync();
  };

  beforeAll(async () => {
    clock = new ManualClock(new Date().toISOString());
    sim = new FleetSimulator({
      seed: 11,
      size: 8,
      now: clock.now,
      fleetChurn: false,
      outages: false,
      backgroundActivity: false,
      remoteStartNoShowRate: 0,
      operationWaitMs: 30,
    });
    const lago = new LagoSandbox();
    await lago.seedDemoCustomers();
    t = await createTestApp({
      env: { WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' },
      app: { background: false, steve: sim, clock: clock.now, lago },
    });
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
    const u = await t.createUser();
    driver = { id: u.id, cookie: await t.signIn(u.email, u.password) };
    await giveCard(t.app.services.db, sim, u.id, { isPrimary: true });
    await sync();
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
  });

  it('covers every mutation that returns an object', () => {
    const objectReturning = Object.values(mutationType.getFields())
      .filter((f) => successOf(getNamedType(f.type)) !== null)
      .map((f) => f.name)
      .sort();
    expect(Object.keys(cases).sort()).toEqual(objectReturning);
  });

  for (const field of Object.keys(mutationType.getFields()).sort()) {
    const type = getNamedType(mutationType.getFields()[field]!.type);
    if (!successOf(type)) continue;
    it(`${field}: succeeds with only \`__typename\` selected`, async () => {
      const c = cases[field]!;
      const s = successOf(type)!;
      for (const document of documents(field, argumentList(field))) {
        const res = await t.graphql<Record<string, { __typename?: string } | null>>(
          document,
          await c.variables(),
          { cookie: c.as === 'admin' ? adminCookie : driver.cookie },
        );
        expect({ document, errors: res.errors }).toEqual({ document, errors: undefined });
        const result = res.data?.[field];
        expect(result, document).not.toBeNull();
        if (result?.__typename) expect(result.__typename, document).toBe(s.success.name);
      }
    });
  }
});
