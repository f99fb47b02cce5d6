import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSteveRest, type FakeSteveRest } from './simulator/fake-steve-rest.ts';
import { SteveRestClient } from './rest-client.ts';

/** The operator commands through the real REST client against the spec-checking stand-in. */
describe('SteveRestClient operator commands', () => {
  let fake: FakeSteveRest;
  let client: SteveRestClient;
  const BOX = 'CP-OPS-1';

  beforeEach(async () => {
    fake = await startFakeSteveRest();
    fake.stations.set(BOX, { kind: 'answer', response: 'Accepted' });
    client = new SteveRestClient({
      baseUrl: fake.baseUrl,
      username: 'polaris',
      password: 'secret',
      timeouts: { readMs: 5_000, operationMs: 2_000 },
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  const lastBody = () => fake.requests.at(-1)?.body as Record<string, unknown>;

  it('sends every command with a body that validates against the spec', async () => {
    const results = [
      await client.reset({ chargeBoxId: BOX, type: 'Soft' }),
      await client.unlockConnector({ chargeBoxId: BOX, connectorId: 1 }),
      await client.changeAvailability({ chargeBoxId: BOX, connectorId: 0, available: false }),
      await client.triggerMessage({ chargeBoxId: BOX, message: 'StatusNotification' }),
      await client.triggerMessage({ chargeBoxId: BOX, message: 'MeterValues', connectorId: 2 }),
      await client.changeConfiguration({ chargeBoxId: BOX, key: 'HeartbeatInterval', value: '120' }),
      await client.changeConfiguration({ chargeBoxId: BOX, key: 'VendorFoo', value: 'x' }),
      await client.setChargingProfile({ chargeBoxId: BOX, chargingProfilePk: 3, connectorId: 1 }),
      await client.clearChargingProfile({ chargeBoxId: BOX, chargingProfilePk: 3 }),
    ];
    expect(fake.specViolations).toEqual([]);
    expect(results.map((r) => r.kind)).toEqual(Array(results.length).fill('ACCEPTED'));
    const bodies = fake.requests.map((r) => [r.path.split('/').at(-1), r.body]);
    expect(bodies[0]).toEqual(['Reset', { chargeBoxIdList: [BOX], resetType: 'Soft' }]);
    expect(bodies[2]).toEqual([
      'ChangeAvailability',
      { chargeBoxIdList: [BOX], availType: 'Inoperative', connectorId: 0 },
    ]);
    // TriggerMessage's connectorId minimum is 1: the whole station means leaving it out.
    expect(bodies[3]?.[1]).toEqual({ chargeBoxIdList: [BOX], triggerMessage: 'StatusNotification' });
    expect(bodies[5]?.[1]).toMatchObject({
      keyType: 'PREDEFINED',
      confKey: 'HeartbeatInterval',
      value: '120',
    });
    expect(bodies[6]?.[1]).toMatchObject({ keyType: 'CUSTOM', customConfKey: 'VendorFoo' });
    expect(JSON.stringify(bodies)).not.toContain('null');
  });

  it('reports Scheduled, Unlocked and RebootRequired as accepted with the station’s word', async () => {
    fake.stations.set(BOX, { kind: 'answer', response: 'Scheduled' });
    expect(
      await client.changeAvailability({ chargeBoxId: BOX, connectorId: 1, available: false }),
    ).toMatchObject({
      kind: 'ACCEPTED',
      status: 'Scheduled',
    });
    fake.stations.set(BOX, { kind: 'answer', response: 'Unlocked' });
    expect(await client.unlockConnector({ chargeBoxId: BOX, connectorId: 1 })).toMatchObject({
      kind: 'ACCEPTED',
      status: 'Unlocked',
    });
    fake.stations.set(BOX, { kind: 'answer', response: 'UnlockFailed' });
    expect(await client.unlockConnector({ chargeBoxId: BOX, connectorId: 1 })).toMatchObject({
      kind: 'REJECTED',
      status: 'UnlockFailed',
    });
    fake.stations.set(BOX, { kind: 'answer', response: 'RebootRequired' });
    expect(
      await client.changeConfiguration({ chargeBoxId: BOX, key: 'HeartbeatInterval', value: '60' }),
    ).toMatchObject({ kind: 'ACCEPTED', status: 'RebootRequired' });
    fake.stations.set(BOX, { kind: 'answer', response: 'NotSupported' });
    expect(
      await client.changeConfiguration({ chargeBoxId: BOX, key: 'HeartbeatInterval', value: '60' }),
    ).toMatchObject({ kind: 'REJECTED', status: 'NotSupported' });
  });

  it('maps offline, CallError, no answer and a hung SteVe without throwing', async () => {
    fake.stations.set(BOX, { kind: 'offline' });
    expect((await client.reset({ chargeBoxId: BOX, type: 'Hard' })).kind).toBe('OFFLINE');
    fake.stations.set(BOX, { kind: 'callError', errorCode: 'NotImplemented' });
    expect(await client.reset({ chargeBoxId: BOX, type: 'Hard' })).toMatchObject({
      kind: 'CALL_ERROR',
      errorCode: 'NotImplemented',
    });
    fake.stations.set(BOX, { kind: 'noAnswer' });
    expect((await client.triggerMessage({ chargeBoxId: BOX, message: 'Heartbeat' })).kind).toBe('NO_ANSWER');
    fake.stations.set(BOX, { kind: 'hang' });
    expect((await client.reset({ chargeBoxId: BOX, type: 'Soft' })).kind).toBe('NO_ANSWER');
    const config = await client.getConfiguration(BOX);
    expect(config.kind).toBe('FAILED');
  });

  it('reads the configuration keys and the composite schedule', async () => {
    fake.configuration.set(BOX, [
      { key: 'HeartbeatInterval', value: '300', readonly: false },
      { key: 'NumberOfConnectors', value: '2', readonly: true },
    ]);
    const config = await client.getConfiguration(BOX);
    expect(config).toEqual({
      kind: 'DATA',
      taskId: expect.any(Number),
      data: {
        keys: [
          { key: 'HeartbeatInterval', value: '300', readonly: false },
          { key: 'NumberOfConnectors', value: '2', readonly: true },
        ],
        unknownKeys: [],
      },
    });
    expect(lastBody()).toEqual({ chargeBoxIdList: [BOX] });
    const schedule = await client.getCompositeSchedule({
      chargeBoxId: BOX,
      connectorId: 1,
      durationSeconds: 3600,
    });
    expect(schedule.kind).toBe('DATA');
    if (schedule.kind === 'DATA') {
      expect(schedule.data?.periods).toEqual([{ startPeriodSeconds: 0, limit: 16, numberPhases: 3 }]);
      expect(schedule.data?.chargingRateUnit).toBe('A');
    }
    fake.stations.set(BOX, { kind: 'answer', response: 'Rejected' });
    const rejected = await client.getCompositeSchedule({
      chargeBoxId: BOX,
      connectorId: 1,
      durationSeconds: 60,
    });
    expect(rejected).toMatchObject({ kind: 'FAILED', result: { kind: 'REJECTED', status: 'Rejected' } });
    expect(fake.specViolations).toEqual([]);
  });

  it('the stand-in refuses bodies that break the spec', async () => {
    const res = await fetch(`${fake.baseUrl}/api/v1/operations/ChangeConfiguration`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('polaris:secret').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ chargeBoxIdList: [BOX], keyType: 'CUSTOM', customConfKey: null }),
    });
    expect(res.status).toBe(400);
    expect(fake.specViolations.join('\n')).toContain('customConfKey');
    fake.specViolations.length = 0;
  });
});
