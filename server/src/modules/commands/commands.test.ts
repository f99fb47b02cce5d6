import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealSteveAdapter } from '../../integrations/steve/real-adapter.ts';
import {
  startFakeSteveRest,
  type FakeSteveRest,
} from '../../integrations/steve/simulator/fake-steve-rest.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { openRawSocket } from '../../../test/conformance/ws-client.ts';
import { ManualClock, waitFor } from '../sync/test-helpers.ts';
import { requestCommand, type CommandDeps } from './commands.service.ts';

const COMMAND = `id status answer reason connectorNumber`;
const ERRORS = `... on UnknownChargerError { message } ... on ChargerGoneError { message }
  ... on ConnectorOutOfRangeError { message } ... on InvalidCommandError { message }`;

interface Command {
  id: string;
  status: string;
  answer: string | null;
  reason: string | null;
  connectorNumber: number | null;
}

describe('charger commands through the fleet simulator', () => {
  let t: TestApp;
  let sim: FleetSimulator;
  let clock: ManualClock;
  let cookie: string;
  let driverCookie: string;

  const sync = async () => {
    const engine = t.app.services.sync.engine;
    await waitFor(async () => !engine.running, 20_000, 'idle sync');
    await engine.run({ trigger: 'MANUAL' });
  };
  const chargerRow = (chargeBoxId: string) =>
    t.app.services.db.charger.findFirstOrThrow({ where: { chargeBoxId } });
  const chargerId = async (chargeBoxId: string) =>
    encodeGlobalID('Charger', (await chargerRow(chargeBoxId)).id);

  /** Sends a command mutation; returns its union member and the command (or the error message). */
  async function send(mutation: string, args: string, variables: Record<string, unknown>) {
    const upper = mutation.charAt(0).toUpperCase() + mutation.slice(1);
    const res = await t.graphql<Record<string, { __typename: string; command?: Command; message?: string }>>(
      `mutation ${args} { ${mutation}${argList(args)} { __typename ... on ${upper}Success { command { ${COMMAND} } } ${ERRORS} } }`,
      variables,
      { cookie },
    );
    expect(res.errors).toBeUndefined();
    return res.data![mutation]!;
  }
  const argList = (signature: string) =>
    signature.replace(/\$(\w+): [\w!]+/g, (_m, name: string) => `${name}: $${name}`);

  const outcome = (id: string) =>
    waitFor(
      async () => {
        const res = await t.graphql<{ node: Command | null }>(
          `query ($id: ID!) { node(id: $id) { ... on ChargerCommand { ${COMMAND} } } }`,
          { id },
          { cookie },
        );
        return res.data?.node?.status !== 'PENDING' ? res.data?.node : null;
      },
      20_000,
      'command outcome',
    );

  beforeAll(async () => {
    clock = new ManualClock(new Date().toISOString());
    sim = new FleetSimulator({
      seed: 5,
      size: 10,
      now: clock.now,
      warmupMs: 0,
      fleetChurn: false,
      outages: false,
      backgroundActivity: false,
      remoteStartNoShowRate: 0,
      operationWaitMs: 30,
    });
    t = await createTestApp({ app: { background: false, steve: sim, clock: clock.now } });
    const admin = await t.createUser({ role: 'admin' });
    cookie = await t.signIn(admin.email, admin.password);
    const driver = await t.createUser();
    driverCookie = await t.signIn(driver.email, driver.password);
    await sync();
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
  });

  it('reset: PENDING at once, then ACCEPTED; the charger is OFFLINE while it reboots, then back; audited', async () => {
    const box = sim.normalChargers[0]!;
    const sent = await send('resetCharger', '($chargerId: ID!, $type: ResetType!)', {
      chargerId: await chargerId(box),
      type: 'SOFT',
    });
    expect(sent.command).toMatchObject({ status: 'PENDING', answer: null });
    expect(await outcome(sent.command!.id)).toMatchObject({ status: 'ACCEPTED', answer: 'Accepted' });
    expect((await chargerRow(box)).state).toBe('OFFLINE');
    clock.advance(2_000);
    await sync();
    expect((await chargerRow(box)).state).toBe('OFFLINE');
    clock.advance(10_000);
    await sync();
    expect((await chargerRow(box)).state).toBe('ONLINE');
    const audit = await t.app.services.db.auditEvent.findMany({
      where: { subjectId: box, action: { startsWith: 'charger.command.' } },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual(['charger.command.requested', 'charger.command.completed']);
    // Partners hear of it too (webhook outbox): the command's two states, and the charger going offline.
    const events = await t.app.services.db.domainEvent.findMany({ orderBy: { id: 'asc' } });
    const text = (e: { payload: unknown }) => JSON.stringify(e.payload);
    const commandEvents = events.filter(
      (e) => e.type === 'command.updated' && text(e).includes(sent.command!.id),
    );
    expect(commandEvents.map((e) => /"status":"(\w+)"/.exec(text(e))?.[1])).toEqual(['PENDING', 'ACCEPTED']);
    expect(
      events.some(
        (e) => e.type === 'charger.state_changed' && text(e).includes(box) && text(e).includes('"OFFLINE"'),
      ),
    ).toBe(true);
  });

  it('follows a command live with chargerCommandUpdated: PENDING, then its outcome', async () => {
    const box = sim.normalChargers[1]!;
    const sent = await send('triggerMessage', '($chargerId: ID!, $message: TriggerMessageKind!)', {
      chargerId: await chargerId(box),
      message: 'HEARTBEAT',
    });
    const raw = await openRawSocket(t.url, { cookie, origin: t.config.publicUrl });
    raw.send({ type: 'connection_init' });
    await raw.next('connection_ack');
    raw.send({
      type: 'subscribe',
      id: 's',
      payload: {
        query: `subscription ($id: ID!) { chargerCommandUpdated(id: $id) { status answer } }`,
        variables: { id: sent.command!.id },
      },
    });
    const statuses: string[] = [];
    for (;;) {
      const next = (await raw.next('next')).payload as {
        data: { chargerCommandUpdated: { status: string } };
      };
      statuses.push(next.data.chargerCommandUpdated.status);
      if (statuses.at(-1) !== 'PENDING') break;
    }
    raw.socket.close(1000);
    expect(statuses.at(-1)).toBe('ACCEPTED');
  });

  it('takes a charger out of service: drivers see it UNAVAILABLE, and back ONLINE', async () => {
    const box = sim.normalChargers[2]!;
    const id = await chargerId(box);
    const off = await send('changeAvailability', '($chargerId: ID!, $available: Boolean!)', {
      chargerId: id,
      available: false,
    });
    expect(await outcome(off.command!.id)).toMatchObject({ status: 'ACCEPTED', answer: 'Accepted' });
    await sync();
    const seen = await t.graphql<{ charger: { state: string; connectors: Array<{ status: string }> } }>(
      `query ($id: ID!) { charger(id: $id) { state connectors { status } } }`,
      { id },
      { cookie: driverCookie },
    );
    expect(seen.data?.charger.state).toBe('UNAVAILABLE');
    const on = await send('changeAvailability', '($chargerId: ID!, $available: Boolean!)', {
      chargerId: id,
      available: true,
    });
    expect((await outcome(on.command!.id)).status).toBe('ACCEPTED');
    await sync();
    expect((await chargerRow(box)).state).toBe('ONLINE');
  });

  it('a fault raises an alert linking the charger with its one-click fix, and shows in recent faults', async () => {
    // A charger with a detachable cable (the Pulsar Plus has a fixed one, so Unlock is not supported).
    const models = new Map(
      (await sim.listChargePoints({ limit: 100 })).items.map((c) => [c.chargeBoxId, c.model]),
    );
    const box = sim.normalChargers.slice(3).find((id) => models.get(id) !== 'Pulsar Plus')!;
    sim.faultConnector(box, 1, 'ConnectorLockFailure');
    await sync();
    const res = await t.graphql<{
      alerts: {
        edges: Array<{
          node: {
            charger: { chargeBoxId: string } | null;
            connectorNumber: number | null;
            errorCode: string | null;
            suggestedCommand: unknown;
          };
        }>;
      };
    }>(
      `{ alerts(first: 50) { edges { node {
          charger { chargeBoxId } connectorNumber errorCode suggestedCommand { kind connectorNumber }
        } } } }`,
      {},
      { cookie },
    );
    expect(res.errors).toBeUndefined();
    const alert = res.data!.alerts.edges.find((e) => e.node.charger?.chargeBoxId === box);
    expect(alert?.node).toMatchObject({
      connectorNumber: 1,
      errorCode: 'ConnectorLockFailure',
      suggestedCommand: { kind: 'UNLOCK_CONNECTOR', connectorNumber: 1 },
    });
    // The fix is data on the alert, not read back from its text: rewording the message changes nothing.
    await t.app.services.db.alert.updateMany({
      where: { kind: 'charger.connectorFaulted', subjectId: (await chargerRow(box)).id },
      data: { message: 'Reworded for people.' },
    });
    const reworded = await t.graphql<{
      alerts: { edges: Array<{ node: { message: string; suggestedCommand: unknown } }> };
    }>(
      `{ alerts(first: 50) { edges { node { message suggestedCommand { kind connectorNumber } } } } }`,
      {},
      { cookie },
    );
    expect(
      reworded.data!.alerts.edges.find((e) => e.node.message === 'Reworded for people.')?.node,
    ).toMatchObject({
      suggestedCommand: { kind: 'UNLOCK_CONNECTOR', connectorNumber: 1 },
    });
    const faults = await t.graphql<{ charger: { recentFaults: Array<{ errorCode: string }> } }>(
      `query ($id: ID!) { charger(id: $id) { recentFaults { errorCode suggestedCommand } } }`,
      { id: await chargerId(box) },
      { cookie },
    );
    expect(faults.data?.charger.recentFaults[0]).toMatchObject({ errorCode: 'ConnectorLockFailure' });
    // The one-click fix clears it, and the alert resolves with the next status.
    const fix = await send('unlockConnector', '($chargerId: ID!, $connectorNumber: Int!)', {
      chargerId: await chargerId(box),
      connectorNumber: 1,
    });
    expect((await outcome(fix.command!.id)).status).toBe('ACCEPTED');
    await sync();
    const row = await t.app.services.db.alert.findFirstOrThrow({
      where: { kind: 'charger.connectorFaulted', subjectId: (await chargerRow(box)).id },
    });
    expect(row.resolvedAt).not.toBeNull();
  });

  it('shows every refusal: UnlockFailed, NotSupported, RebootRequired, and TIMED_OUT from a silent charger', async () => {
    const tethered = (await sim.listChargePoints({ limit: 100 })).items.find(
      (c) => c.model === 'Pulsar Plus' && sim.normalChargers.includes(c.chargeBoxId),
    );
    if (tethered) {
      const unlock = await send('unlockConnector', '($chargerId: ID!, $connectorNumber: Int!)', {
        chargerId: await chargerId(tethered.chargeBoxId),
        connectorNumber: 1,
      });
      expect(await outcome(unlock.command!.id)).toMatchObject({
        status: 'NOT_SUPPORTED',
        answer: 'NotSupported',
      });
    }
    const config = await send('changeConfiguration', '($chargerId: ID!, $key: String!, $value: String!)', {
      chargerId: await chargerId(sim.normalChargers[4]!),
      key: 'SecurityProfile',
      value: '1',
    });
    expect(await outcome(config.command!.id)).toMatchObject({ status: 'ACCEPTED', answer: 'RebootRequired' });
    const silent = await send('resetCharger', '($chargerId: ID!, $type: ResetType!)', {
      chargerId: await chargerId(sim.roles.neverAnswers!),
      type: 'HARD',
    });
    const timedOut = await outcome(silent.command!.id);
    expect(timedOut.status).toBe('TIMED_OUT');
    expect(timedOut.reason).toMatch(/did not answer/);
  });

  it('refuses bad input with typed errors and sends nothing', async () => {
    const unknown = await send('unlockConnector', '($chargerId: ID!, $connectorNumber: Int!)', {
      chargerId: encodeGlobalID('Charger', '00000000-0000-7000-8000-000000000001'),
      connectorNumber: 1,
    });
    expect(unknown.__typename).toBe('UnknownChargerError');
    const range = await send('unlockConnector', '($chargerId: ID!, $connectorNumber: Int!)', {
      chargerId: await chargerId(sim.normalChargers[0]!),
      connectorNumber: 9,
    });
    expect(range).toMatchObject({ __typename: 'ConnectorOutOfRangeError' });
    expect(range.message).toMatch(/connectors 1/);
    const key = await send('changeConfiguration', '($chargerId: ID!, $key: String!, $value: String!)', {
      chargerId: await chargerId(sim.normalChargers[0]!),
      key: 'not a key!',
      value: '1',
    });
    expect(key.__typename).toBe('InvalidCommandError');

    const gone = sim.addChargePoint();
    await sync();
    const goneId = await chargerId(gone);
    sim.deleteChargePoint(gone);
    await sync();
    const sent = await send('resetCharger', '($chargerId: ID!, $type: ResetType!)', {
      chargerId: goneId,
      type: 'SOFT',
    });
    expect(sent.__typename).toBe('ChargerGoneError');
    expect(await t.app.services.db.chargerCommand.count({ where: { charger: { chargeBoxId: gone } } })).toBe(
      0,
    );
  });

  it('an offline charger or SteVe down: FAILED with the reason', async () => {
    const box = sim.normalChargers[5]!;
    const id = await chargerId(box);
    // Rebooting after a reset: SteVe has no connection to it for a few seconds.
    const reset = await send('resetCharger', '($chargerId: ID!, $type: ResetType!)', {
      chargerId: id,
      type: 'SOFT',
    });
    await outcome(reset.command!.id);
    clock.advance(2_000);
    const offline = await send('triggerMessage', '($chargerId: ID!, $message: TriggerMessageKind!)', {
      chargerId: id,
      message: 'STATUS_NOTIFICATION',
    });
    expect(await outcome(offline.command!.id)).toMatchObject({
      status: 'FAILED',
      reason: expect.stringMatching(/not connected/),
    });
    clock.advance(10_000);

    sim.setFault({ unreachable: true });
    try {
      const down = await send('triggerMessage', '($chargerId: ID!, $message: TriggerMessageKind!)', {
        chargerId: await chargerId(sim.normalChargers[6]!),
        message: 'HEARTBEAT',
      });
      expect(await outcome(down.command!.id)).toMatchObject({
        status: 'FAILED',
        reason: expect.stringMatching(/SteVe is not reachable/),
      });
    } finally {
      sim.setFault({});
    }
  });

  it('applies a stored TxProfile to a running session and shows it in the composite schedule', async () => {
    // An AC charger (DC ones answer NotSupported to SetChargingProfile).
    const cps = (await sim.listChargePoints({ limit: 100 })).items;
    const acBoxes = new Set(cps.filter((c) => !c.description?.includes('(DC')).map((c) => c.chargeBoxId));
    const box = sim.normalChargers.slice(6).find((id) => acBoxes.has(id))!;
    const id = await chargerId(box);
    const tag = (await sim.listTags({ limit: 1 })).items[0]!.idTag;
    expect((await sim.remoteStart({ chargeBoxId: box, idTag: tag, connectorId: 1 })).kind).toBe('ACCEPTED');
    clock.advance(5_000);
    await sync();
    const session = await t.app.services.db.chargingSession.findFirstOrThrow({
      where: { charger: { chargeBoxId: box }, status: 'ACTIVE' },
    });
    const sessionId = encodeGlobalID('ChargingSession', session.id);
    const signature = '($chargerId: ID!, $chargingProfileId: Int!, $sessionId: ID)';
    const profiles = await t.graphql<{ chargingProfiles: Array<{ profileId: number; purpose: string }> }>(
      `{ chargingProfiles { profileId purpose } }`,
      {},
      { cookie },
    );
    const txProfile = profiles.data!.chargingProfiles.find((p) => p.purpose === 'TxProfile')!;
    const defaultProfile = profiles.data!.chargingProfiles.find((p) => p.purpose !== 'TxProfile')!;

    // Only a TxProfile fits a session; a session of another charger is refused.
    const wrongKind = await send('setChargingProfile', signature, {
      chargerId: id,
      chargingProfileId: defaultProfile.profileId,
      sessionId,
    });
    expect(await outcome(wrongKind.command!.id)).toMatchObject({ status: 'FAILED' });
    const otherCharger = await send('setChargingProfile', signature, {
      chargerId: await chargerId(sim.normalChargers[0]!),
      chargingProfileId: txProfile.profileId,
      sessionId,
    });
    expect(otherCharger).toMatchObject({ __typename: 'InvalidCommandError' });

    const applied = await send('setChargingProfile', signature, {
      chargerId: id,
      chargingProfileId: txProfile.profileId,
      sessionId,
    });
    // The session's connector is the target, and the transaction travels to SteVe.
    expect(applied.command).toMatchObject({ connectorNumber: 1 });
    expect(await outcome(applied.command!.id)).toMatchObject({ status: 'ACCEPTED', answer: 'Accepted' });
    const row = await t.app.services.db.chargerCommand.findFirstOrThrow({
      where: { kind: 'SET_CHARGING_PROFILE', status: 'ACCEPTED', chargerId: session.chargerId },
    });
    expect(row.params).toMatchObject({ transactionPk: session.steveTransactionPk });

    const schedule = () =>
      t.graphql<{
        compositeSchedule: { status: string; periods: Array<{ startPeriodSeconds: number; limit: number }> };
      }>(
        `query ($id: ID!) { compositeSchedule(chargerId: $id, connectorNumber: 1) { status periods { startPeriodSeconds limit } } }`,
        { id },
        { cookie },
      );
    expect((await schedule()).data?.compositeSchedule).toEqual({
      status: 'ACCEPTED',
      periods: [
        { startPeriodSeconds: 0, limit: 32 },
        { startPeriodSeconds: 7200, limit: 10 },
      ],
    });
    // A TxProfile ends with its session.
    expect((await sim.remoteStop({ chargeBoxId: box, transactionPk: session.steveTransactionPk })).kind).toBe(
      'ACCEPTED',
    );
    clock.advance(5_000);
    expect((await schedule()).data?.compositeSchedule).toEqual({ status: 'ACCEPTED', periods: [] });
  });

  it('a double-click sends once: the second identical request returns the pending command', async () => {
    sim.setFault({ slowMs: 300 });
    try {
      const chargerIdValue = await chargerId(sim.normalChargers[0]!);
      const vars = { chargerId: chargerIdValue, message: 'BOOT_NOTIFICATION' };
      const sig = '($chargerId: ID!, $message: TriggerMessageKind!)';
      const [a, b] = await Promise.all([
        send('triggerMessage', sig, vars),
        send('triggerMessage', sig, vars),
      ]);
      expect(a.command!.id).toBe(b.command!.id);
      await outcome(a.command!.id);
      const rows = await t.app.services.db.chargerCommand.count({
        where: { kind: 'TRIGGER_MESSAGE', charger: { chargeBoxId: sim.normalChargers[0]! } },
      });
      expect(rows).toBe(1);
    } finally {
      sim.setFault({});
    }
  });

  describe('through the real SteVe adapter against the spec-checking stand-in', () => {
    let fake: FakeSteveRest;
    let adapter: RealSteveAdapter;
    let deps: CommandDeps;

    beforeAll(async () => {
      fake = await startFakeSteveRest({ username: 'polaris', password: 'pw' });
      adapter = new RealSteveAdapter({
        baseUrl: fake.baseUrl,
        username: 'polaris',
        password: 'pw',
        // Commands never read SteVe's database.
        dbUrl: 'mysql://nobody@127.0.0.1:1/stevedb',
        timeouts: { operationMs: 500 },
      });
      deps = { ...t.app.services, steve: adapter };
    });

    afterAll(async () => {
      await adapter?.close();
      await fake?.close();
    });

    const run = async (box: string, kind: 'RESET' | 'UNLOCK_CONNECTOR') => {
      const viewer = { kind: 'apiKey', keyId: 'ops-key', role: 'admin' } as never;
      const row = await chargerRow(box);
      const input = kind === 'RESET' ? { kind, type: 'Soft' as const } : { kind, connectorNumber: 1 };
      const { id } = await requestCommand(deps, viewer, row.id, input);
      return waitFor(async () => {
        const c = await t.app.services.db.chargerCommand.findUniqueOrThrow({ where: { id } });
        return c.status !== 'PENDING' ? c : null;
      });
    };

    it('maps every SteVe answer onto the command; every request validates against the spec', async () => {
      const [a, b, c, d, e] = sim.normalChargers.slice(0, 5) as [string, string, string, string, string];
      fake.stations.set(a, { kind: 'answer', response: 'Accepted' });
      fake.stations.set(b, { kind: 'answer', response: 'UnlockFailed' });
      fake.stations.set(c, { kind: 'callError', errorCode: 'NotImplemented' });
      fake.stations.set(d, { kind: 'noAnswer' });
      fake.stations.set(e, { kind: 'offline' });
      expect(await run(a, 'RESET')).toMatchObject({ status: 'ACCEPTED', answer: 'Accepted' });
      expect(await run(b, 'UNLOCK_CONNECTOR')).toMatchObject({ status: 'REJECTED', answer: 'UnlockFailed' });
      expect(await run(c, 'UNLOCK_CONNECTOR')).toMatchObject({ status: 'NOT_SUPPORTED' });
      expect(await run(d, 'RESET')).toMatchObject({ status: 'TIMED_OUT' });
      expect(await run(e, 'RESET')).toMatchObject({ status: 'FAILED' });
      expect(fake.specViolations).toEqual([]);
      const bodies = fake.requests.filter((r) => r.path.includes('/operations/')).map((r) => r.body);
      expect(bodies).toContainEqual({ chargeBoxIdList: [a], resetType: 'Soft' });
    });

    it('SteVe hanging: the command ends TIMED_OUT instead of hanging', async () => {
      const box = sim.normalChargers[6]!;
      fake.stations.set(box, { kind: 'hang' });
      const done = await run(box, 'RESET');
      expect(done.status).toBe('TIMED_OUT');
    });
  });
});
