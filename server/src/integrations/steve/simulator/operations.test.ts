import { describe, expect, it } from 'vitest';
import { FleetSimulator, type FleetSimulatorOptions } from './index.ts';

const T0 = new Date('2026-05-04T08:00:00.000Z');
const SECOND = 1_000;

/** A quiet simulator on a hand-driven clock: only what the test does happens. */
function makeSim(options: FleetSimulatorOptions = {}) {
  let now = T0.getTime();
  const sim = new FleetSimulator({
    seed: 7,
    start: T0,
    now: () => new Date(now),
    operationWaitMs: 5,
    warmupMs: 0,
    backgroundActivity: false,
    fleetChurn: false,
    outages: false,
    remoteStartNoShowRate: 0,
    ...options,
  });
  return {
    sim,
    advance(ms: number) {
      now += ms;
    },
  };
}

async function statusOf(sim: FleetSimulator, chargeBoxId: string, connectorId: number) {
  const page = await sim.listConnectorStatuses({ chargeBoxIds: [chargeBoxId], limit: 100 });
  return page.items.find((s) => s.connectorId === connectorId);
}

async function heartbeatOf(sim: FleetSimulator, chargeBoxId: string) {
  const page = await sim.listChargePoints({ limit: 100 });
  return page.items.find((cp) => cp.chargeBoxId === chargeBoxId)?.lastHeartbeatAt ?? null;
}

/** A normal charger with a detachable cable (the Pulsar Plus is tethered) and its model. */
async function detachable(sim: FleetSimulator) {
  const cps = (await sim.listChargePoints({ limit: 100 })).items;
  const cp = cps.find((c) => sim.normalChargers.includes(c.chargeBoxId) && c.model !== 'Pulsar Plus');
  if (!cp) throw new Error('no detachable-cable charger in this fleet');
  return cp;
}

async function startSession(sim: FleetSimulator, advance: (ms: number) => void, chargeBoxId: string) {
  const tag = (await sim.listTags({ limit: 1 })).items[0]!.idTag;
  expect((await sim.remoteStart({ chargeBoxId, idTag: tag, connectorId: 1 })).kind).toBe('ACCEPTED');
  advance(5 * SECOND);
  expect((await statusOf(sim, chargeBoxId, 1))?.status).toBe('Charging');
}

describe('fleet simulator: operator commands', () => {
  it('reset: accepted, the station goes offline, boots again and clears its faults', async () => {
    const { sim, advance } = makeSim();
    const id = sim.normalChargers[0]!;
    await startSession(sim, advance, id);
    sim.faultConnector(id, 1, 'GroundFailure');
    const before = await heartbeatOf(sim, id);
    expect(await sim.reset({ chargeBoxId: id, type: 'Soft' })).toMatchObject({
      kind: 'ACCEPTED',
      status: 'Accepted',
    });
    advance(2 * SECOND);
    // Offline: SteVe can no longer reach it and it stops heartbeating.
    expect((await sim.triggerMessage({ chargeBoxId: id, message: 'Heartbeat' })).kind).toBe('OFFLINE');
    const tx = (await sim.listTransactions({ limit: 100 })).items.find((t) => t.chargeBoxId === id);
    expect(tx?.stopReason).toBe('SoftReset');
    advance(10 * SECOND);
    expect((await heartbeatOf(sim, id))!.getTime()).toBeGreaterThan(before!.getTime());
    expect(await statusOf(sim, id, 1)).toMatchObject({ status: 'Available', errorCode: 'NoError' });
  });

  it('a never-answering charger keeps every command waiting, then reports no answer', async () => {
    const { sim } = makeSim();
    const id = sim.roles.neverAnswers!;
    expect((await sim.reset({ chargeBoxId: id, type: 'Hard' })).kind).toBe('NO_ANSWER');
    expect((await sim.getConfiguration(id)).kind).toBe('FAILED');
    expect((await sim.unlockConnector({ chargeBoxId: id, connectorId: 1 })).kind).toBe('NO_ANSWER');
  });

  it('unlock: unlocked when free, UnlockFailed with a session, NotSupported on a tethered charger', async () => {
    const { sim, advance } = makeSim({ size: 20 });
    const cp = await detachable(sim);
    expect(await sim.unlockConnector({ chargeBoxId: cp.chargeBoxId, connectorId: 1 })).toMatchObject({
      kind: 'ACCEPTED',
      status: 'Unlocked',
    });
    sim.faultConnector(cp.chargeBoxId, 1, 'ConnectorLockFailure');
    await sim.unlockConnector({ chargeBoxId: cp.chargeBoxId, connectorId: 1 });
    expect(await statusOf(sim, cp.chargeBoxId, 1)).toMatchObject({
      status: 'Available',
      errorCode: 'NoError',
    });
    await startSession(sim, advance, cp.chargeBoxId);
    expect(await sim.unlockConnector({ chargeBoxId: cp.chargeBoxId, connectorId: 1 })).toMatchObject({
      kind: 'REJECTED',
      status: 'UnlockFailed',
    });
    const tethered = (await sim.listChargePoints({ limit: 100 })).items.find(
      (c) => c.model === 'Pulsar Plus' && sim.normalChargers.includes(c.chargeBoxId),
    );
    expect(tethered).toBeDefined();
    expect(await sim.unlockConnector({ chargeBoxId: tethered!.chargeBoxId, connectorId: 1 })).toMatchObject({
      kind: 'REJECTED',
      status: 'NotSupported',
    });
  });

  it('change availability: Unavailable at once, Scheduled while charging, Available again', async () => {
    const { sim, advance } = makeSim();
    const [a, b] = sim.normalChargers;
    expect(await sim.changeAvailability({ chargeBoxId: a!, connectorId: 1, available: false })).toMatchObject(
      {
        kind: 'ACCEPTED',
        status: 'Accepted',
      },
    );
    expect((await statusOf(sim, a!, 1))?.status).toBe('Unavailable');
    const tag = (await sim.listTags({ limit: 1 })).items[0]!.idTag;
    expect((await sim.remoteStart({ chargeBoxId: a!, idTag: tag, connectorId: 1 })).kind).toBe('REJECTED');
    await sim.changeAvailability({ chargeBoxId: a!, connectorId: 1, available: true });
    expect((await statusOf(sim, a!, 1))?.status).toBe('Available');

    await startSession(sim, advance, b!);
    expect(await sim.changeAvailability({ chargeBoxId: b!, connectorId: 0, available: false })).toMatchObject(
      {
        status: 'Scheduled',
      },
    );
    expect((await statusOf(sim, b!, 1))?.status).toBe('Charging');
    const tx = (await sim.listTransactions({ activeOnly: true, limit: 100 })).items.find(
      (t) => t.chargeBoxId === b,
    );
    await sim.remoteStop({ chargeBoxId: b!, transactionPk: tx!.pk });
    advance(3 * SECOND);
    expect((await statusOf(sim, b!, 1))?.status).toBe('Unavailable');
  });

  it('trigger message: accepted and sent a second later; NotImplemented on the refusing charger', async () => {
    const { sim, advance } = makeSim();
    const id = sim.normalChargers[0]!;
    advance(30 * SECOND);
    const before = await heartbeatOf(sim, id);
    expect((await sim.triggerMessage({ chargeBoxId: id, message: 'Heartbeat' })).kind).toBe('ACCEPTED');
    advance(SECOND);
    expect((await heartbeatOf(sim, id))!.getTime()).toBeGreaterThan(before!.getTime());
    expect(
      await sim.triggerMessage({ chargeBoxId: sim.roles.refusesRemoteStart!, message: 'Heartbeat' }),
    ).toMatchObject({
      kind: 'REJECTED',
      status: 'NotImplemented',
    });
  });

  it('configuration: keys with read-only flags; Accepted, Rejected, RebootRequired, NotSupported', async () => {
    const { sim } = makeSim();
    const id = sim.normalChargers[0]!;
    const config = await sim.getConfiguration(id);
    expect(config.kind).toBe('DATA');
    if (config.kind !== 'DATA') return;
    expect(config.data.keys).toContainEqual({
      key: 'NumberOfConnectors',
      value: expect.any(String),
      readonly: true,
    });
    const change = (key: string, value: string) => sim.changeConfiguration({ chargeBoxId: id, key, value });
    expect(await change('HeartbeatInterval', '120')).toMatchObject({ kind: 'ACCEPTED', status: 'Accepted' });
    expect(await change('HeartbeatInterval', 'soon')).toMatchObject({ kind: 'REJECTED', status: 'Rejected' });
    expect(await change('NumberOfConnectors', '4')).toMatchObject({ kind: 'REJECTED', status: 'Rejected' });
    expect(await change('SecurityProfile', '1')).toMatchObject({
      kind: 'ACCEPTED',
      status: 'RebootRequired',
    });
    expect(await change('NoSuchKey', '1')).toMatchObject({ kind: 'REJECTED', status: 'NotSupported' });
    const after = await sim.getConfiguration(id);
    expect(after.kind === 'DATA' && after.data.keys.find((k) => k.key === 'HeartbeatInterval')?.value).toBe(
      '120',
    );
  });

  it('charging profiles: set on AC, NotSupported on DC, composite schedule, clear', async () => {
    const { sim } = makeSim({ size: 20 });
    const cps = (await sim.listChargePoints({ limit: 100 })).items.filter((c) =>
      sim.normalChargers.includes(c.chargeBoxId),
    );
    const ac = cps.find((c) => /AC/.test(c.description ?? ''))!;
    const dc = cps.find((c) => /DC/.test(c.description ?? ''))!;
    const profiles = await sim.listChargingProfiles();
    expect(profiles.map((p) => p.pk)).toEqual([1, 2]);
    const set = (chargeBoxId: string) =>
      sim.setChargingProfile({ chargeBoxId, chargingProfilePk: 1, connectorId: 1 });
    expect(await set(ac.chargeBoxId)).toMatchObject({ kind: 'ACCEPTED' });
    expect(await set(dc.chargeBoxId)).toMatchObject({ kind: 'REJECTED', status: 'NotSupported' });
    const schedule = await sim.getCompositeSchedule({
      chargeBoxId: ac.chargeBoxId,
      connectorId: 1,
      durationSeconds: 3600,
    });
    expect(schedule.kind === 'DATA' && schedule.data?.periods).toEqual([
      { startPeriodSeconds: 0, limit: 16, numberPhases: 3 },
    ]);
    expect(
      await sim.clearChargingProfile({ chargeBoxId: ac.chargeBoxId, chargingProfilePk: 1 }),
    ).toMatchObject({
      kind: 'ACCEPTED',
    });
    expect(
      await sim.clearChargingProfile({ chargeBoxId: ac.chargeBoxId, chargingProfilePk: 1 }),
    ).toMatchObject({
      status: 'Unknown',
    });
  });

  it('a world saved in the middle of a reset continues it after a restore', async () => {
    const { sim, advance } = makeSim();
    const id = sim.normalChargers[0]!;
    await sim.changeAvailability({ chargeBoxId: id, connectorId: 1, available: false });
    await sim.reset({ chargeBoxId: id, type: 'Soft' });
    advance(2 * SECOND);
    const saved = structuredClone(sim.snapshot());
    let now = T0.getTime() + 2 * SECOND;
    const restored = new FleetSimulator({ restore: saved, now: () => new Date(now), operationWaitMs: 5 });
    expect((await restored.triggerMessage({ chargeBoxId: id, message: 'Heartbeat' })).kind).toBe('OFFLINE');
    now += 10 * SECOND;
    expect((await restored.triggerMessage({ chargeBoxId: id, message: 'Heartbeat' })).kind).toBe('ACCEPTED');
    // Still out of service after the reboot.
    expect((await statusOf(restored, id, 1))?.status).toBe('Unavailable');
  });
});
